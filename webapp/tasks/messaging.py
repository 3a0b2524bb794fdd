"""Collaboration notifications: connection requests and acceptances, message requests."""

from ..extensions import db
from ..models import Connection, Conversation, User
from ..services.notifications import notify
from . import task


@task
def connection_request(connection_id: int, requested_at: str) -> None:
    """Tell a user someone asked to connect (each request is a new fact, even after a decline)."""
    row = db.session.get(Connection, connection_id)
    if row is None or row.status != "pending":
        return
    notify("connection_request", row.requester_id, "connection", row.id, recipients=[row.addressee_id],
           text=f"{row.requester.display_name} wants to connect", fact=requested_at)


@task
def connection_accepted(connection_id: int, accepted_at: str) -> None:
    """Tell the requester their request was accepted."""
    row = db.session.get(Connection, connection_id)
    if row is None or row.status != "accepted":
        return
    notify("connection_accepted", row.addressee_id, "user", row.addressee_id, recipients=[row.requester_id],
           text=f"{row.addressee.display_name} accepted your connection request", fact=accepted_at)


@task
def message_request(conversation_id: int, sender_id: int) -> None:
    """Tell a user a non-connection wrote to them (the conversation waits in their requests)."""
    conversation = db.session.get(Conversation, conversation_id)
    sender = db.session.get(User, sender_id)
    if conversation is None or sender is None or conversation.status != "request":
        return
    notify("message_request", sender_id, "conversation", conversation.id, recipients=[conversation.recipient_id],
           text=f"{sender.display_name} sent you a message request")
