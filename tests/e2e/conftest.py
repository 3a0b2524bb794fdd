"""Real-browser tests: Debian's Chromium driven by Playwright against gunicorn, as in production."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
BIN = Path(sys.executable).parent

playwright = pytest.importorskip("playwright.sync_api")
if not shutil.which(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flask(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Serve the embedded default (SQLite, in-process broker) with gunicorn and the demo data."""
    port = _free_port()
    env = dict(os.environ, INSTANCE_PATH=str(tmp_path_factory.mktemp("instance")), PORT=str(port),
               RATELIMIT_ENABLED="false", SECRET_KEY="e2e-secret-key", SHUTDOWN_DRAIN_SECONDS="0")
    for name in ("DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY"):
        env.pop(name, None)
    _flask(env, "db", "upgrade")
    _flask(env, "seed-demo")
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/live/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield {"base": base, "env": env}
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(
            executable_path=CHROMIUM, args=["--disable-background-networking", "--disable-component-update"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context()
    page = context.new_page()
    yield page
    if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def api_post(live_server, username: str, path: str, body: dict) -> dict:
    """Write through the JSON API as `username` (a token made by `flask create-token`)."""
    token = _flask(live_server["env"], "create-token", username).strip().splitlines()[-1]
    request = urllib.request.Request(
        live_server["base"] + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def log_in(page, live_server, username: str, password: str = "collabhub-demo") -> None:
    page.goto(live_server["base"] + "/login")
    page.fill("#login-username", username)
    page.fill("#login-password", password)
    page.press("#login-password", "Enter")
    page.wait_for_url(live_server["base"] + "/")
