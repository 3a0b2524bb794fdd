"""Deliver conversation messages and read receipts to the sockets of the two participants only."""

import json

from flask import render_template

from ..extensions import db
from ..models import Conversation, User
from ..services import conversations
from .connection import Connection, Outgoing


def _participants(conversation: Conversation, connections: list[Connection]) -> list[Connection]:
    # Anyone else's socket gets nothing at all, not even that something happened.
    return [c for c in connections if conversation.involves(c.user_id)]


def message_html(message: dict, conversation_id: int, viewer_id: int) -> str:
    """The out-of-band fragment: the message on an open conversation page, the nav badge, a toast."""
    return render_template("conversations/_live.html", message=message, conversation_id=conversation_id,
                           viewer_id=viewer_id, unread=conversations.unread_count(viewer_id))


def deliver_message(message_id: int, connections: list[Connection]) -> None:
    message = conversations.get_message(message_id)
    if message is None:
        return
    conversation = message.conversation
    targets = _participants(conversation, connections)
    if not targets:
        return
    data = conversations.serialize_message(message)
    rendered: dict[tuple[int, str], str] = {}
    for connection in targets:
        key = (connection.user_id, connection.format)
        if key not in rendered:
            if connection.format == "json":
                rendered[key] = json.dumps({"type": "message", "message": data})
            else:
                rendered[key] = message_html(data, conversation.id, connection.user_id)
        connection.offer(Outgoing(rendered[key], message_id=message_id))


def deliver_read(conversation_id: int, connections: list[Connection]) -> None:
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None:
        return
    targets = _participants(conversation, connections)
    rendered: dict[tuple[int, str], str] = {}
    for connection in targets:
        key = (connection.user_id, connection.format)
        if key not in rendered:
            viewer = db.session.get(User, connection.user_id)
            seen = conversations.last_read_by_other(viewer, conversation)
            unread = conversations.unread_count(viewer.id)
            if connection.format == "json":
                rendered[key] = json.dumps({
                    "type": "message_read", "conversation_id": conversation.id,
                    "last_read_message_id": seen.id if seen else None,
                    "read_at": seen.read_at.isoformat() if seen else None, "unread_conversations": unread,
                })
            else:
                rendered[key] = render_template("conversations/_read_live.html", conversation=conversation,
                                                seen=seen, unread=unread)
        connection.offer(Outgoing(rendered[key]))
