"""One per-sender budget for new messages, shared by the HTML pages and the JSON API."""

from flask import current_app, g
from flask_login import current_user

from ..extensions import limiter


def _sender_key() -> str:
    user = getattr(g, "api_user", None) or current_user
    return f"sender:{user.id}" if getattr(user, "is_authenticated", False) else "sender:anonymous"


def _message_limit() -> str:
    return current_app.config["MESSAGE_RATE_LIMIT"]


# Keyed by the sender, whichever token, tab or form they write from; refused sends (4xx) do not count.
message_limit = limiter.shared_limit(
    _message_limit,
    scope="messages",
    key_func=_sender_key,
    methods=["POST"],
    override_defaults=False,
    deduct_when=lambda response: response.status_code < 400,
    error_message="You are sending messages too fast; wait a moment and try again.",
)
