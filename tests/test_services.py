"""The service layer: each write records the right event, with the right audience, or nothing."""

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ActivityEvent, Application, Follow, Startup
from webapp.services import applications, follows, opportunities, profiles, startups
from webapp.services.errors import Conflict, Forbidden, NotFound, ValidationFailed

from .factories import make_opportunity, make_startup, make_user

pytestmark = pytest.mark.usefixtures("app")


def last_event() -> ActivityEvent:
    return db.session.scalar(select(ActivityEvent).order_by(ActivityEvent.id.desc()))


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ActivityEvent))


def test_profile_update_records_profile_updated_only_on_change():
    user = make_user()
    assert profiles.update_profile(user, {"headline": "Rust engineer", "skills": ["Rust", " WASM "]})
    event = last_event()
    assert (event.action_type, event.is_public, event.actor_id) == ("profile_updated", True, user.id)
    assert user.skill_names == ["rust", "wasm"]
    before = event_count()
    assert not profiles.update_profile(user, {"headline": "Rust engineer", "skills": ["wasm", "rust"]})
    assert event_count() == before


def test_startup_create_update_and_traction_events():
    founder = make_user("founder")
    startup = make_startup(founder, name="Acme Robotics")
    assert startup.slug == "acme-robotics" and startup.has_member(founder)
    assert last_event().action_type == "startup_created"
    startups.update_startup(startup, founder, {"tagline": "Robots for farms"})
    assert last_event().action_type == "startup_updated"
    startups.update_traction(startup, founder, {"mrr": 12000, "growth_rate": 0.3})
    event = last_event()
    assert (event.action_type, event.is_public) == ("traction_updated", True)
    assert startup.traction_updated_at is not None


def test_only_members_edit_a_startup_and_nothing_changes():
    startup = make_startup(name="Acme")
    outsider = make_user("founder")
    before = event_count()
    with pytest.raises(Forbidden):
        startups.update_startup(startup, outsider, {"name": "Hijacked"})
    db.session.expire_all()
    assert db.session.get(Startup, startup.id).name == "Acme"
    assert event_count() == before


def test_slugs_are_unique_and_derived_from_names():
    first = make_startup(name="Same Name")
    second = make_startup(name="Same Name")
    assert (first.slug, second.slug) == ("same-name", "same-name-2")


def test_opportunity_posted_and_closed_events():
    opportunity = make_opportunity(title="Backend engineer")
    assert last_event().action_type == "opportunity_posted"
    opportunities.close_opportunity(opportunity, opportunity.startup.members[0])
    event = last_event()
    assert (event.action_type, event.is_public) == ("opportunity_closed", True)
    assert opportunity.status == "closed" and opportunity.closed_at is not None


def test_application_events_are_private_to_applicant_and_members():
    opportunity = make_opportunity()
    founder = opportunity.startup.members[0]
    applicant = make_user("talent")
    application = applications.apply(applicant, opportunity, {"note": "Hi"})
    event = last_event()
    assert (event.action_type, event.is_public) == ("application_submitted", False)
    assert event.audience_ids == {applicant.id, founder.id}
    applications.change_status(application, founder, {"status": "shortlisted", "feedback": "Great profile"})
    event = last_event()
    assert (event.action_type, event.is_public) == ("application_status_changed", False)
    assert event.audience_ids == {applicant.id, founder.id}
    assert application.feedback == "Great profile"


def test_second_application_is_a_conflict():
    opportunity = make_opportunity()
    applicant = make_user()
    applications.apply(applicant, opportunity, {})
    with pytest.raises(Conflict):
        applications.apply(applicant, opportunity, {})
    assert db.session.scalar(select(func.count()).select_from(Application)) == 1


def test_cannot_apply_to_a_closed_opportunity_or_your_own():
    opportunity = make_opportunity()
    founder = opportunity.startup.members[0]
    with pytest.raises(Forbidden):
        applications.apply(founder, opportunity, {})
    opportunities.close_opportunity(opportunity, founder)
    with pytest.raises(Conflict):
        applications.apply(make_user(), opportunity, {})


def test_application_status_rules():
    opportunity = make_opportunity()
    founder = opportunity.startup.members[0]
    applicant, outsider = make_user(), make_user()
    application = applications.apply(applicant, opportunity, {})
    with pytest.raises(Forbidden):
        applications.change_status(application, applicant, {"status": "accepted"})
    with pytest.raises(NotFound):
        applications.change_status(application, outsider, {"status": "rejected"})
    with pytest.raises(ValidationFailed):
        applications.change_status(application, founder, {"status": "withdrawn"})
    applications.change_status(application, founder, {"status": "accepted"})
    with pytest.raises(Conflict):
        applications.change_status(application, founder, {"status": "rejected"})
    with pytest.raises(Conflict):
        applications.change_status(application, applicant, {"status": "withdrawn"})


def test_applicant_may_withdraw_an_open_application():
    opportunity = make_opportunity()
    applicant = make_user()
    application = applications.apply(applicant, opportunity, {})
    applications.change_status(application, applicant, {"status": "withdrawn"})
    assert application.status == "withdrawn"
    assert last_event().action_type == "application_status_changed"


def test_follow_events_and_rules():
    ada, grace = make_user(), make_user()
    startup = make_startup()
    follows.follow(ada, grace)
    assert (last_event().action_type, last_event().is_public) == ("followed_user", True)
    follows.follow(ada, startup)
    assert last_event().action_type == "followed_startup"
    with pytest.raises(Conflict):
        follows.follow(ada, grace)
    with pytest.raises(ValidationFailed):
        follows.follow(ada, ada)
    follows.unfollow(ada, grace)
    with pytest.raises(NotFound):
        follows.unfollow(ada, grace)
    assert db.session.scalar(select(func.count()).select_from(Follow)) == 1


def test_investor_interest_is_private_and_investor_only():
    startup = make_startup()
    founder = startup.members[0]
    investor = make_user("investor")
    with pytest.raises(Forbidden):
        startups.mark_interest(make_user("talent"), startup)
    assert startups.mark_interest(investor, startup) is True
    event = last_event()
    assert (event.action_type, event.is_public) == ("investor_interest", False)
    assert event.audience_ids == {investor.id, founder.id}
    assert startups.mark_interest(investor, startup) is False


def test_a_failed_write_leaves_nothing_behind():
    founder = make_user("founder")
    before = event_count()
    with pytest.raises(ValidationFailed):
        startups.create_startup(founder, {"name": "Bad", "stage": "unicorn"})
    with pytest.raises(ValidationFailed):
        startups.create_startup(founder, {"name": "Bad", "website": "javascript:alert(1)"})
    assert event_count() == before
    assert db.session.scalar(select(func.count()).select_from(Startup)) == 0


def test_hidden_startups_are_not_found_except_by_admins():
    startup = make_startup()
    startup.is_hidden = True
    db.session.commit()
    with pytest.raises(NotFound):
        startups.get_startup(startup.slug, make_user())
    admin = make_user()
    admin.is_admin = True
    assert startups.get_startup(startup.slug, admin) is startup
    assert startup not in startups.list_startups()


def test_a_startup_named_new_does_not_shadow_the_create_page():
    startup = make_startup(name="New")
    assert startup.slug == "new-2"
    with pytest.raises(ValidationFailed):
        make_startup(name="Other", slug="new")
