"""Request ids: keep a well-formed incoming X-Request-ID, otherwise make one."""

import re
import uuid

from flask import Flask, g, request

HEADER = "X-Request-ID"
VALID = re.compile(r"[A-Za-z0-9._-]{1,128}")


def clean_request_id(value: str | None) -> str:
    """Return `value` when it is 1–128 safe characters, else a fresh id."""
    if value and VALID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def current_request_id() -> str:
    """Return this request's id, assigning one if a hook before ours answered early."""
    if not getattr(g, "request_id", None):
        g.request_id = clean_request_id(request.headers.get(HEADER))
    return g.request_id


def _assign() -> None:
    g.request_id = clean_request_id(request.headers.get(HEADER))


def _echo(response):
    response.headers[HEADER] = current_request_id()
    return response


def init_app(app: Flask) -> None:
    """Assign the id before any other hook (rate limits, auth) so their log lines carry it."""
    app.before_request_funcs.setdefault(None, []).insert(0, _assign)
    app.after_request(_echo)
