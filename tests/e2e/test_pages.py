"""The main pages in a real browser: axe-core finds no serious or critical violation (light and
dark), every page has a title and the favicon, nothing overflows a 360 px phone, the JavaScript
they load weighs ≤ 60 KB gzipped, and no request leaves the site's origin (checked by the
`new_context` fixture for every e2e test).

axe-core is vendored for the tests only (tests/e2e/vendor/, never served by the app) and run
through Playwright's evaluate, which a page's Content-Security-Policy does not block.
"""

import gzip
import json
import urllib.request
from pathlib import Path

from .conftest import ARTIFACTS, log_in

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
JS_BUDGET = 60 * 1024
BLOCKING = ("serious", "critical")
RUN_AXE = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def main_pages(page, live_server) -> list[tuple[str, bool]]:
    """(path, signed in) for every page the issue names; ids and slugs from the demo data."""
    page.goto("/startups")
    startup = page.locator("main .card a[href^='/startups/']").first.get_attribute("href")
    page.goto("/opportunities")
    opportunity = page.locator("main .card a[href^='/opportunities/']").first.get_attribute("href")
    user = "/users/" + live_server["logins"]["talent"]
    anonymous = ["/", "/login", "/signup", "/search?q=data", user, startup, opportunity]
    signed_in = ["/", "/feed", "/search?q=data", "/notifications", user, startup, opportunity]
    return [(path, False) for path in anonymous] + [(path, True) for path in signed_in]


def settle(page, path: str) -> None:
    """Open a page and wait for its lazy fragments (skeletons gone, no htmx request in flight) and
    for every finite transition or animation to end: axe measures contrast on the colours of the
    moment, and a link caught half-way through a colour transition is a false failure."""
    page.goto(path)
    page.wait_for_function("() => !document.querySelector('.skeleton') && !document.querySelector('.htmx-request')"
                           " && !document.documentElement.classList.contains('htmx-busy')"
                           " && document.getAnimations().every(a => a.playState !== 'running'"
                           " || a.effect.getComputedTiming().iterations === Infinity)")


def axe(page, options: dict) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(RUN_AXE, options)


def test_main_pages_pass_axe_fit_a_phone_and_stay_in_the_javascript_budget(new_context, live_server):
    """Two passes over every main page, signed out and signed in:
    light, desktop: the whole axe rule set, and every script the pages load;
    dark, 360 px phone: axe's colour contrast, no sideways scrolling, titles, favicon, landmarks."""
    report, failures, scripts = {"axe": {}, "scripts": {}}, [], set()
    passes = (("light", {"width": 1280, "height": 800}, {}),
              ("dark", {"width": 360, "height": 740}, {"runOnly": ["color-contrast"]}))
    for scheme, viewport, options in passes:
        visitor = new_context(color_scheme=scheme, viewport=viewport).new_page()
        member = new_context(color_scheme=scheme, viewport=viewport).new_page()
        for page in (visitor, member):
            page.on("request", lambda request: scripts.add(request.url) if request.resource_type == "script" else None)
        log_in(member, live_server, live_server["logins"]["talent"])
        for path, signed_in in main_pages(visitor, live_server):
            page = member if signed_in else visitor
            settle(page, path)
            found = axe(page, options)
            key = f"{scheme} {viewport['width']}px {'member' if signed_in else 'visitor'} {path}"
            report["axe"][key] = {impact: sum(v["impact"] == impact for v in found)
                                  for impact in ("minor", "moderate", "serious", "critical")}
            failures += [(key, v) for v in found if v["impact"] in BLOCKING]
            if scheme == "dark":
                assert page.title().endswith(" · CollabHub"), (path, page.title())
                assert page.locator("link[rel=icon]").count() == 1
                for landmark in ("header", "nav", "main#main", "footer"):
                    assert page.locator(landmark).count() >= 1, (path, landmark)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"], f"{path} is {width} px wide on a 360 px phone"

    sizes = {}
    for url in sorted(scripts):
        with urllib.request.urlopen(url) as response:
            sizes[url.split("/static/", 1)[-1]] = len(gzip.compress(response.read(), compresslevel=9))
    report["scripts"] = sizes | {"total_gzip_bytes": sum(sizes.values())}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "pages-report.json").write_text(json.dumps(report, indent=2))
    assert not failures, json.dumps(failures, indent=1)
    assert sizes, "no scripts recorded"
    assert sum(sizes.values()) <= JS_BUDGET, sizes
