"""/metrics/ counts and the Prometheus exposition."""

from prometheus_client import REGISTRY

from webapp.extensions import cache
from webapp.observability import metrics

from .factories import make_opportunity, make_user


def sample(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


def test_metrics_counts_are_integers(client):
    make_opportunity()
    make_user()
    body = client.get("/metrics/").get_json()
    assert set(body) == {"users", "startups", "opportunities", "applications", "activity_events",
                         "notifications", "websocket_connections"}
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
