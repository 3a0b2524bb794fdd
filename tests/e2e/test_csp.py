"""The strict CSP in a real browser: the main pages load, htmx and the live socket work, and the
console reports no Content-Security-Policy violation at all."""

from .conftest import log_in

PAGES = ["/", "/feed", "/startups", "/opportunities", "/people", "/search?q=data", "/notifications",
         "/settings/profile", "/settings/tokens", "/settings/password", "/recommendations/", "/applications",
         "/users/carmen_ruiz", "/settings/notifications"]


def _watch(page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    page.on("pageerror", lambda error: violations.append(f"page error: {error}"))
    return violations


def test_main_pages_load_with_zero_csp_violations(page, live_server):
    violations = _watch(page)
    for path in ("/login", "/signup", "/", "/search?q=data"):
        page.goto(live_server["base"] + path)
        page.wait_for_load_state("networkidle")
    log_in(page, live_server, "carmen_ruiz")
    for path in PAGES:
        page.goto(live_server["base"] + path)
        page.wait_for_load_state("networkidle")
    # A startup and an opportunity page, reached the way a reader would.
    page.goto(live_server["base"] + "/startups")
    page.locator("main a[href^='/startups/']").first.click()
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_htmx_and_the_socket_work_under_the_csp(page, live_server):
    violations = _watch(page)
    log_in(page, live_server, "carmen_ruiz")
    page.goto(live_server["base"] + "/search")
    page.fill("#search-q", "data")
    page.locator("#search-results .result-link").first.wait_for(timeout=5000)
    page.goto(live_server["base"] + "/feed")
    page.locator("#feed-items > *").first.wait_for()
    page.wait_for_function("() => document.querySelector('#live') && document.querySelector('#live')"
                           "['htmx-internal-data'] && document.querySelector('#live')['htmx-internal-data']"
                           ".webSocket && document.querySelector('#live')['htmx-internal-data'].webSocket"
                           ".socket.readyState === 1", timeout=5000)
    assert violations == []
