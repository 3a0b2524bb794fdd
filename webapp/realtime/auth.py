"""Who is on the other end of a socket: a Bearer token, or a session cookie from our own origin."""

from collections.abc import Callable

from flask import current_app, request
from flask_login import current_user

from ..api.auth import bearer_token
from ..models import User
from ..services import sessions
from ..services.accounts import user_for_token
from ..services.errors import Forbidden, NotAuthenticated


def same_origin() -> bool:
    """Whether the request's Origin names this site (allowed extra origins come from config)."""
    origin = request.headers.get("Origin")
    if not origin:
        return False
    allowed = current_app.config.get("WEBSOCKET_ALLOWED_ORIGINS") or ()
    # Scheme and host must both match: an http:// page must not ride an https:// session.
    own = f"{'https' if request.is_secure else 'http'}://{request.host}"
    return origin.rstrip("/").lower() == own.lower() or origin in allowed


def socket_user() -> tuple[User, Callable[[], bool]]:
    """Authenticate a socket before the upgrade; raise 401/403 instead of accepting it.

    Also return a check the open socket repeats now and then: a revoked token, a log-out
    everywhere (password change) or a suspension closes it.
    """
    if request.headers.get("Authorization") or "token" in request.args:
        token = bearer_token() or request.args.get("token")
        user = user_for_token(token) if token else None
        if user is None:
            raise NotAuthenticated("A valid API token is required.")
        user_id = user.id
        return user, lambda: getattr(user_for_token(token), "id", None) == user_id
    if not current_user.is_authenticated:
        raise NotAuthenticated("Log in to receive live updates.")
    # Browsers send cookies with cross-site socket requests: only our own pages may use them.
    if not same_origin():
        raise Forbidden("This socket only accepts connections from CollabHub pages.")
    user = current_user._get_current_object()
    user_id, key = user.id, user.session_key
    return user, lambda: getattr(sessions.user_for(key), "id", None) == user_id
