"""Outages: PostgreSQL restarting (connect retry, 503 not 500), Redis failing mid-request, tasks cut short."""

import pytest
import redis
from sqlalchemy.exc import OperationalError

from webapp.database import connect_without_retry, retrying_connect
from webapp.extensions import db, limiter
from webapp.realtime.connection import Connection, Outgoing
from webapp.realtime.layer import GAP, RedisChannelLayer, _control
from webapp.tasks import HueyQueue

CLOSED_REDIS = "redis://127.0.0.1:6390/0"


class Refused(Exception):
    pass


class FakeDialect:
    """A dialect whose server refuses `refusals` times, then accepts."""

    class loaded_dbapi:  # noqa: N801 - mirrors SQLAlchemy's attribute
        OperationalError = Refused

    def __init__(self, refusals: int):
        self.refusals, self.attempts = refusals, 0

    def connect(self, *args, **kwargs):
        self.attempts += 1
        if self.attempts <= self.refusals:
            raise Refused("the database system is starting up")
        return "connection"


def test_connecting_is_retried_while_the_server_restarts():
    dialect = FakeDialect(refusals=2)
    assert retrying_connect(5)(dialect, None, (), {}) == "connection"
    assert dialect.attempts == 3


def test_connecting_gives_up_after_its_budget():
    dialect = FakeDialect(refusals=1000)
    with pytest.raises(Refused):
        retrying_connect(0.3)(dialect, None, (), {})
    assert 1 < dialect.attempts < 1000


def test_probes_never_wait_for_the_database():
    dialect = FakeDialect(refusals=1)
    with connect_without_retry(), pytest.raises(Refused):
        retrying_connect(5)(dialect, None, (), {})
    assert dialect.attempts == 1


def _database_gone():
    raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))


@pytest.mark.parametrize("path, json", [("/api/v1/broken-db", True), ("/broken-db", False)])
def test_a_lost_database_is_a_503_with_retry_after(make_app, path, json):
    app = make_app()
    app.add_url_rule(path, path, _database_gone)
    response = app.test_client().get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    if json:
        assert response.get_json()["error"]["code"] == "unavailable"
    else:
        assert "try again" in response.get_data(as_text=True)


def test_a_connection_dying_at_the_end_of_a_request_does_not_turn_it_into_a_500(make_app, monkeypatch):
    app = make_app()
    original, calls = db.session.remove, []

    def remove_once_broken():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection unexpectedly"))
        original()

    monkeypatch.setattr(db.session, "remove", remove_once_broken)
    response = app.test_client().get("/live/")
    assert response.status_code == 200
    assert calls


def test_a_request_racing_the_limiter_switch_to_memory_is_served(make_app, monkeypatch):
    app = make_app(REDIS_URL=CLOSED_REDIS, RATELIMIT_ENABLED=True)
    monkeypatch.setattr(limiter, "_storage_dead", False)
    real = limiter._limiter

    class Racing:
        """Another request switches the limiter to memory while this one is still talking to Redis."""

        def hit(self, *args, **kwargs):
            limiter._storage_dead = True
            raise redis.ConnectionError("Connection refused")

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(limiter, "_limiter", Racing())
    response = app.test_client().post("/login", data={"username": "nobody", "password": "wrong"})
    assert response.status_code < 500


def test_every_redis_client_gives_up_within_half_a_second(make_app):
    app = make_app(REDIS_URL=CLOSED_REDIS, TASKS_IMMEDIATE=False)
    cache_client = app.extensions["cache"][next(iter(app.extensions["cache"]))]._redis._write_client
    pools = {
        "cache": cache_client.connection_pool,
        "channel layer": app.extensions["channel_layer"]._redis.connection_pool,
        "task queue": app.extensions["task_queue"].huey.storage.pool,
        "rate limits": app.config["RATELIMIT_STORAGE_OPTIONS"]["connection_pool"],
    }
    for name, pool in pools.items():
        kwargs = pool.connection_kwargs
        assert kwargs["socket_timeout"] <= 0.5, name
        assert kwargs["socket_connect_timeout"] <= 0.5, name
        assert pool.timeout <= 0.5, f"{name}: waiting for a free pooled connection is bounded too"


# -- live sockets: nothing lost when publishing through Redis fails ---------------------------

def _connection(last_id: int) -> Connection:
    connection = Connection(user_id=1)
    connection.last_event_id = connection.floor = last_id
    return connection


def test_a_gap_replays_from_before_events_delivered_locally_meanwhile():
    connection = _connection(10)
    connection.mark_gap()  # Redis trouble: from here on, other processes' events may be missing
    connection.mark_sent(Outgoing("", event_id=12))  # delivered locally during the outage
    assert connection.replay_start() == 10
    assert connection.replay_start() == 12  # the gap is cleared once replayed


def test_a_resync_names_the_first_unpublished_event():
    connection = _connection(10)
    connection.mark_sent(Outgoing("", event_id=15))
    _control("resync:12", [connection])
    assert connection.resync
    assert connection.replay_start() == 11


def test_a_gap_never_reaches_below_where_the_socket_started():
    connection = _connection(10)
    _control("resync:3", [connection])
    assert connection.replay_start() == 10
    starting = Connection(user_id=1)  # baseline not read yet: its own replay covers it
    starting.mark_gap()
    assert starting.gap_from is None


class FlakyRedis:
    def __init__(self):
        self.down, self.published = True, []

    def publish(self, channel, message):
        if self.down:
            raise redis.ConnectionError("Connection refused")
        self.published.append(message)


def test_a_failed_publish_is_delivered_locally_and_announced_once_redis_is_back(app):
    layer = RedisChannelLayer(app, CLOSED_REDIS)
    layer._redis = FlakyRedis()
    layer._connections.add(Connection(user_id=1))
    layer.publish(5)
    layer.publish(7)
    queued = [layer._inbox.get_nowait() for _ in range(layer._inbox.qsize())]
    assert queued == [GAP, "a:5", GAP, "a:7"]  # our sockets now; a gap in case others failed too
    layer._redis.down = False
    layer.publish(8)
    assert layer._redis.published == ["resync:5", "a:8"]
    layer.publish(9)
    assert layer._redis.published[-1] == "a:9"


def test_a_task_cut_short_by_shutdown_is_queued_again(app, monkeypatch):
    queue = HueyQueue(app, CLOSED_REDIS)
    requeued = []
    monkeypatch.setattr(queue.huey, "enqueue", requeued.append)
    task = type("Task", (), {"name": "webapp.tasks.notifications.new_follower", "id": "t1", "args": ()})()
    queue._on_interrupted("interrupted", task)
    assert requeued == [task]

