"""Cache back-end: Redis when configured, in-process when not or while Redis is down."""

import logging
import time

from cachelib import BaseCache, RedisCache, SimpleCache
from redis import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
REDIS_TIMEOUT_SECONDS = 0.5


REDIS_MAX_CONNECTIONS = 50


def redis_pool(url: str, max_connections: int = REDIS_MAX_CONNECTIONS) -> BlockingConnectionPool:
    """A bounded pool whose calls give up fast, so neither an outage nor a burst can hang requests.

    A gevent worker may run a thousand greenlets at once; with redis-py's default pool each could
    open its own connection until Redis refuses clients. Here a caller finding every connection
    busy waits at most the Redis timeout and then gets a ConnectionError, which every caller
    already treats like an outage (in-process fallback), never a hang and never a 500.
    """
    return BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        health_check_interval=30,
    )


def redis_client(url: str, max_connections: int = REDIS_MAX_CONNECTIONS) -> Redis:
    """Return a Redis client on its own bounded pool (see redis_pool)."""
    return Redis(connection_pool=redis_pool(url, max_connections))


class FallbackRedisCache(BaseCache):
    """Serve from Redis; on a Redis error switch to an in-process cache for a while.

    When Redis answers again the shared namespace is cleared once, because
    invalidations made during the outage only reached the in-process cache.
    """

    def __init__(self, redis: Redis, default_timeout: int = 300, key_prefix: str = "cache:"):
        super().__init__(default_timeout)
        self._redis = RedisCache(host=redis, default_timeout=default_timeout, key_prefix=key_prefix)
        self._local = SimpleCache(threshold=2000, default_timeout=default_timeout)
        self._down_until = 0.0
        self._was_down = False

    @property
    def using_fallback(self) -> bool:
        return time.monotonic() < self._down_until

    def _call(self, method: str, *args, **kwargs):
        if not self.using_fallback:
            try:
                if self._was_down:
                    self._redis.clear()
                    self._was_down = False
                    log.warning("cache: Redis is back, shared cache cleared")
                return getattr(self._redis, method)(*args, **kwargs)
            except RedisError as exc:
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
                self._was_down = True
                log.warning("cache: Redis unavailable (%s), using the in-process cache", exc)
        return getattr(self._local, method)(*args, **kwargs)

    def get(self, key):
        return self._call("get", key)

    def get_many(self, *keys):
        return self._call("get_many", *keys)

    def set(self, key, value, timeout=None):
        return self._call("set", key, value, timeout)

    def set_many(self, mapping, timeout=None):
        return self._call("set_many", mapping, timeout)

    def add(self, key, value, timeout=None):
        return self._call("add", key, value, timeout)

    def delete(self, key):
        return self._call("delete", key)

    def delete_many(self, *keys):
        return self._call("delete_many", *keys)

    def has(self, key):
        return self._call("has", key)

    def clear(self):
        self._local.clear()
        return self._call("clear")

    def inc(self, key, delta=1):
        return self._call("inc", key, delta)

    def dec(self, key, delta=1):
        return self._call("dec", key, delta)


def fallback_redis_cache(app, config, args, kwargs):
    """Flask-Caching factory (CACHE_TYPE points here)."""
    return FallbackRedisCache(
        redis_client(config["CACHE_REDIS_URL"], config.get("REDIS_MAX_CONNECTIONS", REDIS_MAX_CONNECTIONS)),
        default_timeout=config.get("CACHE_DEFAULT_TIMEOUT", 300),
        key_prefix=config.get("CACHE_KEY_PREFIX", "cache:"),
    )


def cache_config(app_config: dict) -> dict:
    """Return the Flask-Caching settings for the configured back-end."""
    if app_config.get("REDIS_URL"):
        return {
            "CACHE_TYPE": "webapp.caching.fallback_redis_cache",
            "CACHE_REDIS_URL": app_config["REDIS_URL"],
            "CACHE_KEY_PREFIX": app_config.get("CACHE_KEY_PREFIX", "collabhub:cache:"),
        }
    return {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 5000}
