"""The activity feed API and page: pagination, scopes, filters, counts and the unread mark."""

from datetime import datetime

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ActivityEvent
from webapp.services import feed as feed_service
from webapp.services import follows, startups

from .factories import make_startup, make_user
from .feed_helpers import bulk_events, ids_of


def _walk(api, user, url):
    pages, seen = [], []
    while url:
        response = api.get(url, user=user)
        assert response.status_code == 200, response.get_json()
        payload = response.get_json()
        pages.append(payload)
        seen.extend(payload["results"])
        url = payload["next"]
        if len(pages) > 50:
            raise AssertionError("pagination does not end")
    return pages, seen


def _order_key(event):
    return (datetime.fromisoformat(event["created_at"]), event["id"])


def test_pagination_walks_every_event_once_in_order(app, api):
    ada = make_user(username="ada")
    bulk_events(ada, 9)
    bulk_events(ada, 6, tie=True)  # identical timestamps: the id breaks the tie
    viewer = make_user(username="viewer")
    expected = db.session.scalars(select(ActivityEvent.id)).all()
    pages, seen = _walk(api, viewer, "/api/v1/feed/?limit=5")
    assert len(pages) >= 3
    assert [len(page["results"]) for page in pages[:-1]] == [5] * (len(pages) - 1)
    ids = [event["id"] for event in seen]
    assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids))
    keys = [_order_key(event) for event in seen]
    assert all(a > b for a, b in zip(keys, keys[1:], strict=False))
    assert pages[0]["previous"] is None and pages[1]["previous"] is not None
    assert all(page["count"] == len(expected) for page in pages)


def test_pagination_is_stable_while_new_events_arrive(app, api):
    ada = make_user(username="ada")
    bulk_events(ada, 12)
    viewer = make_user(username="viewer")
    before = set(db.session.scalars(select(ActivityEvent.id)).all())
    first = api.get("/api/v1/feed/?limit=4", user=viewer).get_json()
    bulk_events(ada, 5)  # newer than everything: must not shift the pages being read
    _, rest = _walk(api, viewer, first["next"])
    ids = ids_of(first) + [event["id"] for event in rest]
    assert len(ids) == len(set(ids))
    assert set(ids) == before


def test_previous_link_returns_the_page_before(app, api):
    ada = make_user(username="ada")
    bulk_events(ada, 10)
    first = api.get("/api/v1/feed/?limit=3", user=ada).get_json()
    second = api.get(first["next"], user=ada).get_json()
    back = api.get(second["previous"], user=ada).get_json()
    assert ids_of(back) == ids_of(first)


def test_event_json_has_the_pinned_shape(app, api):
    founder = make_user("founder", username="ada", name="Ada Lovelace")
    make_startup(founder, name="Acme")
    payload = api.get("/api/v1/feed/", user=founder).get_json()
    assert set(payload) == {"count", "results", "next", "previous"}
    event = payload["results"][0]
    assert set(event) == {"id", "action_type", "actor", "target", "description", "is_public", "created_at"}
    assert event["action_type"] == "startup_created"
    assert event["actor"] == {"id": founder.id, "username": "ada", "name": "Ada Lovelace"}
    assert event["target"]["type"] == "startup" and event["target"]["title"] == "Acme"
    assert event["target"]["url"] == "/startups/acme"
    assert datetime.fromisoformat(event["created_at"]).tzinfo is not None


def test_limit_defaults_to_20_and_is_capped_at_100(app, api):
    ada = make_user(username="ada")
    bulk_events(ada, 105)
    assert len(api.get("/api/v1/feed/", user=ada).get_json()["results"]) == 20
    assert len(api.get("/api/v1/feed/?limit=5000", user=ada).get_json()["results"]) == 100
    assert len(api.get(f"/api/v1/feed/?limit={10**40}", user=ada).get_json()["results"]) == 100


def test_bad_queries_get_a_clear_4xx(app, api):
    ada = make_user(username="ada")
    for query, status in [
        ("cursor=garbage", 400), ("cursor=%00%01", 400), ("cursor=WzEsMiwzXQ", 400), ("cursor=" + "A" * 300, 422),
        ("limit=0", 422), ("limit=abc", 422), ("scope=everyone", 422), ("action_type=nope", 422),
    ]:
        response = api.get(f"/api/v1/feed/?{query}", user=ada)
        assert response.status_code == status, query
        assert "error" in response.get_json()


