"""Connections: the request/accept/decline/remove state machine, its event, notifications and the feed."""

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ActivityEvent, Connection, Notification
from webapp.services import connections, feed, profiles

from .factories import make_user
from .messaging_helpers import connect


@pytest.fixture
def ada_bob(app):
    return make_user(username="ada"), make_user(username="bob")


def _kinds(user) -> list[str]:
    return list(db.session.scalars(select(Notification.kind).where(Notification.recipient_id == user.id)))


def test_request_then_accept_makes_one_connection_with_the_acceptor_as_actor(api, ada_bob):
    ada, bob = ada_bob
    response = api.post("/api/v1/connections/", ada, json={"user": "bob"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "pending" and body["direction"] == "outgoing" and body["user"]["username"] == "bob"
    assert _kinds(bob) == ["connection_request"]

    listed = api.get("/api/v1/connections/", bob).get_json()
    assert [(c["id"], c["direction"]) for c in listed["results"]] == [(body["id"], "incoming")]

    accepted = api.post(f"/api/v1/connections/{body['id']}/accept", bob)
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    [event] = db.session.scalars(select(ActivityEvent).where(ActivityEvent.action_type == "connection_made"))
    assert event.actor_id == bob.id and event.target_id == ada.id and event.is_public
    assert _kinds(ada) == ["connection_accepted"]


def test_a_duplicate_request_is_a_conflict(api, ada_bob):
    api.post("/api/v1/connections/", ada_bob[0], json={"user": "bob"})
    again = api.post("/api/v1/connections/", ada_bob[0], json={"user": "BOB"})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "conflict"
    assert db.session.scalar(select(db.func.count()).select_from(Connection)) == 1


def test_asking_when_already_connected_is_a_conflict(api, ada_bob):
    connect(*ada_bob)
    assert api.post("/api/v1/connections/", ada_bob[0], json={"user": "bob"}).status_code == 409
    assert api.post("/api/v1/connections/", ada_bob[1], json={"user": "ada"}).status_code == 409


def test_crossing_requests_make_one_connection_and_the_second_asker_accepts(api, ada_bob):
    ada, bob = ada_bob
    first = api.post("/api/v1/connections/", ada, json={"user": "bob"})
    crossing = api.post("/api/v1/connections/", bob, json={"user": "ada"})
    assert crossing.status_code == 200
    assert crossing.get_json()["id"] == first.get_json()["id"] and crossing.get_json()["status"] == "accepted"
    events = list(db.session.scalars(select(ActivityEvent).where(ActivityEvent.action_type == "connection_made")))
    assert [e.actor_id for e in events] == [bob.id]
    assert db.session.scalar(select(db.func.count()).select_from(Connection)) == 1


def test_only_the_receiver_accepts_or_declines(api, ada_bob):
    ada, bob = ada_bob
    outsider = make_user(username="eve")
    connection_id = api.post("/api/v1/connections/", ada, json={"user": "bob"}).get_json()["id"]
    assert api.post(f"/api/v1/connections/{connection_id}/accept", ada).status_code == 403
    assert api.post(f"/api/v1/connections/{connection_id}/decline", ada).status_code == 403
    # Someone outside the pair does not learn the request exists.
    for path in ("accept", "decline"):
        assert api.post(f"/api/v1/connections/{connection_id}/{path}", outsider).status_code == 404
    assert api.delete(f"/api/v1/connections/{connection_id}", outsider).status_code == 404
    assert api.post(f"/api/v1/connections/{connection_id}/decline", bob).status_code == 204
    assert db.session.get(Connection, connection_id) is None
    # A declined request may be made again later, and notifies again.
    assert api.post("/api/v1/connections/", ada, json={"user": "bob"}).status_code == 201
    assert _kinds(bob) == ["connection_request", "connection_request"]


def test_accepting_twice_is_a_conflict_and_either_side_removes(api, ada_bob):
    ada, bob = ada_bob
    connection_id = api.post("/api/v1/connections/", ada, json={"user": "bob"}).get_json()["id"]
    assert api.post(f"/api/v1/connections/{connection_id}/accept", bob).status_code == 200
    assert api.post(f"/api/v1/connections/{connection_id}/accept", bob).status_code == 409
    assert api.post(f"/api/v1/connections/{connection_id}/decline", bob).status_code == 409
    assert api.delete(f"/api/v1/connections/{connection_id}", bob).status_code == 204
    assert api.get("/api/v1/connections/", ada).get_json()["count"] == 0


def test_the_requester_withdraws_but_the_receiver_must_decline(api, ada_bob):
    ada, bob = ada_bob
    connection_id = api.post("/api/v1/connections/", ada, json={"user": "bob"}).get_json()["id"]
    assert api.delete(f"/api/v1/connections/{connection_id}", bob).status_code == 403
    assert api.delete(f"/api/v1/connections/{connection_id}", ada).status_code == 204


@pytest.mark.parametrize("body, status", [
    ({}, 422), ({"user": ""}, 422), ({"user": "nobody"}, 404), ({"user": "ada"}, 422), ({"user": ["x"]}, 422),
    ({"user": "bob", "extra": 1}, 422),
])
def test_bad_requests_are_refused_cleanly(api, ada_bob, body, status):
    assert api.post("/api/v1/connections/", ada_bob[0], json=body).status_code == status
    assert db.session.scalar(select(db.func.count()).select_from(Connection)) == 0


def test_connections_weigh_into_the_following_feed(ada_bob):
    ada, bob = ada_bob
    carol = make_user(username="carol")
    profiles.update_profile(bob, {"headline": "Builder"})
    profiles.update_profile(carol, {"headline": "Stranger"})

    def following_actors():
        return {e["actor"]["username"] for e in feed.feed_page(ada, "following").events}

    assert "bob" not in following_actors()
    connect(ada, bob)
    assert "bob" in following_actors() and "carol" not in following_actors()
    assert bob.id in feed.followed_ids(ada.id)[0]
    connections.remove(ada, connections.between(ada.id, bob.id))
    assert "bob" not in {e["actor"]["username"] for e in feed.feed_page(ada, "following").events
                         if e["action_type"] != "connection_made"}
