"""Prometheus metrics and the JSON counts at /metrics/.

With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an empty directory, before
the app is imported): each worker then writes its samples to files there and a scrape of
any worker adds them all up. gunicorn.conf.py marks dead workers so their gauges drop out.
"""

import functools
import os
import time

from cachelib import BaseCache
from flask import Flask, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import func, select

from ..extensions import cache, db
from ..models import ActivityEvent, Application, Notification, Opportunity, Startup, User
from .backlog import backlog, backlog_registry

REQUESTS = Counter(
    "collabhub_http_requests_total", "HTTP requests answered", ["method", "endpoint", "status"]
)
LATENCY = Histogram(
    "collabhub_http_request_duration_seconds", "Time to answer an HTTP request", ["method", "endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
CACHE_HITS = Counter("collabhub_cache_hits_total", "Cache look-ups that found a value")
CACHE_MISSES = Counter("collabhub_cache_misses_total", "Cache look-ups that found nothing")
# livesum: in multiprocess mode only running workers count, summed.
WEBSOCKETS = Gauge(
    "collabhub_websocket_connections", "Open websocket connections", multiprocess_mode="livesum"
)
TASKS_RUN = Counter("collabhub_tasks_total", "Background tasks run", ["task", "outcome"])

COUNTED_MODELS = {
    "users": User,
    "startups": Startup,
    "opportunities": Opportunity,
    "applications": Application,
    "activity_events": ActivityEvent,
    "notifications": Notification,
}
COUNTS_CACHE_KEY = "metrics:counts"
COUNTS_TTL_SECONDS = 5


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("prometheus_multiproc_dir")


def _registry() -> CollectorRegistry:
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def websocket_opened() -> None:
    """Count a websocket that has just connected (call from the socket handler)."""
    WEBSOCKETS.inc()


def websocket_closed() -> None:
    """Count a websocket that has just closed."""
    WEBSOCKETS.dec()


def websocket_connections() -> int:
    """Open websockets across all workers (this process only without multiprocess mode)."""
    return int(_registry().get_sample_value("collabhub_websocket_connections") or 0)


def counts() -> dict:
    """Row counts and the delivery backlog for /metrics/, cached briefly so polling stays cheap."""
    cached = cache.get(COUNTS_CACHE_KEY)
    if cached is None:
        cached = {name: db.session.scalar(select(func.count()).select_from(model)) or 0
                  for name, model in COUNTED_MODELS.items()}
        cached |= backlog()
        cache.set(COUNTS_CACHE_KEY, cached, timeout=COUNTS_TTL_SECONDS)
    return {**cached, "websocket_connections": websocket_connections()}


def prometheus_text() -> tuple[bytes, str]:
    """The Prometheus text exposition of every metric, the delivery backlog included."""
    return generate_latest(_registry()) + generate_latest(backlog_registry(backlog())), CONTENT_TYPE_LATEST


def _observe(response):
    rule = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
    started = g.get("request_started")
    REQUESTS.labels(request.method, rule, str(response.status_code)).inc()
    if started is not None:
        LATENCY.labels(request.method, rule).observe(time.perf_counter() - started)
    return response


def _counting_get(get):
    @functools.wraps(get)
    def counted(key):
        value = get(key)
        (CACHE_MISSES if value is None else CACHE_HITS).inc()
        return value

    return counted


def _counting_get_many(get_many):
    @functools.wraps(get_many)
    def counted(*keys):
        values = get_many(*keys)
        found = sum(value is not None for value in values)
        CACHE_HITS.inc(found)
        CACHE_MISSES.inc(len(values) - found)
        return values

    return counted


def instrument_cache(app: Flask) -> None:
    """Count hits and misses on this app's cache back-end, key by key (get and get_many)."""
    backend = app.extensions.get("cache", {}).get(cache)
    if backend is not None and not getattr(backend.get, "counted", False):
        backend.get = _counting_get(backend.get)
        backend.get.counted = True
        # cachelib's default get_many calls get (already counted); a back-end of its own (Redis) does not.
        if type(backend).get_many is not BaseCache.get_many:
            backend.get_many = _counting_get_many(backend.get_many)


def _counting_task(name: str, fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
        except Exception:
            TASKS_RUN.labels(name, "failure").inc()
            raise
        TASKS_RUN.labels(name, "success").inc()
        return result

    run.counted = True
    return run


def instrument_tasks(registry: dict) -> None:
    """Wrap every registered task so runs and failures are counted, whichever back-end runs it."""
    for name, fn in list(registry.items()):
        if not getattr(fn, "counted", False):
            registry[name] = _counting_task(name, fn)


def init_app(app: Flask) -> None:
    """Measure every request; count cache look-ups and tasks."""
    app.after_request(_observe)
    instrument_cache(app)
