"""A server restart in a real browser: the socket closes with 1012, the page reconnects and replays."""

import signal
import subprocess
import time
import urllib.request

import pytest

from .conftest import BIN, ROOT, _free_port, api_post, log_in


def _serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                              env=dict(env, PORT=str(port), SHUTDOWN_DRAIN_SECONDS="1"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/live/", timeout=1)
            return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    server.kill()
    pytest.fail("gunicorn did not start")


RECORD_SOCKET_EVENTS = """
window.__wsOpens = 0; window.__wsCloses = [];
document.addEventListener("htmx:wsOpen", () => { window.__wsOpens += 1; });
document.addEventListener("htmx:wsClose", (e) => { window.__wsCloses.push(e.detail.event.code); });
// Retry every half second: the test is about 1012 and ?after, not the back-off (which can reach 64 s).
document.addEventListener("DOMContentLoaded", () => { htmx.config.wsReconnectDelay = () => 500; });
"""


def test_a_restart_closes_with_1012_and_the_page_catches_up(browser, live_server):
    # A second server on the same database: the one this test restarts (its own origin, so its own context).
    port = _free_port()
    restarting = {"base": f"http://127.0.0.1:{port}", "env": live_server["env"]}
    first = _serve(live_server["env"], port)
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.add_init_script(RECORD_SOCKET_EVENTS)
    log_in(page, restarting, "carmen_ruiz")
    page.goto(restarting["base"] + "/feed")
    page.wait_for_function("() => window.__wsOpens >= 1")
    page.evaluate("window.__notReloaded = true")

    first.send_signal(signal.SIGTERM)
    page.wait_for_function("() => window.__wsCloses.includes(1012)", timeout=5000)
    first.wait(timeout=30)
    # Written while nothing serves this page: only ?after can bring it.
    api_post(live_server, "lucas_moreau", "/api/v1/startups/", {"name": "Missed During Restart", "stage": "seed"})
    second = _serve(live_server["env"], port)
    try:
        page.locator("#feed-items").get_by_text("Missed During Restart").first.wait_for(timeout=30000)
        assert page.evaluate("window.__wsOpens") >= 2
        assert page.evaluate("window.__notReloaded") is True
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
        context.close()
