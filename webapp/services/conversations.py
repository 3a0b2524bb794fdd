"""Conversations and messages: start, send, read, accept or decline requests (SPEC §2, §3.7).

A conversation and its messages exist only for its two participants: every read here takes
the viewer and answers NotFound to anyone else.
"""

import base64
import binascii
import json
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, func, literal, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..filters import linkify
from ..models import Conversation, Message, Opportunity, Startup, User, UTCDateTime, pair, utcnow
from ..schemas.messaging import ConversationStartSchema, MessageSchema, ReadSchema
from ..tasks import enqueue
from ..tasks import messaging as messaging_tasks
from . import blocks, connections, outbox
from .errors import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from .opportunities import get_opportunity
from .startups import get_startup
from .targets import describe_targets, person
from .transaction import after_commit, atomic
from .validation import load

MESSAGES_PAGE = 30
LIST_PAGE = 20
MAX_LIMIT = 100
FOLDERS = ("inbox", "requests")


class InvalidCursor(ServiceError):
    status = 400
    code = "invalid_cursor"


# -- reading -----------------------------------------------------------------------------------------

def get_for(viewer: User, conversation_id: int) -> Conversation:
    """A conversation the viewer takes part in; NotFound for anyone else (it does not exist for them)."""
    row = db.session.get(Conversation, conversation_id) if 0 < conversation_id < 2**31 else None
    if row is None or not row.involves(viewer.id):
        raise NotFound("No such conversation.")
    return row


def _participant(user_id: int):
    return or_(Conversation.user_low_id == user_id, Conversation.user_high_id == user_id)


def _in_folder(user_id: int, folder: str):
    if folder == "requests":
        return and_(_participant(user_id), Conversation.status == "request", Conversation.initiator_id != user_id)
    # Inbox: accepted conversations, and the requests you sent (declined ones look unanswered).
    return and_(_participant(user_id), or_(Conversation.status == "active", Conversation.initiator_id == user_id))


def _shown_to(user_id: int):
    """Conversations that count for the user: everything but requests they declined."""
    return and_(_participant(user_id),
                or_(Conversation.status != "declined", Conversation.initiator_id == user_id))


def folder_of(conversation: Conversation, viewer_id: int) -> str:
    waiting = conversation.status in ("request", "declined") and conversation.initiator_id != viewer_id
    return "requests" if waiting else "inbox"


def _encode(row: Conversation) -> str:
    raw = json.dumps([row.last_message_at.isoformat(), row.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        if len(cursor) > 200:
            raise ValueError
        when, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        when = datetime.fromisoformat(when)
        if when.tzinfo is None or type(row_id) is not int or not 0 < row_id < 2**31:
            raise ValueError
        return when, row_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, OverflowError):
        raise InvalidCursor("The cursor is not valid; start again from the first page.") from None


def list_page(viewer: User, folder: str = "inbox", limit: int | None = None,
              cursor: str | None = None) -> tuple[list[Conversation], str | None]:
    """The viewer's conversations in a folder, most recent first, and the cursor for older ones."""
    if folder not in FOLDERS:
        raise ValidationFailed({"folder": ["Must be inbox or requests."]})
    limit = min(limit or LIST_PAGE, MAX_LIMIT)
    query = select(Conversation).where(_in_folder(viewer.id, folder))
    if cursor:
        when, row_id = _decode(cursor)
        key = tuple_(literal(when, UTCDateTime()), literal(row_id))
        query = query.where(tuple_(Conversation.last_message_at, Conversation.id) < key)
    query = query.order_by(Conversation.last_message_at.desc(), Conversation.id.desc()).limit(limit + 1)
    rows = list(db.session.scalars(query))
    return rows[:limit], (_encode(rows[limit - 1]) if len(rows) > limit else None)


def folder_count(viewer: User, folder: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Conversation).where(_in_folder(viewer.id, folder))) or 0


