"""/ws/feed: authentication before the upgrade, live delivery, privacy per socket, ?after replay."""

import time

import pytest
from simple_websocket import ConnectionClosed
from simple_websocket import ConnectionError as HandshakeRefused
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ActivityEvent
from webapp.realtime.connection import Connection
from webapp.realtime.layer import RedisChannelLayer
from webapp.services import accounts, applications, follows

from .factories import PASSWORD, make_opportunity, make_startup, make_user, token_for
from .feed_helpers import bulk_events
from .live_server import LiveServer, next_json, receive_json, receive_until, wait_for


@pytest.fixture
def live(app):
    server = LiveServer(app)
    yield server
    server.stop()


def _connections(app) -> int:
    return app.extensions["channel_layer"].connection_count()


def _session_cookie(app, username: str) -> str:
    browser = app.test_client()
    assert browser.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return browser.get_cookie("session").value


@pytest.mark.parametrize("query, headers, status", [
    ("", {}, 401),
    ("?token=chub_not-a-token", {}, 401),
    ("", {"Authorization": "Bearer chub_not-a-token"}, 401),
    ("?format=xml&token={token}", {}, 422),
    ("?after=-1&token={token}", {}, 422),
    ("?after=99999999999999999999999&token={token}", {}, 422),
])
def test_bad_handshakes_are_refused_before_the_upgrade(app, live, query, headers, status):
    token = token_for(make_user(username="ada"))
    with pytest.raises(HandshakeRefused) as refused:
        live.connect(query.format(token=token), headers=headers)
    assert refused.value.status_code == status
    assert _connections(app) == 0


def test_session_cookie_needs_our_own_origin(app, live):
    make_user(username="ada")
    cookie = f"session={_session_cookie(app, 'ada')}"
    for origin in ("http://evil.example", None):
        headers = {"Cookie": cookie} | ({"Origin": origin} if origin else {})
        with pytest.raises(HandshakeRefused) as refused:
            live.connect("?format=json", headers=headers)
        assert refused.value.status_code == 403
    client = live.connect("?format=json", headers={"Cookie": cookie, "Origin": live.origin})
    wait_for(lambda: _connections(app) == 1)
    assert client.connected


def test_a_json_client_gets_another_users_event_within_two_seconds(app, live):
    reader, writer = make_user(username="reader"), make_user(username="writer")
    client = live.connect("?format=json", token=token_for(reader))
    wait_for(lambda: _connections(app) == 1)
    started = time.monotonic()
    [event_id] = bulk_events(writer, 1)
    message = next_json(client, timeout=2)
    assert time.monotonic() - started < 2
    assert message["type"] == "activity"
    assert message["event"]["id"] == event_id and message["event"]["actor"]["username"] == "writer"
    assert set(message["event"]) == {"id", "action_type", "actor", "target", "description", "is_public", "created_at"}


def test_each_socket_gets_only_what_its_user_may_see(app, live):
    founder = make_user("founder", username="founder")
    opportunity = make_opportunity(make_startup(founder), founder)
    applicant, outsider = make_user(username="applicant"), make_user(username="outsider")
    sockets = {user.username: live.connect("?format=json", token=token_for(user))
               for user in (founder, applicant, outsider)}
    wait_for(lambda: _connections(app) == 3)
    applications.apply(applicant, opportunity, {"note": "hello"})
    private_id = db.session.scalar(select(ActivityEvent.id).where(ActivityEvent.action_type == "application_submitted"))
    [public_id] = bulk_events(founder, 1)
    received = {name: receive_json(client) for name, client in sockets.items()}
    activity = {name: [m["event"]["id"] for m in msgs if m["type"] == "activity"] for name, msgs in received.items()}
    assert private_id in activity["founder"] and private_id in activity["applicant"]
    assert activity["outsider"] == [public_id]
    kinds = {name: [m["notification"]["kind"] for m in msgs if m["type"] == "notification"]
             for name, msgs in received.items()}
    assert kinds == {"founder": ["new_application"], "applicant": [], "outsider": []}


def test_following_scope_and_action_filter_on_the_socket(app, live):
    viewer, friend, stranger = (make_user(username=name) for name in ("viewer", "friend", "stranger"))
    follows.follow(viewer, friend)
    following = live.connect("?format=json&scope=following", token=token_for(viewer))
    filtered = live.connect("?format=json&action_type=followed_user", token=token_for(viewer))
    wait_for(lambda: _connections(app) == 2)
    bulk_events(stranger, 1)
    [friend_event] = bulk_events(friend, 1)
    follows.follow(stranger, friend)
    assert [m["event"]["id"] for m in receive_json(following)] == [friend_event]
    assert [m["event"]["action_type"] for m in receive_json(filtered)] == ["followed_user"]


