"""Observability: request ids, JSON logs, probes and metrics (SPEC §3.6)."""

from flask import Flask

from ..extensions import csrf, limiter
from ..tasks import TASKS
from . import logs, metrics, request_id
from .routes import bp


def init_app(app: Flask) -> None:
    """Wire request ids, logging, metrics and the probe routes into `app` (after cache and tasks)."""
    app.extensions["observability"] = {}
    logs.init_app(app)
    request_id.init_app(app)
    metrics.init_app(app)
    metrics.instrument_tasks(TASKS)
    # Probes are GETs for machines: no CSRF, and a load balancer polling them is never rate-limited.
    csrf.exempt(bp)
    limiter.exempt(bp)
    app.register_blueprint(bp)
