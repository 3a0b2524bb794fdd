"""A new visitor signs up as talent, adds skills, gets recommendations with reasons, dismisses
one and applies to an opportunity — with the mouse, and with the keyboard only."""

from .actors import Person, sign_up
from .conftest import unique


def test_talent_signs_up_adds_skills_dismisses_a_recommendation_and_applies(new_context, keyboard):
    page = new_context().new_page()
    you = Person(page, keyboard)
    sign_up(you, unique("talent"), "talent")

    you.type_into(page.locator("#field-headline"), "Backend engineer, data pipelines")
    you.type_into(page.locator("#field-skills"), "python, postgresql, machine learning, react")
    you.activate(page.get_by_role("button", name="Save profile"))
    page.get_by_text("Profile saved.").wait_for()

    you.goto("/")
    cards = page.locator("#recs-startups_for_talent .rec-card")
    cards.first.wait_for()
    reasons = cards.first.locator(".rec-reasons").inner_text()
    assert "of your skills" in reasons or "hiring" in reasons, reasons
    before = cards.count()
    dismissed = cards.first.get_attribute("id")
    you.activate(cards.first.get_by_role("button", name="Not interested"))
    page.locator(f"#{dismissed}").wait_for(state="detached")
    assert cards.count() == before - 1

    roles = page.locator("#recs-opportunities_for_talent .rec-card")
    roles.first.wait_for()
    title = roles.first.locator("header a").inner_text()
    you.activate(roles.first.locator("header a"))
    page.get_by_role("heading", name=title, exact=True).wait_for()
    you.type_into(page.locator("#field-note"), "I have shipped exactly this twice.")
    you.activate(page.get_by_role("button", name="Send application"))
    page.get_by_text("Application sent.").wait_for()
    assert "Submitted" in page.locator("#apply").inner_text()
