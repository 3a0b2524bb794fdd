"""Graceful shutdown: on SIGTERM stop being ready, close sockets with 1012, finish requests, then exit.

gunicorn's own SIGTERM handling stops accepting at once and waits for in-flight requests. A load
balancer still sends traffic for a few seconds after it starts terminating a pod, and open
websockets would hold the worker until the graceful timeout and then drop with no close frame.
So `drain_on_sigterm` (gunicorn's post_worker_init hook) replaces the worker's SIGTERM handler:

1. at once: `/ready/` answers 503, every response says `Connection: close`, and each live socket
   is closed with 1012 "service restart" (clients reconnect, elsewhere, with `?after=`);
2. for SHUTDOWN_DRAIN_SECONDS the worker keeps serving whatever still arrives;
3. then gunicorn's graceful stop: no new connections, in-flight requests finish (up to
   GUNICORN_GRACEFUL_TIMEOUT, counted from the SIGTERM by the master).

Tasks are not affected: queued ones stay in Redis; inline ones run inside their request.
"""

import logging
import signal
import threading
import time

from flask import Flask
from gevent import monkey, spawn

log = logging.getLogger(__name__)


class Lifecycle:
    """Whether this process is draining (on its way out)."""

    def __init__(self, app: Flask):
        self.app = app
        self.draining = False

    def begin_drain(self) -> None:
        """Stop being ready and send every live socket away; requests are still served."""
        if self.draining:
            return
        self.draining = True
        log.warning("shutting down: not ready, closing live sockets, draining for %ss",
                    self.app.config.get("SHUTDOWN_DRAIN_SECONDS"))
        layer = self.app.extensions.get("channel_layer")
        if layer is not None:
            layer.close_sockets()


def lifecycle(app: Flask) -> Lifecycle:
    return app.extensions["lifecycle"]


def _background(target) -> None:
    # A signal handler may run in gevent's hub, where starting a patched thread would block.
    if monkey.is_module_patched("threading"):
        spawn(target)
    else:
        threading.Thread(target=target, name="shutdown-drain", daemon=True).start()


def drain_on_sigterm(worker) -> None:
    """gunicorn post_worker_init hook: SIGTERM drains first, then hands over to gunicorn's graceful stop."""
    app = worker.wsgi
    state = getattr(app, "extensions", {}).get("lifecycle")
    if state is None:  # not our app (gunicorn's error app after a failed import)
        return
    delay = float(app.config.get("SHUTDOWN_DRAIN_SECONDS", 0))

    def drain_then_stop() -> None:
        state.begin_drain()
        time.sleep(delay)
        worker.alive = False  # gunicorn: stop accepting, wait for in-flight requests, exit

    def on_sigterm(_signum, _frame) -> None:
        if not state.draining:
            _background(drain_then_stop)

    signal.signal(signal.SIGTERM, on_sigterm)
    signal.siginterrupt(signal.SIGTERM, False)


def init_app(app: Flask) -> None:
    state = Lifecycle(app)
    app.extensions["lifecycle"] = state

    @app.after_request
    def close_connections_while_draining(response):
        # Keep-alive connections would keep coming back to a process that is leaving.
        if state.draining:
            response.headers["Connection"] = "close"
        return response
