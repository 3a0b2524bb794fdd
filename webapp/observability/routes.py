"""Probes and metrics: /health/, /live/, /ready/, /metrics/, /metrics/prometheus."""

from flask import Blueprint, current_app, jsonify

from . import health as checks
from . import metrics
from .access import bearer_allowed, client_allowed

bp = Blueprint("observability", __name__)


@bp.get("/health/")
def health():
    body, status = checks.health(current_app._get_current_object())
    return jsonify(body), status


@bp.get("/live/")
def live():
    # Touches nothing external: a process that can answer this is alive.
    return jsonify({"status": "alive"})


@bp.get("/ready/")
def ready():
    app = current_app._get_current_object()
    if app.extensions["lifecycle"].draining:
        return jsonify({"status": "not_ready", "reason": "shutting down"}), 503
    reason = checks.readiness(app)
    if reason:
        return jsonify({"status": "not_ready", "reason": reason}), 503
    return jsonify({"status": "ready"})


@bp.get("/metrics/")
def counts():
    return jsonify(metrics.counts())


@bp.get("/metrics/prometheus")
def prometheus():
    if not client_allowed("METRICS_ALLOWED_NETWORKS"):
        return jsonify({"error": {"code": "forbidden", "message": "Not from this address."}}), 403
    if not bearer_allowed("METRICS_TOKEN"):
        body = {"error": {"code": "not_authenticated", "message": "A valid bearer token is required."}}
        return jsonify(body), 401, {"WWW-Authenticate": 'Bearer realm="metrics"'}
    payload, content_type = metrics.prometheus_text()
    return payload, 200, {"Content-Type": content_type, "Cache-Control": "no-store"}
