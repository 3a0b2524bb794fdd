"""Dependency checks behind /health/ and /ready/, each bounded so a hung one cannot hang the probe."""

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask, current_app, g, has_app_context
from sqlalchemy import inspect, text

from ..caching import redis_client
from ..database import connect_without_retry
from ..extensions import cache, db

STATEMENT_TIMEOUT_MS = 1000
VERSION_TABLE = "alembic_version"


def _timed(check: Callable[[], dict]) -> dict:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # a failing dependency is a result here, not an error
        result = {"status": "error", "error": type(exc).__name__}
    result["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return result


def _ping_database() -> list[str]:
    """Run SELECT 1 (bounded on PostgreSQL) and return the database's migration heads."""
    with connect_without_retry(), db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
        connection.execute(text("SELECT 1"))
        # Read alembic_version directly: MigrationContext would log a line on every probe.
        if not inspect(connection).has_table(VERSION_TABLE):
            return []
        return list(connection.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))


def check_database() -> dict:
    _ping_database()
    return {"status": "ok", "backend": db.engine.dialect.name}


def check_redis() -> dict:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return {"status": "ok", "backend": "none"}
    state = current_app.extensions["observability"]
    if "redis" not in state:
        state["redis"] = redis_client(url, max_connections=2)
    state["redis"].ping()
    return {"status": "ok", "backend": "redis"}


def check_cache() -> dict:
    backend = current_app.extensions["cache"][cache]
    if not hasattr(backend, "using_fallback"):
        return {"status": "ok", "backend": "memory"}
    # A look-up notices an outage (or a recovery) and switches the back-end accordingly.
    backend.has("health:probe")
    if backend.using_fallback:
        return {"status": "degraded", "backend": "memory-fallback"}
    return {"status": "ok", "backend": "redis"}


def check_task_queue() -> dict:
    queue = current_app.extensions.get("task_queue")
    return dict(queue.check()) if queue is not None else {"status": "ok", "backend": "none"}


def check_channel_layer() -> dict:
    layer = current_app.extensions.get("channel_layer")
    return dict(layer.check()) if layer is not None else {"status": "ok", "backend": "none"}


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "redis": check_redis,
    "channel_layer": check_channel_layer,
    "task_queue": check_task_queue,
}


def run_bounded(app: Flask, checks: dict[str, Callable[[], dict]], timeout: float) -> dict[str, dict]:
    """Run checks side by side in app contexts; one still running after `timeout` s is an error."""

    request_id = g.get("request_id") if has_app_context() else None

    def in_context(check):
        with app.app_context():
            # Warnings a check logs (e.g. the cache switching to its fallback) name the probe request.
            g.request_id = request_id
            return _timed(check)

    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="health")
    futures = {name: pool.submit(in_context, check) for name, check in checks.items()}
    deadline = time.monotonic() + timeout
    results = {}
    for name, future in futures.items():
        try:
            results[name] = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            results[name] = {"status": "error", "error": "timeout", "latency_ms": round(timeout * 1000, 2)}
    # Do not wait for a hung check: its thread ends when its own socket timeout fires.
    pool.shutdown(wait=False, cancel_futures=True)
    return results


def health(app: Flask) -> tuple[dict, int]:
    """The /health/ body and status: error (503) without a database, degraded when anything else is down."""
    results = run_bounded(app, CHECKS, app.config.get("HEALTH_CHECK_TIMEOUT", 2.0))
    if results["database"]["status"] != "ok":
        return {"status": "error", "checks": results}, 503
    degraded = any(result["status"] != "ok" for result in results.values())
    return {"status": "degraded" if degraded else "ok", "checks": results}, 200


def migrations_directory(app: Flask) -> str:
    """Where the Alembic scripts live (Flask-Migrate's path is relative to the working directory)."""
    directory = app.extensions["migrate"].directory
    if os.path.isabs(directory) or os.path.isdir(directory):
        return directory
    return os.path.join(os.path.dirname(app.root_path), directory)


def script_heads(app: Flask) -> list[str]:
    """The head revisions of the migration scripts shipped with this code (read once)."""
    state = app.extensions["observability"]
    if "script_heads" not in state:
        config = Config()
        config.set_main_option("script_location", migrations_directory(app))
        state["script_heads"] = sorted(ScriptDirectory.from_config(config).get_heads())
    return state["script_heads"]


def readiness(app: Flask) -> str | None:
    """Return why this instance should not get traffic, or None when it is ready."""
    state = app.extensions["observability"]
    result = run_bounded(app, {"database": lambda: {"heads": _ping_database()}},
                         app.config.get("HEALTH_CHECK_TIMEOUT", 2.0))["database"]
    if "heads" not in result:
        return f"database unreachable ({result.get('error', 'error')})"
    if time.monotonic() < state.get("at_head_until", 0.0):
        return None
    expected = script_heads(app)
    if sorted(result["heads"]) != expected:
        current = ", ".join(result["heads"]) or "base"
        return f"migrations not at head (database at {current}, code at {', '.join(expected)})"
    # Being at head is cached briefly; a pending migration is re-checked every time.
    state["at_head_until"] = time.monotonic() + app.config.get("READY_CACHE_SECONDS", 10)
    return None
