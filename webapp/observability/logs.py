"""Structured logs: one JSON object per line on stdout and in a size-rotated file.

The stdlib is enough here: a 30-line formatter gives the exact field set and lets the
redaction run over every value; python-json-logger would add a dependency and still need both.
"""

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler

from flask import Flask, g, has_app_context, has_request_context, request

from .redaction import redact, redact_text

ACCESS = logging.getLogger("webapp.access")
CONTEXT_FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")
# Attributes every LogRecord has; anything else was passed with `extra=` and is logged too.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class RequestContextFilter(logging.Filter):
    """Attach the request id, user, method and path of the request being served, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_app_context():
            if getattr(record, "request_id", None) is None:
                record.request_id = g.get("request_id")
            if getattr(record, "user_id", None) is None:
                record.user_id = _loaded_user_id()
        if has_request_context():
            if getattr(record, "method", None) is None:
                record.method = request.method
            if getattr(record, "path", None) is None:
                record.path = request.path
        return True


def _loaded_user_id() -> int | None:
    """The id of a user this request already loaded (session or API token), never a new query."""
    for user in (g.get("_login_user"), g.get("api_user")):
        if getattr(user, "is_authenticated", False):
            return user.id
    return None


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON line with the SPEC fields, secrets masked."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact_text(record.getMessage()),
        }
        for name in CONTEXT_FIELDS:
            entry[name] = getattr(record, name, None)
        extra = {k: v for k, v in record.__dict__.items() if k not in _STANDARD and k not in entry}
        entry.update(redact(_jsonable(extra)))
        if record.exc_info:
            entry["exc_info"] = redact_text(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


def _jsonable(values: dict) -> dict:
    return {k: v if isinstance(v, str | int | float | bool | list | dict | type(None)) else str(v)
            for k, v in values.items()}


def configure_logging(app: Flask) -> None:
    """Send every logger through our JSON handlers (replacing the ones a previous app set up)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "collabhub", False)]:
        root.removeHandler(handler)
        handler.close()
    formatter, context = JsonFormatter(), RequestContextFilter()
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stdout)]
    log_dir = app.config.get("LOG_DIR")
    if log_dir:
        os.makedirs(log_dir, exist_ok=True)
        handlers.append(
            RotatingFileHandler(
                os.path.join(log_dir, "collabhub.log"),
                maxBytes=int(app.config.get("LOG_MAX_BYTES", 10 * 1024 * 1024)),
                backupCount=int(app.config.get("LOG_BACKUP_COUNT", 5)),
                encoding="utf-8",
                delay=True,
            )
        )
    for handler in handlers:
        handler.collabhub = True
        handler.setFormatter(formatter)
        handler.addFilter(context)
        root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    # Flask's own default handler would print unhandled errors a second time.
    app.logger.handlers.clear()
    app.logger.propagate = True


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def request_duration_ms() -> float:
    """Milliseconds since this request started."""
    started = g.get("request_started") or time.perf_counter()
    return round((time.perf_counter() - started) * 1000, 2)


def _access_line(response):
    ACCESS.info(
        "%s %s %s", request.method, request.path, response.status_code,
        extra={"status": response.status_code, "duration_ms": request_duration_ms()},
    )
    return response


def init_app(app: Flask) -> None:
    """Configure logging and write one access line per request."""
    configure_logging(app)
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    app.after_request(_access_line)
