"""Per-connection settings: SQLite pragmas; on PostgreSQL, connecting again through a short outage."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

log = logging.getLogger(__name__)

_no_retry: ContextVar[bool] = ContextVar("collabhub_connect_without_retry", default=False)


@contextmanager
def connect_without_retry() -> Iterator[None]:
    """Fail at once instead of waiting for the database (probes must report an outage, not ride it out)."""
    token = _no_retry.set(True)
    try:
        yield
    finally:
        _no_retry.reset(token)


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def retrying_connect(budget_seconds: float):
    """A `do_connect` hook: while the server refuses (restart, fail-over), retry for up to `budget_seconds`.

    Opening a connection is always safe to repeat, and a request that waits a few seconds beats
    one that fails: with pool_pre_ping, only requests holding a connection when the server went
    away see an error.
    """

    def do_connect(dialect, _record, cargs, cparams):
        deadline = time.monotonic() + budget_seconds
        delay = 0.1
        while True:
            try:
                return dialect.connect(*cargs, **cparams)
            except dialect.loaded_dbapi.OperationalError:
                if _no_retry.get() or time.monotonic() + delay >= deadline:
                    raise
                time.sleep(delay)  # cooperative under gevent
                delay = min(delay * 2, 1.0)

    return do_connect


def remove_session(_exc: BaseException | None = None) -> None:
    """End the request's session even when its connection died (the server restarted mid-request).

    Flask-SQLAlchemy's own teardown would raise from the rollback on a dead connection, after
    the response was built, and turn it into a bare 500.
    """
    try:
        db.session.remove()
    except SQLAlchemyError as exc:
        log.warning("database connection lost while ending the session (%s)", type(exc).__name__)
        db.session.registry.clear()


def init_app(app: Flask) -> None:
    """Attach per-dialect connection hooks to this app's engine."""
    # Teardowns run last-registered first: this one runs before Flask-SQLAlchemy's (then a no-op).
    app.teardown_appcontext(remove_session)
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _configure_sqlite):
            event.listen(engine, "connect", _configure_sqlite)
        budget = app.config.get("DATABASE_CONNECT_RETRY_SECONDS", 0)
        if engine.dialect.name == "postgresql" and budget > 0:
            event.listen(engine, "do_connect", retrying_connect(budget))
