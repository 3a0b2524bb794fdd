"""The event outbox: committed events reach connected sockets exactly once, rolled-back ones never."""

import socket

import pytest
import redis
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ActivityEvent, OutboxMessage
from webapp.realtime.connection import Connection, Outgoing
from webapp.services import conversations, outbox
from webapp.services.events import record_event
from webapp.services.transaction import atomic

from .conftest import TEST_REDIS_URL
from .factories import make_user, token_for
from .feed_helpers import bulk_events
from .live_server import LiveServer, receive_json, wait_for
from .messaging_helpers import connect, pair_of_users


@pytest.fixture
def live(app):
    server = LiveServer(app)
    yield server
    server.stop()


def _closed_redis_url() -> str:
    """A Redis URL on a port nothing listens on (found now: fixed ports may be taken)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def _unpublished() -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(
        select(OutboxMessage.ref_id).where(OutboxMessage.published_at.is_(None)).order_by(OutboxMessage.ref_id)
    ))


def _activity_ids(messages: list[dict]) -> list[int]:
    return [m["event"]["id"] for m in messages if m["type"] == "activity"]


def _connected(app, count: int = 1) -> None:
    """Wait for the sockets, and for Redis's listener: its first subscription replays from the database."""
    layer = app.extensions["channel_layer"]
    wait_for(lambda: layer.connection_count() == count and getattr(layer, "listening", True), timeout=10)


def test_each_event_is_written_with_an_outbox_row_and_marked_once_published(app):
    ada = make_user(username="ada")
    [event_id] = bulk_events(ada, 1)
    row = db.session.get(OutboxMessage, ("a", event_id))
    assert row is not None and row.published_at is not None
    assert _unpublished() == []


def test_a_rolled_back_transaction_writes_and_publishes_nothing(app, monkeypatch):
    ada = make_user(username="ada")
    published = []
    layer = app.extensions["channel_layer"]
    monkeypatch.setattr(layer, "publish", lambda event_id, fallback=True: published.append(event_id) or True)
    before = db.session.scalar(select(ActivityEvent.id).order_by(ActivityEvent.id.desc()).limit(1))
    with pytest.raises(RuntimeError), atomic():
        record_event(ada, "profile_updated", ada, "never happened")
        raise RuntimeError("the write fails")
    assert published == []
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.ref_id > (before or 0))).all() == []
    assert outbox.relay(grace_seconds=0) == 0
    assert published == []


def test_a_failed_publish_stays_in_the_outbox_and_the_relay_delivers_it_once(app, live, monkeypatch):
    reader, writer = make_user(username="reader"), make_user(username="writer")
    client = live.connect("?format=json", token=token_for(reader))
    _connected(app)
    layer = app.extensions["channel_layer"]
    real_publish = layer.publish
    monkeypatch.setattr(layer, "publish", lambda event_id, fallback=True: False)  # "Redis is down"
    missed = bulk_events(writer, 2)
    assert _unpublished() == missed
    assert receive_json(client, timeout=0.5) == []
    monkeypatch.setattr(layer, "publish", real_publish)  # "Redis is back"
    assert outbox.relay(grace_seconds=60) == 0  # too fresh: the fast path may still be at work
    assert outbox.relay(grace_seconds=0) == 2
    assert _unpublished() == []
    assert outbox.relay(grace_seconds=0) == 0
    assert _activity_ids(receive_json(client)) == missed


def test_the_relay_catches_up_after_a_process_died_between_commit_and_publish(app, live, monkeypatch):
    reader, writer = make_user(username="reader"), make_user(username="writer")
    client = live.connect("?format=json", token=token_for(reader))
    _connected(app)
    monkeypatch.setattr(outbox, "publish_now", lambda batch: None)  # committed, then the process died
    lost = bulk_events(writer, 3)
    monkeypatch.undo()
    assert _unpublished() == lost
    assert receive_json(client, timeout=0.5) == []
    app.config["OUTBOX_RELAY_GRACE_SECONDS"] = 0
    assert app.extensions["outbox_sweeper"].run_once()["relayed"] == 3
    assert _activity_ids(receive_json(client)) == lost


