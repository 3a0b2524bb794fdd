"""The connections page, the connect button on profiles, and blocking."""

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from ..main.actions import run_action
from ..services import blocks, connections, conversations, profiles
from ..web import render
from . import bp


@bp.app_context_processor
def message_counters() -> dict:
    """The nav's unread-conversations badge, computed only when a template asks."""

    def messages_unread() -> int:
        return conversations.unread_count(current_user.id) if current_user.is_authenticated else 0

    return {"messages_unread": messages_unread}


def _lists_context() -> dict:
    rows = connections.list_for(current_user)
    return {
        "incoming": [r for r in rows if r.status == "pending" and r.addressee_id == current_user.id],
        "outgoing": [r for r in rows if r.status == "pending" and r.requester_id == current_user.id],
        "connected": [r for r in rows if r.status == "accepted"],
        "blocked": blocks.blocked_users(current_user),
    }


@bp.route("/connections")
@login_required
def index():
    return render("connections/index.html", **_lists_context())


def _answer(connection_id: int, action, success: str):
    row = connections.get_for(current_user, connection_id)
    response = run_action(lambda: action(current_user, row), success, url_for("messaging.index"))
    return response or render("connections/index.html", block="lists", **_lists_context())


@bp.route("/connections/<int:connection_id>/accept", methods=["POST"])
@login_required
def connection_accept(connection_id: int):
    return _answer(connection_id, connections.accept, "You are now connected.")


@bp.route("/connections/<int:connection_id>/decline", methods=["POST"])
@login_required
def connection_decline(connection_id: int):
    return _answer(connection_id, connections.decline, "Request declined.")


@bp.route("/connections/<int:connection_id>/remove", methods=["POST"])
@login_required
def connection_remove(connection_id: int):
    return _answer(connection_id, connections.remove, "Connection removed.")


def button_context(user) -> dict:
    """What the connect button on a profile needs: the connection row between viewer and profile."""
    row = connections.between(current_user.id, user.id) if current_user.is_authenticated else None
    return {"profile": user, "connection": row}


@bp.route("/users/<username>/connect", methods=["POST"])
@login_required
def connect(username: str):
    """Ask to connect, or accept their request when they asked first."""
    user = profiles.get_user(username)
    back = url_for("people.profile", username=user.username)
    response = run_action(lambda: connections.request(current_user, user), "Done.", back)
    return response or render("people/profile.html", block="connect", **button_context(user))


@bp.route("/users/<username>/disconnect", methods=["POST"])
@login_required
def disconnect(username: str):
    """Withdraw your request, decline theirs, or remove the connection, whichever applies."""
    user = profiles.get_user(username)
    back = url_for("people.profile", username=user.username)

    def undo():
        row = connections.between(current_user.id, user.id)
        if row is not None and row.status == "pending" and row.addressee_id == current_user.id:
            connections.decline(current_user, row)
        elif row is not None:
            connections.remove(current_user, row)

    response = run_action(undo, "Done.", back)
    return response or render("people/profile.html", block="connect", **button_context(user))


@bp.route("/users/<username>/block", methods=["POST"])
@login_required
def block(username: str):
    user = profiles.get_user(username)
    return run_action(lambda: blocks.block(current_user, user),
                      f"You blocked {user.display_name}: they can no longer message you or ask to connect.",
                      url_for("people.profile", username=user.username)) or redirect(url_for("messaging.index"))


@bp.route("/users/<username>/unblock", methods=["POST"])
@login_required
def unblock(username: str):
    user = profiles.get_user(username)
    response = run_action(lambda: blocks.unblock(current_user, user), f"You unblocked {user.display_name}.",
                          url_for("messaging.index"))
    if response is None:
        flash(f"You unblocked {user.display_name}.", "success")
        return redirect(url_for("messaging.index"))
    return response
