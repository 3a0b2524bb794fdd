"""Private events reach only their audience; hidden events and targets reach nobody (SPEC §2)."""

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ActivityEvent
from webapp.services import applications, feed_cache, startups
from webapp.services.transaction import atomic

from .factories import make_startup, make_user
from .feed_helpers import private_world


def _api_ids(api, user, path):
    return {event["id"] for event in api.get(path, user=user).get_json()["results"]}


def _private_event_id(action_type):
    return db.session.scalar(select(ActivityEvent.id).where(ActivityEvent.action_type == action_type))


def test_private_application_event_reaches_only_its_audience(app, api):
    founder, _, _, applicant, outsider, _ = private_world()
    event_id = _private_event_id("application_submitted")
    for user, may_see in ((founder, True), (applicant, True), (outsider, False)):
        assert (event_id in _api_ids(api, user, "/api/v1/feed/?limit=100")) is may_see, user.username
        following = _api_ids(api, user, "/api/v1/feed/?scope=following&limit=100")
        assert (event_id in following) is may_see, user.username
        activity = _api_ids(api, user, f"/api/v1/users/{applicant.id}/activity/?limit=100")
        assert (event_id in activity) is may_see, user.username


def test_counts_never_include_what_the_viewer_may_not_see(app, api):
    founder, _, _, applicant, outsider, _ = private_world()
    counts = {
        user.username: api.get("/api/v1/feed/?action_type=application_submitted", user=user).get_json()["count"]
        for user in (founder, applicant, outsider)
    }
    assert counts == {"founder": 1, "applicant": 1, "outsider": 0}
    activity = api.get(f"/api/v1/users/{applicant.id}/activity/", user=outsider).get_json()
    assert all(event["is_public"] for event in activity["results"])
    assert activity["count"] == len(activity["results"])


def test_status_change_and_investor_interest_are_private_too(app, api):
    founder, startup, _, applicant, outsider, application = private_world()
    applications.change_status(application, founder, {"status": "reviewing"})
    investor = make_user("investor", username="investor")
    startups.mark_interest(investor, startup)
    status_id = _private_event_id("application_status_changed")
    interest_id = _private_event_id("investor_interest")
    assert {status_id, interest_id} <= _api_ids(api, founder, "/api/v1/feed/?limit=100")
    assert status_id in _api_ids(api, applicant, "/api/v1/feed/?limit=100")
    assert interest_id not in _api_ids(api, applicant, "/api/v1/feed/?limit=100")
    assert interest_id in _api_ids(api, investor, "/api/v1/feed/?limit=100")
    assert not {status_id, interest_id} & _api_ids(api, outsider, "/api/v1/feed/?limit=100")


def test_html_feed_and_activity_fragment_hide_private_events(app, make_client):
    private_world()
    pages = {}
    for username in ("founder", "applicant", "outsider"):
        browser = make_client()
        browser.post("/login", data={"username": username, "password": "correct horse battery staple"})
        pages[username] = (
            browser.get("/feed").get_data(as_text=True),
            browser.get("/users/applicant/activity").get_data(as_text=True),
        )
    marker = "applicant applied to Backend engineer"
    assert all(marker in feed and marker in activity for feed, activity in (pages["founder"], pages["applicant"]))
    assert all(marker not in page for page in pages["outsider"])
    anonymous = make_client().get("/users/applicant/activity").get_data(as_text=True)
    assert marker not in anonymous and "joined CollabHub" in anonymous


def test_hidden_events_and_hidden_targets_are_never_shown(app, api):
    founder = make_user("founder", username="founder")
    hidden_startup = make_startup(founder, name="Secret Co")
    shown = make_startup(founder, name="Open Co")
    viewer = make_user(username="viewer")
    api.get("/api/v1/feed/", user=viewer)  # warm the cache: moderation must still take effect
    joined = db.session.scalar(select(ActivityEvent).where(ActivityEvent.action_type == "user_joined",
                                                           ActivityEvent.actor_id == viewer.id))
    with atomic():
        hidden_startup.is_hidden = True
        joined.is_hidden = True
    feed_cache.bump_public()  # what moderation calls after hiding something
    for user in (viewer, founder):
        text = str(api.get("/api/v1/feed/?limit=100", user=user).get_json())
        assert "Secret Co" not in text and "Open Co" in text
        assert joined.id not in _api_ids(api, user, "/api/v1/feed/?limit=100")
        assert "Secret Co" not in str(api.get(f"/api/v1/users/{founder.id}/activity/", user=user).get_json())
    assert shown.name in str(api.get("/api/v1/feed/?action_type=startup_created", user=viewer).get_json())
