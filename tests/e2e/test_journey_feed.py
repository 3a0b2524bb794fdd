"""The feed scrolls through pages by itself; when the reader is scrolled down, new items wait
behind an "N new" pill and nothing on screen moves."""

from .actors import Person, not_reloaded, still_same_page, wait_until_live
from .conftest import api, log_in, unique

ANCHOR = """() => {
  const item = document.elementFromPoint(innerWidth / 2, innerHeight / 2).closest('.feed-item');
  return item && {id: item.id, top: item.getBoundingClientRect().top, scrollY: window.scrollY};
}"""
TOP_OF = "id => document.getElementById(id).getBoundingClientRect().top"
PAGE_Y = "id => document.getElementById(id).getBoundingClientRect().top + window.scrollY"


def scroll_down(you: Person) -> None:
    if you.keyboard:
        you.page.keyboard.press("End")
    else:
        you.page.mouse.wheel(0, 4000)


def test_feed_scrolls_by_itself_and_new_items_wait_behind_a_pill(new_context, live_server, keyboard):
    founder = live_server["logins"]["founder"]
    api(live_server, founder, "GET", "/api/v1/me")  # mint the API token before the clock matters
    page = new_context().new_page()
    you = Person(page, keyboard)
    log_in(page, live_server, live_server["logins"]["talent"])
    you.goto("/feed")
    items = page.locator("#feed-items > li.feed-item")
    items.first.wait_for()
    wait_until_live(page)
    not_reloaded(page)
    first_page = items.count()

    # Infinite scroll: pages arrive as the end comes into view; what is on screen stays put.
    for _ in range(60):
        if items.count() >= 3 * first_page:
            break
        before = page.evaluate(ANCHOR)
        scroll_down(you)
        page.wait_for_timeout(250)
        if before:  # loading a page below never moves what is above it
            assert abs(page.evaluate(PAGE_Y, before["id"]) - (before["top"] + before["scrollY"])) < 1
    assert items.count() >= 3 * first_page, f"only {items.count()} items after scrolling (page size {first_page})"

    # Scrolled down: a new item does not push the list; the pill offers it instead.
    page.wait_for_timeout(500)
    anchor = page.evaluate(ANCHOR)
    assert anchor and anchor["scrollY"] > 500
    name = unique("Pill Arrival ")
    api(live_server, founder, "POST", "/api/v1/startups/", {"name": name, "stage": "seed"})
    pill = page.locator("#feed-new-pill")
    pill.wait_for(state="visible", timeout=15_000)
    assert pill.inner_text().strip() == "1 new"
    assert page.evaluate(TOP_OF, anchor["id"]) == anchor["top"]
    assert page.evaluate("scrollY") == anchor["scrollY"]
    assert "1 new item" in page.locator("#feed-status").inner_text()
    assert name not in page.locator("#feed-items").inner_text()

    if keyboard:
        page.keyboard.press("n")  # the pill's shortcut: it may be far behind the keyboard focus
    else:
        pill.click()
    page.locator("#feed-items > li").first.filter(has_text=name).wait_for()
    assert pill.is_hidden()
    assert still_same_page(page)