def test_a_double_publish_reaches_each_socket_once(app, live):
    reader, writer = make_user(username="reader"), make_user(username="writer")
    client = live.connect("?format=json", token=token_for(reader))
    _connected(app)
    [event_id] = bulk_events(writer, 1)
    layer = app.extensions["channel_layer"]
    layer.publish(event_id)  # the relay's copy of what the fast path already sent
    layer.publish(event_id)
    assert _activity_ids(receive_json(client)) == [event_id]


def _message_ids(messages: list[dict]) -> list[int]:
    return [m["message"]["id"] for m in messages if m["type"] == "message"]


def test_a_message_whose_publish_failed_reaches_the_recipient_through_the_relay_once(app, live, monkeypatch):
    reader, writer = pair_of_users("reader", "writer")
    connect(reader, writer)
    client = live.connect("?format=json", token=token_for(reader))
    _connected(app)
    layer = app.extensions["channel_layer"]
    real_publish = layer.publish_message
    monkeypatch.setattr(layer, "publish_message", lambda message_id, fallback=True: False)  # "Redis is down"
    _, message, _ = conversations.start(writer, {"user": "reader", "body": "Are you there?"})
    assert _unpublished() == [message.id]
    assert receive_json(client, timeout=0.5) == []
    monkeypatch.setattr(layer, "publish_message", real_publish)  # "Redis is back"
    assert outbox.relay(grace_seconds=0) == 1
    assert _message_ids(receive_json(client)) == [message.id]
    assert _unpublished() == [] and outbox.relay(grace_seconds=0) == 0
    # A second copy (the relay's, after a fast path that did get through) is dropped by the socket.
    layer.publish_message(message.id)
    assert receive_json(client, timeout=0.5) == []


def test_the_connection_remembers_what_it_sent_by_kind_and_id():
    connection = Connection(user_id=1)
    event, notification = Outgoing("x", event_id=7), Outgoing("y", notification_id=7)
    connection.mark_sent(event)
    assert connection.already_sent(Outgoing("again", event_id=7))
    assert not connection.already_sent(notification)  # same number, other kind
    connection.mark_sent(notification)
    assert connection.already_sent(notification)
    assert (connection.last_event_id, connection.last_notification_id) == (7, 7)
    message = Outgoing("z", message_id=7)
    assert not connection.already_sent(message)
    connection.mark_sent(message)
    assert connection.already_sent(Outgoing("again", message_id=7))
    assert not connection.already_sent(Outgoing(""))


def test_with_redis_unreachable_events_stay_unpublished_until_the_relay_runs(make_app):
    app = make_app(REDIS_URL=_closed_redis_url())
    with app.app_context():
        ada = make_user(username="ada")  # her user_joined event is unpublished too
        ids = bulk_events(ada, 2)
        waiting = _unpublished()
        assert set(ids) < set(waiting)
        assert outbox.relay(grace_seconds=0) == 0  # still down: nothing marked, nothing lost
        assert _unpublished() == waiting


@pytest.mark.skipif(not TEST_REDIS_URL, reason="needs TEST_REDIS_URL")
def test_real_redis_down_between_commit_and_publish_then_back_delivers_exactly_once(app, make_app):
    """Two processes: the writer's Redis connection is unusable when it commits, the reader's is fine."""
    writer_server, reader_server = LiveServer(app), LiveServer(make_app())
    try:
        reader, writer = make_user(username="reader"), make_user(username="writer")
        token = token_for(reader)
        local = writer_server.connect("?format=json", token=token)
        remote = reader_server.connect("?format=json", token=token)
        layers = [s.app.extensions["channel_layer"] for s in (writer_server, reader_server)]
        wait_for(lambda: all(layer.listening and layer.connection_count() == 1 for layer in layers))
        working = layers[0]._redis
        layers[0]._redis = redis.Redis.from_url(_closed_redis_url(), socket_connect_timeout=0.2)
        ids = bulk_events(writer, 2)  # committed; the publish fails for real (ConnectionError)
        assert _unpublished() == ids
        assert _activity_ids(receive_json(local)) == ids  # the writer's own sockets got them locally
        assert receive_json(remote, timeout=0.5) == []
        layers[0]._redis = working  # Redis is back for this process
        assert outbox.relay(grace_seconds=0) == 2
        assert _activity_ids(receive_json(remote)) == ids
        assert receive_json(local, timeout=0.5) == []  # the relay's copy was dropped as already sent
        assert outbox.relay(grace_seconds=0) == 0
    finally:
        writer_server.stop()
        reader_server.stop()
