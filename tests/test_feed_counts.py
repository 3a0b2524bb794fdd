"""Exact counts from trigger-kept totals, and the `following` keyset over the viewer's private events."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from webapp.extensions import cache, db
from webapp.models import ActivityEvent, EventAudience, PublicEventCount
from webapp.services import applications, follows, moderation
from webapp.services.events import record_event
from webapp.services.feed_counts import public_count
from webapp.services.transaction import atomic
from webapp.services.visibility import following, visible_to

from .factories import make_opportunity, make_startup, make_user
from .feed_helpers import bulk_events, private_world


def _visible_count(viewer_id, action_type=None, scope="all") -> int:
    condition = visible_to(viewer_id)
    if scope == "following":
        condition = condition & following(viewer_id)
    if action_type:
        condition = condition & (ActivityEvent.action_type == action_type)
    return db.session.scalar(select(func.count()).select_from(ActivityEvent).where(condition))


def _walk(api, user, url) -> list[dict]:
    seen = []
    while url:
        payload = api.get(url, user=user).get_json()
        seen.extend(payload["results"])
        url = payload["next"]
    return seen


def _moderated_world():
    """private_world plus a hidden event, a hidden startup with its opportunity, and a hidden opportunity."""
    founder, startup, opportunity, applicant, outsider, application = private_world()
    admin = moderation.make_admin(make_user(username="admin").username)
    secret = make_startup(founder, name="Secret Co")
    make_opportunity(secret, founder, title="Secret job")
    closed = make_opportunity(startup, founder, title="Pulled job")
    [noisy] = bulk_events(outsider, 1)
    moderation.set_hidden(admin, "startups", secret.id, True)
    moderation.set_hidden(admin, "opportunities", closed.id, True)
    moderation.set_hidden(admin, "events", noisy, True)
    return founder, applicant, outsider


@pytest.mark.parametrize("action_type", [None, "application_submitted", "opportunity_posted", "startup_created",
                                         "profile_updated"])
def test_the_count_is_exact_for_outsider_participant_and_actor(app, api, action_type):
    founder, applicant, outsider = _moderated_world()
    query = f"?limit=100&action_type={action_type}" if action_type else "?limit=100"
    for user in (outsider, founder, applicant):  # outsider, participant (audience), actor
        cache.clear()
        payload = api.get(f"/api/v1/feed/{query}", user=user).get_json()
        assert payload["count"] == _visible_count(user.id, action_type), user.username
        assert payload["count"] == len(_walk(api, user, f"/api/v1/feed/{query}")), user.username
    cache.clear()
    counts = {u.username: api.get(f"/api/v1/feed/{query}", user=u).get_json()["count"]
              for u in (outsider, founder, applicant)}
    if action_type == "application_submitted":
        assert counts == {"outsider": 0, "founder": 1, "applicant": 1}


def test_the_totals_follow_inserts_rollbacks_and_deletes(app):
    ada = make_user(username="ada")
    bulk_events(ada, 3)
    with pytest.raises(RuntimeError), atomic():
        record_event(ada, "profile_updated", ada, "rolled back")
        raise RuntimeError("the write fails")
    public = select(func.count()).select_from(ActivityEvent).where(ActivityEvent.is_public)
    assert public_count() == db.session.scalar(public) == 4  # user_joined + 3
    with atomic():
        db.session.delete(db.session.get(ActivityEvent, bulk_events(ada, 1)[0]))
    assert public_count() == 4 and public_count("profile_updated") == 3
    assert db.session.scalar(select(func.sum(PublicEventCount.n))) == 4


def test_audience_rows_carry_their_events_time(app):
    private_world()
    rows = db.session.execute(
        select(EventAudience.created_at, ActivityEvent.created_at).join(ActivityEvent)
    ).all()
    assert rows and all(mine == theirs for mine, theirs in rows)


def test_following_pages_interleave_many_private_events_in_order(app, api):
    viewer = make_user("founder", username="viewer")
    friend, stranger = make_user(username="friend"), make_user(username="stranger")
    follows.follow(viewer, friend)
    startup = make_startup(viewer, name="Viewer Co")
    for n in range(4):
        bulk_events(friend, 1)
        job = make_opportunity(startup, viewer, title=f"Job {n}")
        applications.apply(make_user(username=f"applicant{n}"), job, {})  # private to the viewer
        bulk_events(stranger, 1)  # never in the viewer's following scope
    seen = _walk(api, viewer, "/api/v1/feed/?scope=following&limit=3")
    expected = db.session.scalars(
        select(ActivityEvent.id).where(visible_to(viewer.id) & following(viewer.id))
        .order_by(ActivityEvent.created_at.desc(), ActivityEvent.id.desc())
    ).all()
    assert len(expected) >= 10  # at least four pages of three
    assert [event["id"] for event in seen] == list(expected)
    assert sum(not event["is_public"] for event in seen) == 4
    keys = [(datetime.fromisoformat(e["created_at"]), e["id"]) for e in seen]
    assert keys == sorted(keys, reverse=True)
    assert api.get("/api/v1/feed/?scope=following", user=viewer).get_json()["count"] == len(expected)
