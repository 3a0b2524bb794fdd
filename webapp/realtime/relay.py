"""The outbox relay and the job repair sweep, in a background thread (a greenlet under gevent).

Each web process starts one lazily (after fork, on its first request); `flask worker` runs
one beside the queue consumer; `flask relay` runs one alone. Several at once are safe:
PostgreSQL relays share the backlog with SKIP LOCKED, repair claims each job with a
conditional UPDATE, and sockets drop whatever reaches them twice.
"""

import logging
import os
import threading
import time
from datetime import timedelta

from flask import Flask

from ..extensions import db
from ..services import jobs, outbox
from ..tasks import repair

log = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 600


class Sweeper:
    """Relay the outbox every few seconds and repair unfinished jobs every minute."""

    def __init__(self, app: Flask):
        self.app = app
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._last_repair = self._last_prune = 0.0

    @property
    def interval(self) -> float:
        return float(self.app.config.get("OUTBOX_RELAY_SECONDS", 2))

    def run_once(self, force_repair: bool = False) -> dict:
        """One pass: relay, and repair/prune when due. Returns what it did."""
        config, now = self.app.config, time.monotonic()
        done = {"relayed": 0, "repaired": 0}
        with self.app.app_context():
            try:
                done["relayed"] = outbox.relay(config.get("OUTBOX_RELAY_GRACE_SECONDS", 5))
                if force_repair or now - self._last_repair >= config.get("TASK_REPAIR_SECONDS", 60):
                    self._last_repair = now
                    after = timedelta(seconds=config.get("TASK_REPAIR_AFTER_SECONDS", 600))
                    done["repaired"] = repair(self.app, after)[1]
                if now - self._last_prune >= PRUNE_EVERY_SECONDS:
                    self._last_prune = now
                    outbox.prune()
                    jobs.prune()
            finally:
                db.session.remove()
        return done

    def ensure_started(self) -> None:
        """Start this process's thread once (threads do not survive fork: start after it)."""
        if self.interval <= 0 or self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            threading.Thread(target=self.run_forever, name="outbox-relay", daemon=True).start()

    def run_forever(self) -> None:
        # Stagger the first pass: a restarted fleet does not hit the outbox all at once.
        self._stopping.wait(self.interval * (0.5 + (os.getpid() % 10) / 20))
        while not self._stopping.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("outbox relay pass failed; retrying")
            self._stopping.wait(max(self.interval, 0.1))

    def stop(self) -> None:
        self._stopping.set()


def init_app(app: Flask) -> None:
    """Attach the sweeper and start it on this process's first request."""
    sweeper = Sweeper(app)
    app.extensions["outbox_sweeper"] = sweeper
    app.before_request(sweeper.ensure_started)
