"""gunicorn settings for CollabHub (production and `make run`).

gevent workers: an open websocket is a greenlet, not an OS thread. No `preload_app` and
nothing here imports psycopg: psycopg must be imported after gevent patches the stdlib,
or it picks a blocking wait function (webapp checks this at start-up).
"""

import os

from prometheus_client import multiprocess

bind = os.environ.get("BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
worker_class = "gevent"
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "10000"))
workers = int(os.environ.get("WEB_CONCURRENCY", "2" if os.environ.get("REDIS_URL") else "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
preload_app = False
control_socket_disable = True
accesslog = None  # the app writes its own JSON access line per request
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

if workers > 1 and not os.environ.get("REDIS_URL"):
    # The in-process broker reaches only its own process: live updates would miss sockets.
    raise SystemExit(
        "CollabHub: several workers need REDIS_URL (live updates fan out through Redis); "
        "set REDIS_URL or WEB_CONCURRENCY=1"
    )

# Prometheus with several workers: set PROMETHEUS_MULTIPROC_DIR to an empty, writable
# directory (per pod / host). Each worker writes its samples there; any worker's
# /metrics/prometheus adds them up. prometheus_client does not import psycopg.
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server):
    """Start from an empty metrics directory: files of a previous run would be added in."""
    if PROMETHEUS_MULTIPROC_DIR:
        os.makedirs(PROMETHEUS_MULTIPROC_DIR, exist_ok=True)
        for name in os.listdir(PROMETHEUS_MULTIPROC_DIR):
            if name.endswith(".db"):
                os.remove(os.path.join(PROMETHEUS_MULTIPROC_DIR, name))


def post_worker_init(worker):
    """SIGTERM: report not ready, close sockets with 1012, keep serving SHUTDOWN_DRAIN_SECONDS, then stop."""
    # Imported here, in the worker after gevent patched it: never in the master (see above).
    from webapp.lifecycle import drain_on_sigterm  # noqa: PLC0415

    drain_on_sigterm(worker)


def child_exit(server, worker):
    """Drop a dead worker's live gauges (websocket connections) from the totals."""
    if PROMETHEUS_MULTIPROC_DIR:
        multiprocess.mark_process_dead(worker.pid)
