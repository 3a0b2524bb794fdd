"""Conversation pages: the inbox and requests, one conversation (live), composing, sending, reading."""

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required

from ..main.actions import run_action
from ..services import conversations
from ..services.errors import NotFound, ValidationFailed
from ..web import form_data, is_htmx, render
from . import bp
from .limits import message_limit


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) < 2**31 else None


@bp.route("/conversations")
@login_required
def inbox():
    folder = request.args.get("folder") if request.args.get("folder") in conversations.FOLDERS else "inbox"
    cursor = request.args.get("before") or None
    rows, next_cursor = conversations.list_page(current_user, folder, cursor=cursor)
    return render(
        "conversations/index.html", block="items" if cursor else None, folder=folder,
        items=conversations.serialize(rows, current_user),
        more_url=url_for("messaging.inbox", folder=folder, before=next_cursor) if next_cursor else None,
        requests_unread=conversations.unread_count(current_user.id, "requests"),
        requests_count=conversations.folder_count(current_user, "requests"),
    )


def _page_context(conversation, errors=None, body: str = "") -> dict:
    data = conversations.serialize([conversation], current_user, with_last=False)[0]
    rows, older = conversations.messages_page(current_user, conversation)
    return {
        "conversation": conversation, "data": data, "errors": errors or {}, "body": body,
        "messages": [conversations.serialize_message(m) for m in rows],
        "older_url": url_for("messaging.show", conversation_id=conversation.id, before=older) if older else None,
        "viewer_id": current_user.id,
        "other": conversation.other(current_user.id),
        "seen": conversations.last_read_by_other(current_user, conversation),
        "can_answer": conversation.status in ("request", "declined") and conversation.initiator_id != current_user.id,
    }


@bp.route("/conversations/<int:conversation_id>")
@login_required
def show(conversation_id: int):
    conversation = conversations.get_for(current_user, conversation_id)
    before = _int_arg("before")
    if before:
        # Scrolling up: the next older page, above the ones already shown.
        rows, older = conversations.messages_page(current_user, conversation, before)
        return render(
            "conversations/show.html", block="older", conversation=conversation, viewer_id=current_user.id,
            messages=[conversations.serialize_message(m) for m in rows],
            older_url=url_for("messaging.show", conversation_id=conversation.id, before=older) if older else None,
        )
    after = _int_arg("after")
    if after:
        # A page whose socket reconnected catches up on what it missed meanwhile.
        rows = conversations.messages_after(current_user, conversation, after)
        return render("conversations/show.html", block="newer", conversation=conversation, viewer_id=current_user.id,
                      messages=[conversations.serialize_message(m) for m in rows])
    # Opening the conversation reads it (and tells the sender, live).
    conversations.mark_read(current_user, conversation)
    return render("conversations/show.html", **_page_context(conversation))


@bp.route("/conversations/<int:conversation_id>/messages", methods=["POST"])
@login_required
@message_limit
def send(conversation_id: int):
    conversation = conversations.get_for(current_user, conversation_id)
    body = request.form.get("body", "")
    try:
        message = conversations.send(current_user, conversation, {"body": body})
    except ValidationFailed as exc:
        if not is_htmx():
            return render("conversations/show.html", status=422,
                          **_page_context(conversation, exc.fields, body))
        return render("conversations/show.html", block="composer", status=422, conversation=conversation,
                      errors=exc.fields, body=body)
    if not is_htmx():
        return redirect(url_for("messaging.show", conversation_id=conversation.id) + f"#message-{message.id}")
    return render("conversations/show.html", block="sent", conversation=conversation, errors={}, body="",
                  viewer_id=current_user.id,
                  message=conversations.serialize_message(message))


@bp.route("/conversations/<int:conversation_id>/read", methods=["POST"])
@login_required
def read(conversation_id: int):
    conversation = conversations.get_for(current_user, conversation_id)
    conversations.mark_read(current_user, conversation, form_data(request.form) or None)
    return "", 204


def _answer(conversation_id: int, action, success: str):
    conversation = conversations.get_for(current_user, conversation_id)
    back = url_for("messaging.show", conversation_id=conversation.id)
    response = run_action(lambda: action(current_user, conversation), success, back)
    return response or redirect(back)


@bp.route("/conversations/<int:conversation_id>/accept", methods=["POST"])
@login_required
def request_accept(conversation_id: int):
    return _answer(conversation_id, conversations.accept, "Request accepted: the conversation is in your inbox.")


@bp.route("/conversations/<int:conversation_id>/decline", methods=["POST"])
@login_required
def request_decline(conversation_id: int):
    return _answer(conversation_id, conversations.decline, "Request declined.")


def _compose_args() -> dict:
    source = request.form if request.method == "POST" else request.args
    data = {"user": source.get("user", ""), "body": source.get("body", "")}
    if source.get("startup"):
        data["startup"] = source.get("startup")
    if source.get("opportunity"):
        data["opportunity"] = source.get("opportunity")
    return data


@bp.route("/messages/new", methods=["GET", "POST"])
@login_required
@message_limit
def compose():
    """Write to someone, optionally about a startup or an opportunity (links from their pages)."""
    data, errors = _compose_args(), {}
    recipient = subject = None
    if request.method == "GET" and not data["user"]:
        return render("conversations/compose.html", data=data, errors={}, recipient=None, subject=None)
    try:
        recipient, _, key, _ = conversations.resolve_start(current_user, data | {"body": "-"})
        subject = conversations.describe_subject(key)
    except NotFound:
        abort(404)
    except ValidationFailed as exc:
        errors = {k: v for k, v in exc.fields.items() if k != "body"}
    if recipient is not None and request.method == "GET":
        existing = conversations.find_existing(current_user, recipient, key)
        if existing is not None:
            return redirect(url_for("messaging.show", conversation_id=existing.id))
    if request.method == "POST" and not errors:
        try:
            conversation, _, _ = conversations.start(current_user, data)
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            return redirect(url_for("messaging.show", conversation_id=conversation.id))
    return render("conversations/compose.html", status=422 if errors else 200, data=data, errors=errors,
                  recipient=recipient, subject=subject)
