"""Error responses: the SPEC error shape for the API, error pages (or fragments) for HTML."""

import logging

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .services.errors import ServiceError
from .web import is_htmx

log = logging.getLogger(__name__)

# The API and the machine endpoints (probes, metrics) answer JSON.
JSON_PREFIXES = ("/api/", "/health/", "/live/", "/ready/", "/metrics/")

CODES = {
    400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "validation_error", 429: "rate_limited", 500: "server_error", 503: "unavailable",
}


def wants_json() -> bool:
    """The API (and probes) answer JSON; everything else gets HTML."""
    return request.path.startswith(JSON_PREFIXES)


def error_response(status: int, message: str, code: str | None = None, fields: dict | None = None):
    """Build the error response for the current request."""
    if wants_json():
        body = {"error": {"code": code or CODES.get(status, "error"), "message": message}}
        # Quoted in a support request, the id finds this request's log lines.
        body["error"]["request_id"] = getattr(g, "request_id", None)
        if fields:
            body["error"]["fields"] = fields
        response = jsonify(body)
        response.status_code = status
        if status == 401:
            # RFC 6750: tell API clients which credentials to send.
            response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    template = "errors/_fragment.html" if is_htmx() else "errors/page.html"
    html = render_template(
        template, status=status, message=message, fields=fields, request_id=getattr(g, "request_id", None)
    )
    return html, status


def handle_service_error(exc: ServiceError):
    return error_response(exc.status, exc.message, exc.code, exc.fields)


def handle_http_exception(exc: HTTPException):
    if isinstance(exc, CSRFError):
        return error_response(400, "Your session expired or the form is stale; reload and try again.", "csrf_failed")
    # flask-smorest / webargs put parsing errors in exc.data["messages"].
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    if isinstance(messages, dict) and len(messages) == 1:
        messages = next(iter(messages.values()))
    fields = messages if isinstance(messages, dict) else None
    # webargs reports a body it cannot parse as a list of messages, e.g. ["Invalid JSON body."].
    listed = " ".join(str(item) for item in messages) if isinstance(messages, list) else None
    message = data.get("message") or listed or exc.description or exc.name
    if exc.code == 422 and fields:
        message = "Some fields are not valid."
    response = error_response(exc.code or 500, message, fields=fields)
    if exc.code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        response = _with_allow(response, exc.valid_methods)
    return response


def _with_allow(response, methods):
    if isinstance(response, tuple):
        body, status = response
        return body, status, {"Allow": ", ".join(methods)}
    response.headers["Allow"] = ", ".join(methods)
    return response


RETRY_AFTER_SECONDS = 2


def handle_database_unavailable(exc: Exception):
    """The database is restarting or unreachable: 503 with Retry-After, not a 500 (it is not a bug)."""
    log.warning("database unavailable on %s %s: %s", request.method, request.path, type(exc).__name__,
                extra={"endpoint": request.endpoint})
    response = make_response(error_response(503, "The service is briefly unavailable. Please try again in a moment."))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handle_unexpected(exc: Exception):
    # Logged once, here: the JSON log line carries request id, user, method, path and traceback.
    log.exception("unhandled error on %s %s", request.method, request.path, extra={"endpoint": request.endpoint})
    return error_response(500, "Something went wrong on our side. We have logged it.")


def init_app(app: Flask) -> None:
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    for database_error in (OperationalError, DisconnectionError, PoolTimeout):
        app.register_error_handler(database_error, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