def _unread_messages(user_id: int):
    return and_(Message.sender_id != user_id, Message.read_at.is_(None))


def unread_by_conversation(viewer: User, conversation_ids: list[int]) -> dict[int, int]:
    """Unread messages (sent by the other participant) per conversation."""
    if not conversation_ids:
        return {}
    query = (select(Message.conversation_id, func.count())
             .where(Message.conversation_id.in_(conversation_ids), _unread_messages(viewer.id))
             .group_by(Message.conversation_id))
    return dict(db.session.execute(query).all())


def unread_count(user_id: int, folder: str | None = None) -> int:
    """Conversations with unread messages for the user (the nav badge), optionally in one folder."""
    condition = _shown_to(user_id) if folder is None else _in_folder(user_id, folder)
    query = (select(func.count(func.distinct(Message.conversation_id)))
             .select_from(Message).join(Conversation, Conversation.id == Message.conversation_id)
             .where(condition, _unread_messages(user_id)))
    return db.session.scalar(query) or 0


def messages_page(viewer: User, conversation: Conversation, before: int | None = None,
                  limit: int | None = None) -> tuple[list[Message], int | None]:
    """Messages oldest first, ending just before `before` (keyset on id); and the id to load older ones before."""
    if not conversation.involves(viewer.id):
        raise NotFound("No such conversation.")
    limit = min(limit or MESSAGES_PAGE, MAX_LIMIT)
    query = select(Message).where(Message.conversation_id == conversation.id)
    if before:
        query = query.where(Message.id < before)
    rows = list(db.session.scalars(query.order_by(Message.id.desc()).limit(limit + 1)))
    older = rows[limit - 1].id if len(rows) > limit else None
    rows = rows[:limit]
    rows.reverse()
    return rows, older


def messages_after(viewer: User, conversation: Conversation, after: int, limit: int = MAX_LIMIT) -> list[Message]:
    """Messages newer than `after`, oldest first: a page catching up after its socket reconnected."""
    if not conversation.involves(viewer.id):
        raise NotFound("No such conversation.")
    query = (select(Message).where(Message.conversation_id == conversation.id, Message.id > after)
             .order_by(Message.id.asc()).limit(limit))
    return list(db.session.scalars(query))


def last_read_by_other(viewer: User, conversation: Conversation) -> Message | None:
    """The viewer's newest message the other participant has read (for "Seen")."""
    query = (select(Message).where(Message.conversation_id == conversation.id, Message.sender_id == viewer.id,
                                   Message.read_at.is_not(None))
             .order_by(Message.id.desc()).limit(1))
    return db.session.scalar(query)


def get_message(message_id: int) -> Message | None:
    """One message, for the socket dispatcher (which checks participants itself)."""
    return db.session.get(Message, message_id)


# -- writing -----------------------------------------------------------------------------------------

def _subject(fields: dict, viewer: User) -> tuple[dict, str]:
    if fields.get("startup"):
        startup = get_startup(fields["startup"], viewer)
        return {"startup_id": startup.id}, f"startup:{startup.id}"
    if fields.get("opportunity"):
        opportunity = get_opportunity(fields["opportunity"], viewer)
        return {"opportunity_id": opportunity.id}, f"opportunity:{opportunity.id}"
    return {}, ""


def describe_subject(subject_key: str) -> dict | None:
    """`{"type", "id", "title", "url"}` of a subject key ("startup:3"), or None."""
    kind, _, raw_id = subject_key.partition(":")
    if not raw_id:
        return None
    return describe_targets([(kind, int(raw_id))]).get((kind, int(raw_id)))


def find_existing(sender: User, recipient: User, subject_key: str) -> Conversation | None:
    low, high = pair(sender.id, recipient.id)
    return db.session.scalar(select(Conversation).where(
        Conversation.user_low_id == low, Conversation.user_high_id == high, Conversation.subject_key == subject_key
    ))


