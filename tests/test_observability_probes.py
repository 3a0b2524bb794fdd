"""Probes: /health/, /live/, /ready/ with everything up, Redis down, the database down, a pending migration."""

import os
import time

import pytest
from flask_migrate import stamp

from .factories import make_startup

CLOSED_REDIS = "redis://127.0.0.1:6390/0"
CLOSED_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5439/x?connect_timeout=1"
CHECKS = {"database", "cache", "redis", "channel_layer", "task_queue"}


def test_health_reports_every_check_with_status_and_latency(client):
    response = client.get("/health/")
    body = response.get_json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECKS
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert isinstance(check["latency_ms"], int | float)
    assert body["checks"]["channel_layer"]["backend"] == ("redis" if os.environ.get("TEST_REDIS_URL") else "inprocess")


def test_live_touches_nothing_and_ready_is_ready_at_head(client):
    assert client.get("/live/").get_json() == {"status": "alive"}
    response = client.get("/ready/")
    assert (response.status_code, response.get_json()) == (200, {"status": "ready"})


def test_channel_layer_check_is_used_when_present(app, client):
    class Layer:
        def check(self):
            return {"status": "degraded", "backend": "redis", "listener": "reconnecting"}

    app.extensions["channel_layer"] = Layer()
    body = client.get("/health/").get_json()
    assert body["status"] == "degraded"
    assert body["checks"]["channel_layer"]["listener"] == "reconnecting"


def test_redis_down_is_degraded_and_pages_are_still_served(app, make_app):
    make_startup(name="Still Here")
    down = make_app(REDIS_URL=CLOSED_REDIS, TASKS_IMMEDIATE=False)
    client = down.test_client()
    response = client.get("/health/")
    body = response.get_json()
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "error"
    assert body["checks"]["cache"] == body["checks"]["cache"] | {"status": "degraded", "backend": "memory-fallback"}
    assert body["checks"]["task_queue"]["status"] == "degraded"
    page = client.get("/")
    assert page.status_code == 200
    assert "Still Here" in page.get_data(as_text=True)
    assert client.get("/metrics/").status_code == 200
    assert client.get("/ready/").status_code == 200


def test_database_down_fails_health_and_ready_but_not_live(app, make_app):
    client = make_app(DATABASE_URL=CLOSED_DATABASE).test_client()
    health = client.get("/health/")
    assert health.status_code == 503
    assert health.get_json()["status"] == "error"
    assert health.get_json()["checks"]["database"]["status"] == "error"
    ready = client.get("/ready/")
    assert ready.status_code == 503
    assert ready.get_json()["status"] == "not_ready"
    assert "database" in ready.get_json()["reason"]
    assert client.get("/live/").get_json() == {"status": "alive"}


def test_a_hung_check_cannot_hang_the_probe(app, client):
    class Hung:
        def check(self):
            time.sleep(3)
            return {"status": "ok"}

    app.config["HEALTH_CHECK_TIMEOUT"] = 0.3
    app.extensions["channel_layer"] = Hung()
    response = client.get("/health/")
    body = response.get_json()
    assert response.status_code == 200
    assert body["checks"]["channel_layer"] == {"status": "error", "error": "timeout", "latency_ms": 300.0}
    assert body["checks"]["database"]["status"] == "ok"


def test_pending_migration_is_not_ready(app, client):
    stamp(revision="base")
    try:
        response = client.get("/ready/")
        assert response.status_code == 503
        assert response.get_json()["status"] == "not_ready"
        assert "migrations not at head" in response.get_json()["reason"]
    finally:
        stamp(revision="head")
    assert client.get("/ready/").status_code == 200


@pytest.mark.parametrize("path", ["/health/", "/live/", "/ready/", "/metrics/"])
def test_probes_are_never_rate_limited(make_app, path):
    client = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="1 per minute").test_client()
    assert all(client.get(path).status_code == 200 for _ in range(5))
