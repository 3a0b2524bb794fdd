"""Feed pages are cached per viewer, and every write that changes a page invalidates it."""

import pytest

from webapp.extensions import cache
from webapp.services import applications, events, follows, outbox
from webapp.services.transaction import atomic

from .factories import make_opportunity, make_startup, make_user
from .feed_helpers import bulk_events, ids_of


def _feed(api, user, query=""):
    return api.get(f"/api/v1/feed/?limit=100{query}", user=user).get_json()


def test_pages_are_served_from_the_cache(app, api, monkeypatch):
    ada = make_user(username="ada")
    first = _feed(api, ada)
    calls = []
    original = cache.get
    monkeypatch.setattr(cache, "get", lambda key: calls.append(key) or original(key))
    assert _feed(api, ada) == first
    assert any(key.startswith("feed:page:") for key in calls)


def test_a_new_public_event_shows_at_once_for_everyone(app, api):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    before = {user.id: ids_of(_feed(api, user)) for user in (ada, bob)}
    new_ids = bulk_events(ada, 1)
    for user in (ada, bob):
        after = _feed(api, user)
        assert ids_of(after)[0] == new_ids[0]
        assert ids_of(after)[1:] == before[user.id]


def test_a_private_event_invalidates_its_audience_only(app, api):
    founder = make_user("founder", username="founder")
    opportunity = make_opportunity(make_startup(founder), founder)
    applicant, outsider = make_user(username="applicant"), make_user(username="outsider")
    pages = {user.id: _feed(api, user) for user in (founder, applicant, outsider)}
    applications.apply(applicant, opportunity, {})
    for user in (founder, applicant):
        assert _feed(api, user)["results"][0]["action_type"] == "application_submitted"
    assert _feed(api, outsider) == pages[outsider.id]


def test_unfollowing_changes_the_following_scope_at_once(app, api):
    viewer, friend = make_user(username="viewer"), make_user(username="friend")
    follows.follow(viewer, friend)
    assert "friend" in {e["actor"]["username"] for e in _feed(api, viewer, "&scope=following")["results"]}
    follows.unfollow(viewer, friend)
    following = _feed(api, viewer, "&scope=following")
    assert "friend" not in {e["actor"]["username"] for e in following["results"] if e["action_type"] != "followed_user"}


def test_events_are_announced_only_after_commit(app, monkeypatch):
    ada = make_user(username="ada")
    announced = []
    monkeypatch.setattr(outbox, "announce_event", lambda *args, **kwargs: announced.append(args) or True)
    with pytest.raises(RuntimeError), atomic():
        events.record_event(ada, "profile_updated", ada, "rolled back")
        raise RuntimeError("the write fails")
    assert announced == []
    with atomic():
        events.record_event(ada, "profile_updated", ada, "kept")
        assert announced == []
    assert len(announced) == 1


def test_counts_may_lag_60_seconds_for_public_events_but_never_for_private_ones(app, api):
    founder = make_user("founder", username="founder")
    opportunity = make_opportunity(make_startup(founder), founder)
    applicant = make_user(username="applicant")
    before = _feed(api, founder)["count"]
    applications.apply(applicant, opportunity, {})  # private: counted for its audience at once
    assert _feed(api, founder)["count"] == before + 1
    cache.clear()  # what 60 seconds do
    assert _feed(api, founder)["count"] == len(_feed(api, founder)["results"])
