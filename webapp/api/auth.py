"""Bearer-token authentication and the per-token rate limit shared by every API blueprint."""

import hashlib

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint

from ..extensions import limiter
from ..models import User
from ..services import accounts
from ..services.errors import NotAuthenticated


def bearer_token() -> str | None:
    """Return the token of an `Authorization: Bearer <token>` header, or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def authenticate() -> None:
    """Resolve the Bearer token before every API view; the session cookie is never consulted."""
    token = bearer_token()
    if token is None:
        raise NotAuthenticated("Send an API token in the header 'Authorization: Bearer <token>'.")
    user = accounts.user_for_token(token, record_use=True)
    if user is None:
        raise NotAuthenticated("This API token is unknown or revoked, or its account is suspended.")
    g.api_user = user


def current_user() -> User:
    """The user the request's token belongs to."""
    return g.api_user


def _rate_limit_key() -> str:
    token = bearer_token()
    # A digest: raw tokens must not end up as keys in Redis.
    return "token:" + hashlib.sha256(token.encode()).hexdigest() if token else "ip:" + get_remote_address()


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


# One budget per token across the whole API, whichever blueprint a request reaches.
per_token_limit = limiter.shared_limit(
    _rate_limit,
    scope="api",
    key_func=_rate_limit_key,
    error_message="Too many requests with this token; slow down and retry later.",
)


def api_blueprint(name: str, import_name: str, description: str) -> Blueprint:
    """Make an API blueprint whose every route needs a Bearer token and counts against its limit."""
    blueprint = Blueprint(name, import_name, description=description)
    blueprint.before_request(authenticate)
    per_token_limit(blueprint)
    return blueprint
