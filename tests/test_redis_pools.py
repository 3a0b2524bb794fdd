"""Every Redis client of a process sits on a bounded pool (REDIS_MAX_CONNECTIONS): a burst of
concurrent callers — a gevent worker runs hundreds of greenlets — never opens more connections than
that, and a caller finding them all busy falls back within the Redis timeout instead of hanging."""

import threading

import pytest
from redis import BlockingConnectionPool

from webapp.extensions import cache, limiter
from webapp.tasks import HueyQueue

from .conftest import TEST_REDIS_URL

pytestmark = pytest.mark.skipif(not TEST_REDIS_URL, reason="needs Redis (TEST_REDIS_URL)")


def _pools(app) -> dict:
    return {
        "cache": app.extensions["cache"][cache]._redis._write_client.connection_pool,
        "rate limits": limiter.storage.storage.connection_pool,
        "live publish": app.extensions["channel_layer"]._redis.connection_pool,
        "task queue": HueyQueue(app, TEST_REDIS_URL).huey.storage.pool,
    }


def test_every_redis_client_is_bounded_by_the_setting(make_app):
    app = make_app(REDIS_MAX_CONNECTIONS=3, RATELIMIT_ENABLED=True)
    with app.app_context():
        for name, pool in _pools(app).items():
            assert isinstance(pool, BlockingConnectionPool), name
            assert pool.max_connections == 3, name


def test_a_burst_of_callers_shares_the_bounded_connections(make_app):
    app = make_app(REDIS_MAX_CONNECTIONS=3)
    backend = app.extensions["cache"][cache]
    pool = backend._redis._write_client.connection_pool
    start, errors = threading.Barrier(24), []

    def reader():
        start.wait()
        try:
            for n in range(40):
                backend.set(f"burst:{n}", n)
                assert backend.get(f"burst:{n}") == n
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert not backend.using_fallback, "waiting for a free connection is not an outage"
    assert len(pool._connections) <= 3


def test_a_caller_finding_every_connection_busy_falls_back_instead_of_hanging(make_app):
    app = make_app(REDIS_MAX_CONNECTIONS=2)
    backend = app.extensions["cache"][cache]
    pool = backend._redis._write_client.connection_pool
    held = [pool.get_connection() for _ in range(2)]
    try:
        backend.set("busy", "local copy")
        assert backend.using_fallback
        assert backend.get("busy") == "local copy"
    finally:
        for connection in held:
            pool.release(connection)
