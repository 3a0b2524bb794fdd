"""/metrics/ counts and the Prometheus exposition."""

from datetime import timedelta

from prometheus_client import REGISTRY
from sqlalchemy import update

from webapp.extensions import cache, db
from webapp.models import OutboxMessage, TaskJob, utcnow
from webapp.observability import metrics
from webapp.observability.backlog import HELP as BACKLOG
from webapp.services.transaction import atomic

from .factories import make_opportunity, make_user


def sample(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


def test_metrics_counts_are_integers(client):
    make_opportunity()
    make_user()
    body = client.get("/metrics/").get_json()
    assert set(body) == {"users", "startups", "opportunities", "applications", "activity_events",
                         "notifications", "websocket_connections", *BACKLOG}
    assert all(isinstance(value, int) for value in body.values())
    assert (body["users"], body["startups"], body["opportunities"]) == (2, 1, 1)


def test_websocket_gauge_feeds_both_endpoints(client):
    before = metrics.websocket_connections()
    metrics.websocket_opened()
    metrics.websocket_opened()
    metrics.websocket_closed()
    try:
        assert client.get("/metrics/").get_json()["websocket_connections"] == before + 1
        assert f"collabhub_websocket_connections {float(before + 1)}" in client.get("/metrics/prometheus").text
    finally:
        metrics.websocket_closed()


def test_prometheus_has_request_counts_and_latency_per_rule(client):
    client.get("/live/")
    client.get("/startups")
    client.get("/no-such-page-123")
    text = client.get("/metrics/prometheus").text
    assert 'collabhub_http_requests_total{endpoint="/live/",method="GET",status="200"}' in text \
        or 'collabhub_http_requests_total{method="GET",endpoint="/live/",status="200"}' in text
    assert 'endpoint="/startups"' in text
    assert 'endpoint="<unmatched>"' in text and "no-such-page-123" not in text
    assert "collabhub_http_request_duration_seconds_bucket" in text
    assert "collabhub_cache_hits_total" in text and "collabhub_cache_misses_total" in text
    assert "collabhub_tasks_total" in text or "# HELP collabhub_tasks_total" in text


def test_cache_lookups_are_counted(app):
    misses, hits = sample("collabhub_cache_misses_total"), sample("collabhub_cache_hits_total")
    cache.get("metrics-test")
    cache.set("metrics-test", 1)
    cache.get("metrics-test")
    assert sample("collabhub_cache_misses_total") == misses + 1
    assert sample("collabhub_cache_hits_total") == hits + 1
    # Several keys in one round trip count key by key, once each, on every back-end.
    cache.get_many("metrics-test", "metrics-absent", "metrics-absent-too")
    assert sample("collabhub_cache_misses_total") == misses + 3
    assert sample("collabhub_cache_hits_total") == hits + 2


def test_the_delivery_backlog_is_reported_and_empties_when_delivered(client):
    body = client.get("/metrics/").get_json()
    assert {key: body[key] for key in BACKLOG} == dict.fromkeys(BACKLOG, 0)
    now = utcnow()
    with atomic():
        db.session.add_all([
            OutboxMessage(kind="e", ref_id=1, created_at=now - timedelta(seconds=90)),
            OutboxMessage(kind="n", ref_id=2, created_at=now - timedelta(seconds=30)),
            OutboxMessage(kind="e", ref_id=3, created_at=now - timedelta(hours=1), published_at=now),
            TaskJob(task="notify", created_at=now - timedelta(seconds=700)),
            TaskJob(task="notify", created_at=now - timedelta(hours=2), done_at=now),
        ])
    cache.delete(metrics.COUNTS_CACHE_KEY)
    body = client.get("/metrics/").get_json()
    assert (body["outbox_unpublished"], body["task_jobs_unfinished"]) == (2, 1)
    assert 90 <= body["outbox_oldest_unpublished_seconds"] < 150
    assert 700 <= body["task_jobs_oldest_unfinished_seconds"] < 760
    text = client.get("/metrics/prometheus").text
    assert "collabhub_outbox_unpublished 2.0" in text and "collabhub_task_jobs_unfinished 1.0" in text
    assert "# HELP collabhub_outbox_oldest_unpublished_seconds" in text
    with atomic():
        db.session.execute(update(OutboxMessage).values(published_at=utcnow()))
        db.session.execute(update(TaskJob).values(done_at=utcnow()))
    assert "collabhub_outbox_unpublished 0.0" in client.get("/metrics/prometheus").text


def test_prometheus_can_require_a_bearer_token(make_app):
    client = make_app(METRICS_TOKEN="scrape-secret").test_client()
    assert client.get("/metrics/prometheus").status_code == 401
    assert client.get("/metrics/prometheus", headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = client.get("/metrics/prometheus", headers={"Authorization": "Bearer scrape-secret"})
    assert ok.status_code == 200 and ok.content_type.startswith("text/plain")


def test_prometheus_can_be_limited_to_networks(make_app):
    client = make_app(METRICS_ALLOWED_NETWORKS="10.0.0.0/8").test_client()
    assert client.get("/metrics/prometheus").status_code == 403
    allowed = client.get("/metrics/prometheus", environ_overrides={"REMOTE_ADDR": "10.1.2.3"})
    assert allowed.status_code == 200
