"""The feed in a real browser: live items arrive at the top, and it scrolls through pages by itself."""

from .conftest import api_post, log_in


def test_a_new_event_arrives_live_without_a_reload(page, live_server):
    log_in(page, live_server, "carmen_ruiz")
    page.goto(live_server["base"] + "/feed")
    items = page.locator("#feed-items > *")
    items.first.wait_for()
    before = items.count()
    page.evaluate("window.__notReloaded = true")
    api_post(live_server, "lucas_moreau", "/api/v1/startups/", {"name": "Live Arrival Co", "stage": "seed"})
    page.locator("#feed-items").get_by_text("Live Arrival Co").first.wait_for(timeout=5000)
    assert items.count() == before + 1
    assert "Live Arrival Co" in items.first.inner_text()
    assert page.evaluate("window.__notReloaded") is True


def test_the_feed_loads_more_pages_as_the_reader_scrolls(page, live_server):
    log_in(page, live_server, "carmen_ruiz")
    page.goto(live_server["base"] + "/feed")
    items = page.locator("#feed-items > *")
    items.first.wait_for()
    first_page = items.count()
    for _ in range(3):
        page.mouse.wheel(0, 20000)
        page.wait_for_timeout(600)
    assert items.count() >= 3 * first_page
