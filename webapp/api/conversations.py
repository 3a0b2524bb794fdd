"""API: one-to-one conversations, their messages, read receipts and message requests."""

from flask import url_for

from ..messaging.limits import message_limit
from ..schemas.messaging import (
    ConversationListOut,
    ConversationListQuery,
    ConversationOut,
    ConversationStartedOut,
    ConversationStartSchema,
    MessageListOut,
    MessageListQuery,
    MessageOut,
    MessageSchema,
    ReadOut,
    ReadSchema,
)
from ..services import conversations
from .auth import api_blueprint, current_user

blp = api_blueprint("conversations_api", __name__, "Private one-to-one conversations and message requests.")


@blp.route("/conversations/", methods=["GET"], tags=["conversations"])
@blp.arguments(ConversationListQuery, location="query")
@blp.response(200, ConversationListOut)
def conversation_list(query: dict):
    """Your conversations, most recent first: `folder=inbox` (default) or `folder=requests`."""
    viewer, folder = current_user(), query["folder"]
    rows, cursor = conversations.list_page(viewer, folder, query.get("limit"), query.get("before"))
    return {
        "count": conversations.folder_count(viewer, folder),
        "unread": conversations.unread_count(viewer.id, folder),
        "results": conversations.serialize(rows, viewer),
        "next": url_for("conversations_api.conversation_list", folder=folder, limit=query.get("limit"),
                        before=cursor, _external=True) if cursor else None,
    }


@blp.route("/conversations/", methods=["POST"], tags=["conversations"])
@message_limit
@blp.arguments(ConversationStartSchema)
@blp.response(201, ConversationStartedOut)
@blp.alt_response(200, schema=ConversationStartedOut,
                  description="A conversation with this user about this subject existed: the message was added.")
@blp.alt_response(403, response="FORBIDDEN", description="You can't contact this user, or your request was declined.")
@blp.alt_response(404, response="NOT_FOUND", description="No such user, startup or opportunity.")
@blp.alt_response(422, response="UNPROCESSABLE_CONTENT")
@blp.alt_response(429, response="TOO_MANY_REQUESTS", description="Too many messages; slow down.")
def conversation_start(data: dict):
    """Start a conversation: `{"user", "body", "startup"?, "opportunity"?}` → the conversation and its first message.

    To someone you are not connected with it is a message request: it waits in their
    `requests` folder until they accept (or reply).
    """
    viewer = current_user()
    conversation, message, created = conversations.start(viewer, data)
    data = conversations.serialize([conversation], viewer)[0] | {"message": conversations.serialize_message(message)}
    return data, 201 if created else 200


@blp.route("/conversations/<int:conversation_id>", methods=["GET"], tags=["conversations"])
@blp.response(200, ConversationOut)
@blp.alt_response(404, response="NOT_FOUND")
def conversation_detail(conversation_id: int):
    """One of your conversations."""
    viewer = current_user()
    return conversations.serialize([conversations.get_for(viewer, conversation_id)], viewer)[0]


@blp.route("/conversations/<int:conversation_id>/messages/", methods=["GET"], tags=["conversations"])
@blp.arguments(MessageListQuery, location="query")
@blp.response(200, MessageListOut)
@blp.alt_response(404, response="NOT_FOUND")
def message_list(query: dict, conversation_id: int):
    """Messages oldest first, newest page by default; `next` pages back through older ones (keyset on id)."""
    viewer = current_user()
    conversation = conversations.get_for(viewer, conversation_id)
    rows, older = conversations.messages_page(viewer, conversation, query.get("before"), query.get("limit"))
    return {
        "results": [conversations.serialize_message(row) for row in rows],
        "next": url_for("conversations_api.message_list", conversation_id=conversation.id, before=older,
                        limit=query.get("limit"), _external=True) if older else None,
    }


@blp.route("/conversations/<int:conversation_id>/messages/", methods=["POST"], tags=["conversations"])
@message_limit
@blp.arguments(MessageSchema)
@blp.response(201, MessageOut)
@blp.alt_response(403, response="FORBIDDEN", description="You can't contact this user, or your request was declined.")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(429, response="TOO_MANY_REQUESTS", description="Too many messages; slow down.")
def message_send(data: dict, conversation_id: int):
    """Send `{"body"}`; the other participant gets it live over /ws/feed."""
    viewer = current_user()
    conversation = conversations.get_for(viewer, conversation_id)
    return conversations.serialize_message(conversations.send(viewer, conversation, data))


@blp.route("/conversations/<int:conversation_id>/read", methods=["POST"], tags=["conversations"])
@blp.arguments(ReadSchema, required=False)
@blp.response(200, ReadOut)
@blp.alt_response(404, response="NOT_FOUND")
def conversation_read(data: dict, conversation_id: int):
    """Mark the other participant's messages read (all, or `{"up_to": message id}`): their read receipts."""
    viewer = current_user()
    conversation = conversations.get_for(viewer, conversation_id)
    marked = conversations.mark_read(viewer, conversation, data)
    return {"marked": marked, "unread": conversations.unread_count(viewer.id)}


def _answer(conversation_id: int, action) -> dict:
    viewer = current_user()
    conversation = action(viewer, conversations.get_for(viewer, conversation_id))
    return conversations.serialize([conversation], viewer)[0]


@blp.route("/conversations/<int:conversation_id>/accept", methods=["POST"], tags=["conversations"])
@blp.response(200, ConversationOut)
@blp.alt_response(403, response="FORBIDDEN", description="Only the recipient answers a request.")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Not a message request.")
def conversation_accept(conversation_id: int):
    """Accept a message request: it moves to your inbox."""
    return _answer(conversation_id, conversations.accept)


@blp.route("/conversations/<int:conversation_id>/decline", methods=["POST"], tags=["conversations"])
@blp.response(200, ConversationOut)
@blp.alt_response(403, response="FORBIDDEN", description="Only the recipient answers a request.")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Not a message request.")
def conversation_decline(conversation_id: int):
    """Decline a message request: it leaves your folders and the sender can write no more in it."""
    return _answer(conversation_id, conversations.decline)
