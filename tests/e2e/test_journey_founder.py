"""A founder creates a startup and posts an opportunity; an application arrives live (badge and
feed item, no reload); the founder moves its status and the applicant sees that live too."""

from .actors import Person, not_reloaded, sign_up, still_same_page, wait_until_live
from .conftest import log_in, unique


def badge(page) -> int:
    text = page.locator("#notification-badge").inner_text().strip()
    return int(text or 0) if page.locator("#notification-badge").is_visible() else 0


def test_founder_sees_an_application_arrive_live_and_the_applicant_sees_the_status_change(
        new_context, live_server, keyboard):
    page = new_context().new_page()
    founder = Person(page, keyboard)
    sign_up(founder, unique("founder"), "founder")

    name = unique("Journey Labs ")
    founder.goto("/startups/new")
    founder.type_into(page.locator("#field-name"), name)
    founder.type_into(page.locator("#field-tagline"), "Tools for teams that ship")
    founder.type_into(page.locator("#field-industry"), "devtools")
    founder.choose(page.locator("#field-stage"), "Seed")
    founder.type_into(page.locator("#field-skills_needed"), "python, postgresql")
    founder.activate(page.get_by_role("button", name="Create startup"))
    page.get_by_role("heading", name=name).wait_for()

    founder.activate(page.get_by_role("button", name="Post an opportunity").first)
    title = unique("Founding engineer ")
    founder.type_into(page.locator("#field-title"), title)
    founder.choose(page.locator("#field-type"), "Full-time")
    founder.type_into(page.locator("#field-skills"), "python")
    founder.activate(page.get_by_role("button", name="Post opportunity"))
    page.get_by_text("Opportunity posted.").wait_for()
    opportunity_url = page.url

    founder.goto("/feed")
    page.locator("#feed-items > li").first.wait_for()
    wait_until_live(page)
    not_reloaded(page)
    assert badge(page) == 0

    applicant_page = new_context().new_page()
    applicant = Person(applicant_page, keyboard)
    log_in(applicant_page, live_server, live_server["logins"]["talent"])
    applicant.goto(opportunity_url)
    applicant.type_into(applicant_page.locator("#field-note"), "Keen to help.")
    applicant.activate(applicant_page.get_by_role("button", name="Send application"))
    applicant_page.get_by_text("Application sent.").wait_for()

    # Live on the founder's page: the feed item and the notification badge, without a reload.
    page.locator("#feed-items").get_by_text(f"applied to {title}").wait_for(timeout=15_000)
    page.wait_for_function("() => document.getElementById('notification-badge').textContent.trim() === '1'",
                           timeout=15_000)
    assert still_same_page(page)

    applicant.goto("/feed")
    applicant_page.locator("#feed-items > li").first.wait_for()
    wait_until_live(applicant_page)
    not_reloaded(applicant_page)
    unread_before = badge(applicant_page)

    founder.goto(opportunity_url)
    founder.activate(page.get_by_role("button", name="See applications"))
    row = page.locator("table.applicants tbody tr").first
    founder.choose(row.locator("select[name=status]"), "Shortlisted")
    founder.type_into(row.locator("input[name=feedback]"), "Let's talk on Monday.")
    founder.activate(row.get_by_role("button", name="Update"))
    page.locator("table.applicants").get_by_text("Shortlisted", exact=True).first.wait_for()

    applicant_page.locator("#feed-items").get_by_text(f"Application to {title}: submitted → shortlisted") \
        .wait_for(timeout=15_000)
    applicant_page.wait_for_function(
        "n => Number(document.getElementById('notification-badge').textContent.trim()) > n", arg=unread_before,
        timeout=15_000)
    assert still_same_page(applicant_page)