def test_after_replays_missed_events_in_ascending_order_then_goes_live(app, live):
    founder = make_user("founder", username="founder")
    reader = make_user(username="reader")
    [seen] = bulk_events(founder, 1)
    missed = bulk_events(founder, 3)
    opportunity = make_opportunity(make_startup(founder), founder)
    applications.apply(make_user(username="applicant"), opportunity, {})  # private: not for the reader
    visible = db.session.scalars(
        select(ActivityEvent.id).where(ActivityEvent.id > seen, ActivityEvent.is_public).order_by(ActivityEvent.id)
    ).all()
    assert set(missed) <= set(visible)
    client = live.connect(f"?format=json&after={seen}", token=token_for(reader))
    replayed = [message["event"]["id"] for message in receive_json(client, timeout=1)]
    assert replayed == list(visible)
    [live_id] = bulk_events(founder, 1)
    assert next_json(client)["event"]["id"] == live_id


def test_browsers_get_oob_fragments_and_the_badge(app, live):
    ada, bob = make_user(username="ada"), make_user(username="bob")
    headers = {"Cookie": f"session={_session_cookie(app, 'ada')}", "Origin": live.origin}
    client = live.connect("", headers=headers)
    first = client.receive(timeout=2)
    assert 'id="notification-badge"' in first and 'hx-swap-oob="outerHTML"' in first
    follows.follow(bob, ada)
    messages = receive_until(client, lambda got: any("bob followed you" in m for m in got)
                             and any('id="feed-pending"' in m for m in got))
    messages += receive_until(client, lambda got: False, timeout=0.5)  # nothing more should follow
    activity = [m for m in messages if 'id="feed-pending"' in m]
    assert len(activity) == 1 and 'hx-swap-oob="afterbegin"' in activity[0] and "bob followed ada" in activity[0]
    badge = [m for m in messages if 'id="notification-badge"' in m]
    assert badge and ">1</span>" in badge[-1] and "bob followed you" in badge[-1]


def test_connection_count_and_health_check(app, live):
    layer = app.extensions["channel_layer"]
    client = live.connect("?format=json", token=token_for(make_user(username="ada")))
    wait_for(lambda: layer.connection_count() == 1)
    assert layer.check()["status"] == "ok" and layer.check()["connections"] == 1
    client.close()
    wait_for(lambda: layer.connection_count() == 0)


def test_with_redis_unreachable_publishing_falls_back_to_local_sockets(app):
    layer = RedisChannelLayer(app, "redis://127.0.0.1:8599/0")  # nothing listens there
    connection = Connection(make_user(username="ada").id, "json")
    layer.subscribe(connection)
    try:
        [event_id] = bulk_events(make_user(username="bob"), 1)
        layer.publish(event_id)  # must not raise: the write already committed
        message = connection.outbox.get(timeout=2)
        assert message.event_id == event_id and '"type": "activity"' in message.text
        assert layer.check()["status"] == "degraded"
    finally:
        layer.close()


def test_revoking_the_token_closes_its_open_socket(app, live):
    app.config["WEBSOCKET_REAUTH_SECONDS"] = 0.2
    ada = make_user(username="ada")
    token_row, token = accounts.create_token(ada, {"name": "live"})
    client = live.connect("?format=json", token=token)
    wait_for(lambda: _connections(app) == 1)
    accounts.revoke_token(ada, token_row.id)
    wait_for(lambda: _connections(app) == 0)
    with pytest.raises(ConnectionClosed):
        client.receive(timeout=2)


def test_a_password_change_closes_browser_sockets(app, live):
    app.config["WEBSOCKET_REAUTH_SECONDS"] = 0.2
    ada = make_user(username="ada")
    client = live.connect("", headers={"Cookie": f"session={_session_cookie(app, 'ada')}", "Origin": live.origin})
    wait_for(lambda: _connections(app) == 1)
    accounts.change_password(ada, "a brand new passphrase")
    wait_for(lambda: _connections(app) == 0)
    assert client.receive(timeout=1) is not None  # the badge sent on connect
    with pytest.raises(ConnectionClosed):
        client.receive(timeout=2)