def resolve_start(sender: User, data) -> tuple[User, dict, str, str]:
    """Validate a start body: (recipient, subject columns, subject key, body)."""
    fields = load(ConversationStartSchema(), data)
    recipient = connections.resolve_user({"user": fields["user"]})
    if recipient.id == sender.id:
        raise ValidationFailed({"user": ["You cannot message yourself."]})
    columns, key = _subject(fields, sender)
    return recipient, columns, key, fields["body"]


def start(sender: User, data) -> tuple[Conversation, Message, bool]:
    """Start a conversation with its first message (or add to the one about the same subject).

    Return (conversation, message, created). From someone who is not a connection it is a
    request: it waits in the recipient's requests folder until accepted.
    """
    recipient, columns, key, body = resolve_start(sender, data)
    blocks.check_contact(sender, recipient)
    existing = find_existing(sender, recipient, key)
    if existing is not None:
        return existing, _post(existing, sender, body), False
    low, high = pair(sender.id, recipient.id)
    status = "active" if connections.are_connected(sender.id, recipient.id) else "request"
    try:
        with atomic():
            conversation = Conversation(user_low_id=low, user_high_id=high, initiator_id=sender.id,
                                        subject_key=key, status=status, **columns)
            db.session.add(conversation)
            db.session.flush()
            message = _add_message(conversation, sender, body)
            if status == "request":
                enqueue(messaging_tasks.message_request, conversation_id=conversation.id, sender_id=sender.id)
    except IntegrityError:
        # The same conversation was started concurrently: write into it instead.
        existing = find_existing(sender, recipient, key)
        if existing is None:
            raise
        return existing, _post(existing, sender, body), False
    return conversation, message, True


def send(sender: User, conversation: Conversation, data) -> Message:
    """Add a message `{"body"}` to a conversation the sender takes part in."""
    body = load(MessageSchema(), data)["body"]
    return _post(conversation, sender, body)


def _post(conversation: Conversation, sender: User, body: str) -> Message:
    if not conversation.involves(sender.id):
        raise NotFound("No such conversation.")
    other = conversation.other(sender.id)
    if other.is_suspended:
        raise Forbidden(blocks.REFUSAL)
    blocks.check_contact(sender, other)
    if conversation.status == "declined" and conversation.initiator_id == sender.id:
        raise Forbidden("This message request was declined.")
    with atomic():
        if conversation.status != "active" and conversation.initiator_id != sender.id:
            # Replying to a request accepts it.
            conversation.status = "active"
        message = _add_message(conversation, sender, body)
        # Whoever writes has read what came before.
        _mark_read(conversation, sender)
    return message


def _add_message(conversation: Conversation, sender: User, body: str) -> Message:
    message = Message(conversation_id=conversation.id, sender_id=sender.id, body=body, created_at=utcnow())
    db.session.add(message)
    db.session.flush()
    conversation.last_message_at = message.created_at
    message_id = message.id
    # Through the outbox: a message whose publish fails (Redis down, the process dies) is
    # published by the relay a few seconds later instead of waiting for a page reload.
    outbox.stage(outbox.MESSAGE, message_id, lambda: outbox.announce_message(message_id))
    return message


def _mark_read(conversation: Conversation, reader: User, up_to: int | None = None) -> int:
    statement = update(Message).where(
        Message.conversation_id == conversation.id, _unread_messages(reader.id)
    )
    if up_to:
        statement = statement.where(Message.id <= up_to)
    changed = db.session.execute(statement.values(read_at=utcnow())).rowcount or 0
    if changed:
        conversation_id = conversation.id
        after_commit(lambda: _publish("publish_read", conversation_id))
    return changed


def mark_read(reader: User, conversation: Conversation, data=None) -> int:
    """Mark the other participant's messages read (up to `{"up_to": id}` when given); return how many."""
    if not conversation.involves(reader.id):
        raise NotFound("No such conversation.")
    fields = load(ReadSchema(), data or {})
    with atomic():
        return _mark_read(conversation, reader, fields.get("up_to"))


