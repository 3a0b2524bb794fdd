"""An investor who sets nothing up sees startups ranked by traction, marks interest in the top one,
and its founder is notified live."""

import re

from .actors import Person, not_reloaded, sign_up, still_same_page, wait_until_live
from .conftest import log_in, unique
from .test_journey_founder import badge


def test_investor_sees_startups_ranked_by_traction_and_the_founder_hears_of_interest_live(
        new_context, live_server, keyboard):
    page = new_context().new_page()
    investor = Person(page, keyboard)
    sign_up(investor, unique("investor"), "investor")

    investor.goto("/")  # straight to the dashboard: no focus, no preferences set
    cards = page.locator("#recs-startups_for_investor .rec-card")
    cards.first.wait_for()
    assert cards.count() >= 3
    scores = [int(re.search(r"\d+", text).group()) for text in cards.locator(".rec-score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1], scores
    top_reasons = cards.first.locator(".rec-reasons").inner_text()
    assert re.search(r"growing \d+ % a month|MRR|monthly active users", top_reasons), top_reasons

    investor.activate(cards.first.locator("header a"))
    page.locator(".team .person").first.wait_for()
    founder_name = page.locator(".team .person").first.get_attribute("href").rsplit("/", 1)[-1]
    startup_name = page.locator("h1").first.inner_text().strip()

    founder_page = new_context().new_page()
    log_in(founder_page, live_server, founder_name)
    wait_until_live(founder_page)
    before = badge(founder_page)
    not_reloaded(founder_page)

    investor.activate(page.get_by_role("button", name="I'm interested"))
    page.get_by_role("button", name="Withdraw interest").wait_for()

    founder_page.wait_for_function(
        "n => Number(document.getElementById('notification-badge').textContent.trim()) > n", arg=before,
        timeout=15_000)
    founder_page.locator("#live-toasts").get_by_text(f"interested in {startup_name}").first.wait_for(timeout=5_000)
    assert still_same_page(founder_page)