def test_feed_needs_a_valid_token(app, api):
    assert api.get("/api/v1/feed/").status_code == 401
    response = api.client.get("/api/v1/feed/", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "not_authenticated"


def test_action_type_filter(app, api):
    ada = make_user("founder", username="ada")
    make_startup(ada)
    payload = api.get("/api/v1/feed/?action_type=startup_created", user=ada).get_json()
    assert payload["count"] == 1
    assert [event["action_type"] for event in payload["results"]] == ["startup_created"]


def test_following_scope_has_followed_users_startups_and_own_events(app, api):
    viewer = make_user(username="viewer")
    friend = make_user(username="friend")
    stranger = make_user("founder", username="stranger")
    startup = make_startup(stranger, name="Followed Co")
    other = make_startup(stranger, name="Unfollowed Co")
    follows.follow(viewer, friend)
    follows.follow(viewer, startup)
    bulk_events(friend, 2)
    bulk_events(stranger, 2)
    payload = api.get("/api/v1/feed/?scope=following&limit=100", user=viewer).get_json()
    actors = {event["actor"]["username"] for event in payload["results"]}
    assert actors <= {"viewer", "friend", "stranger"}
    by_stranger = [event for event in payload["results"] if event["actor"]["username"] == "stranger"]
    targets = {(event["target"] or {}).get("title") for event in by_stranger}
    assert targets == {"Followed Co"}
    assert other.name not in str(payload)
    assert payload["count"] == len(payload["results"])
    everything = api.get("/api/v1/feed/?limit=100", user=viewer).get_json()
    assert everything["count"] > payload["count"]


def test_feed_page_renders_items_then_fragments_and_ends(app, client, auth):
    ada = make_user(username="ada")
    bulk_events(ada, 45)
    auth.login("ada")
    page = client.get("/feed").get_data(as_text=True)
    assert page.count('class="feed-item"') == 20
    assert 'hx-trigger="revealed"' in page and "feed-loading" in page
    assert "all caught up" not in page
    next_url = page.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    fragment = client.get(next_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and fragment.count('class="feed-item"') == 20
    last_url = fragment.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    last = client.get(last_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "all caught up" in last and 'hx-trigger="revealed"' not in last
    assert client.get("/feed?cursor=garbage", headers={"HX-Request": "true"}).status_code == 400


def test_feed_page_needs_login(client):
    assert client.get("/feed").status_code == 302


def test_unread_count_in_nav_and_opening_the_feed_moves_the_mark(app, client, auth):
    make_user(username="reader")
    writer = make_user(username="writer")
    auth.login("reader")
    client.get("/feed")
    bulk_events(writer, 3)
    home = client.get("/").get_data(as_text=True)
    assert 'id="feed-unread"' in home and ">3</span>" in home.split('id="feed-unread"', 1)[1][:200]
    client.get("/feed")
    after = client.get("/").get_data(as_text=True).split('id="feed-unread"', 1)[1][:200]
    assert "hidden" in after.split(">", 1)[0]


def test_an_event_committed_while_the_feed_page_is_built_is_replayed_not_skipped(app, client, auth, monkeypatch):
    reader, writer = make_user(username="reader"), make_user(username="writer")
    [shown] = bulk_events(writer, 1)
    auth.login("reader")
    real_page, arrived = feed_service.feed_page, []

    def page_then_a_new_event(*args, **kwargs):
        page = real_page(*args, **kwargs)
        arrived.extend(bulk_events(writer, 1))  # committed by someone else meanwhile
        return page

    monkeypatch.setattr(feed_service, "feed_page", page_then_a_new_event)
    html = client.get("/feed").get_data(as_text=True)
    assert f'id="event-{shown}"' in html and f'id="event-{arrived[0]}"' not in html
    after = int(html.split('data-latest-id="', 1)[1].split('"', 1)[0])
    socket_url = html.split('ws-connect="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    # The socket replays everything above `after`: the new event comes, and it is still unread.
    assert after == shown < arrived[0] and f"after={shown}" in socket_url
    assert feed_service.unread_count(reader) == 1


def test_user_activity_api(app, api):
    ada = make_user("founder", username="ada")
    make_startup(ada)
    viewer = make_user(username="viewer")
    payload = api.get(f"/api/v1/users/{ada.id}/activity/", user=viewer).get_json()
    assert set(payload) == {"count", "results", "next"}
    assert {event["actor"]["id"] for event in payload["results"]} == {ada.id}
    assert payload["count"] == 2
    assert api.get("/api/v1/users/99999/activity/", user=viewer).status_code == 404
    assert api.get(f"/api/v1/users/{10**30}/activity/", user=viewer).status_code == 404


def test_user_activity_fragment_paginates(app, client):
    ada = make_user(username="ada")
    bulk_events(ada, 25)
    fragment = client.get("/users/ada/activity").get_data(as_text=True)
    assert "<html" not in fragment and fragment.count('class="feed-item"') == 20
    next_url = fragment.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    rest = client.get(next_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert rest.count('class="feed-item"') == 6 and "everything" in rest
    assert client.get("/users/nobody/activity").status_code == 404


def test_following_scope_paginates_across_all_its_sources(app, api):
    viewer = make_user("founder", username="viewer")
    friend, stranger = make_user(username="friend"), make_user("founder", username="stranger")
    startup = make_startup(stranger, name="Followed Co")
    follows.follow(viewer, friend)
    follows.follow(viewer, startup)
    bulk_events(friend, 4)
    bulk_events(stranger, 3)  # not followed, not about the startup: never in this scope
    bulk_events(viewer, 2)
    for n in range(3):
        startups.update_startup(startup, stranger, {"tagline": f"v{n}"})
    pages, seen = _walk(api, viewer, "/api/v1/feed/?scope=following&limit=3")
    assert len(pages) >= 3
    ids = [event["id"] for event in seen]
    assert len(ids) == len(set(ids)) == pages[0]["count"]
    keys = [_order_key(event) for event in seen]
    assert all(a > b for a, b in zip(keys, keys[1:], strict=False))
    assert {event["actor"]["username"] for event in seen} == {"viewer", "friend", "stranger"}
    assert all(event["target"]["title"] == "Followed Co" for event in seen if event["actor"]["username"] == "stranger")
    back = api.get(pages[2]["previous"], user=viewer).get_json()
    assert ids_of(back) == ids_of(pages[1])