def accept(viewer: User, conversation: Conversation) -> Conversation:
    """The recipient accepts a message request: it moves to their inbox."""
    _check_request_answer(viewer, conversation, allow_declined=True)
    with atomic():
        conversation.status = "active"
    return conversation


def decline(viewer: User, conversation: Conversation) -> Conversation:
    """The recipient declines a message request: the sender can write no more in it."""
    _check_request_answer(viewer, conversation)
    with atomic():
        conversation.status = "declined"
    return conversation


def _check_request_answer(viewer: User, conversation: Conversation, allow_declined: bool = False) -> None:
    if not conversation.involves(viewer.id):
        raise NotFound("No such conversation.")
    if conversation.initiator_id == viewer.id:
        raise Forbidden("Only the recipient answers a message request.")
    answerable = ("request", "declined") if allow_declined else ("request",)
    if conversation.status not in answerable:
        raise Conflict("This conversation is not a message request.")


def _publish(method: str, row_id: int) -> None:
    layer = current_app.extensions.get("channel_layer")
    if layer is not None:
        getattr(layer, method)(row_id)


# -- shapes ------------------------------------------------------------------------------------------

def serialize_message(message: Message) -> dict:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "sender": person(message.sender),
        "body": message.body,
        "body_html": str(linkify(message.body)),
        "created_at": message.created_at.isoformat(),
        "read_at": message.read_at.isoformat() if message.read_at else None,
    }


def _hidden_subjects(conversations: list[Conversation]) -> set[tuple[str, int]]:
    startup_ids = {row.startup_id for row in conversations if row.startup_id}
    opportunity_ids = {row.opportunity_id for row in conversations if row.opportunity_id}
    hidden: set[tuple[str, int]] = set()
    if startup_ids:
        query = select(Startup.id).where(Startup.id.in_(startup_ids), Startup.is_hidden)
        hidden |= {("startup", row_id) for row_id in db.session.scalars(query)}
    if opportunity_ids:
        query = (select(Opportunity.id).join(Startup, Startup.id == Opportunity.startup_id)
                 .where(Opportunity.id.in_(opportunity_ids), or_(Opportunity.is_hidden, Startup.is_hidden)))
        hidden |= {("opportunity", row_id) for row_id in db.session.scalars(query)}
    return hidden


def serialize(conversations: list[Conversation], viewer: User, with_last: bool = True) -> list[dict]:
    """The API shape of each conversation as `viewer` sees it, loading subjects and counts once."""
    ids = [row.id for row in conversations]
    unread = unread_by_conversation(viewer, ids)
    targets = describe_targets(
        [("startup", row.startup_id) for row in conversations]
        + [("opportunity", row.opportunity_id) for row in conversations]
    )
    for key in _hidden_subjects(conversations):
        # A moderated (hidden) startup or opportunity is named to nobody, not even here.
        targets.pop(key, None)
    last: dict[int, Message] = {}
    if with_last and ids:
        newest = select(func.max(Message.id)).where(Message.conversation_id.in_(ids)).group_by(Message.conversation_id)
        last = {m.conversation_id: m for m in db.session.scalars(select(Message).where(Message.id.in_(newest)))}
    return [
        {
            "id": row.id,
            "participants": [person(row.user_low), person(row.user_high)],
            "other": person(row.other(viewer.id)),
            "startup": targets.get(("startup", row.startup_id)),
            "opportunity": targets.get(("opportunity", row.opportunity_id)),
            "status": row.status,
            "folder": folder_of(row, viewer.id),
            "unread": unread.get(row.id, 0),
            "last_message": serialize_message(last[row.id]) if row.id in last else None,
            "created_at": row.created_at.isoformat(),
            "last_message_at": row.last_message_at.isoformat(),
            "url": f"/conversations/{row.id}",
        }
        for row in conversations
    ]
