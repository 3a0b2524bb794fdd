"""Live fan-out through Redis: several app processes, one listener each, no loss when Redis drops."""

import pytest
import redis

from webapp.realtime.layer import LISTENER_NAME

from .conftest import TEST_REDIS_URL
from .factories import make_user, token_for
from .feed_helpers import bulk_events
from .live_server import LiveServer, next_json, wait_for

pytestmark = pytest.mark.skipif(not TEST_REDIS_URL, reason="needs TEST_REDIS_URL")


@pytest.fixture
def two_servers(app, make_app):
    """Two apps (two "processes": separate layers and listeners) on one database and one Redis."""
    servers = [LiveServer(app), LiveServer(make_app())]
    yield servers
    for server in servers:
        server.stop()


def _listening(server) -> bool:
    return server.app.extensions["channel_layer"].listening


def test_an_event_created_on_either_process_reaches_sockets_on_both(app, two_servers):
    first, second = two_servers
    reader = make_user(username="reader")
    writer = make_user(username="writer")
    token = token_for(reader)
    sockets = [first.connect("?format=json", token=token), second.connect("?format=json", token=token)]
    wait_for(lambda: all(_listening(server) for server in two_servers))
    wait_for(lambda: all(s.app.extensions["channel_layer"].connection_count() == 1 for s in two_servers))
    [on_first] = bulk_events(writer, 1)
    assert [next_json(client)["event"]["id"] for client in sockets] == [on_first, on_first]
    with second.app.app_context():
        [on_second] = bulk_events(make_user(username="other"), 1)
    received = [[next_json(client)["event"]["id"] for _ in range(2)] for client in sockets]
    assert all(on_second in ids for ids in received)


def test_one_listener_per_process_whatever_the_number_of_sockets(app, two_servers):
    first, _ = two_servers
    tokens = [token_for(make_user(username=f"user{n}")) for n in range(5)]
    for token in tokens:
        first.connect("?format=json", token=token)
    wait_for(lambda: first.app.extensions["channel_layer"].connection_count() == 5)
    wait_for(lambda: _listening(first))
    listeners = [c for c in redis.Redis.from_url(TEST_REDIS_URL).client_list() if c.get("name") == LISTENER_NAME]
    assert len(listeners) == 1


def test_sockets_survive_a_redis_drop_and_lose_nothing(app, two_servers):
    first, _ = two_servers
    reader, writer = make_user(username="reader"), make_user(username="writer")
    client = first.connect("?format=json", token=token_for(reader))
    wait_for(lambda: _listening(first) and first.app.extensions["channel_layer"].connection_count() == 1)
    admin = redis.Redis.from_url(TEST_REDIS_URL)
    db_index = str(admin.connection_pool.connection_kwargs.get("db", 0))
    for entry in admin.client_list():
        if entry.get("name") == LISTENER_NAME and str(entry.get("db")) == db_index:
            admin.client_kill_filter(_id=entry["id"])
    [missed] = bulk_events(writer, 1)  # published while the listener is reconnecting
    assert next_json(client, timeout=5)["event"]["id"] == missed
    assert client.connected
    [later] = bulk_events(writer, 1)
    assert next_json(client)["event"]["id"] == later
