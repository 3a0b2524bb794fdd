"""Connections: request, accept, decline, remove (SPEC §2 Collaboration, §3.7)."""

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Connection, User, pair, utcnow
from ..schemas.messaging import UserRefSchema
from ..tasks import enqueue
from ..tasks import messaging as messaging_tasks
from . import blocks, feed_cache
from .errors import Conflict, Forbidden, NotFound, ValidationFailed
from .events import record_event
from .targets import person
from .transaction import after_commit, atomic
from .validation import load


def resolve_user(data) -> User:
    """Turn `{"user": username}` into an active user (NotFound otherwise)."""
    username = load(UserRefSchema(), data)["user"]
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None or user.is_suspended:
        raise NotFound("No such user.")
    return user


def between(a: int, b: int) -> Connection | None:
    """The connection row (pending or accepted) between two users, if any."""
    low, high = pair(a, b)
    return db.session.scalar(select(Connection).where(Connection.user_low_id == low, Connection.user_high_id == high))


def are_connected(a: int, b: int) -> bool:
    row = between(a, b)
    return row is not None and row.status == "accepted"


def get_for(viewer: User, connection_id: int) -> Connection:
    """A connection the viewer is part of; 404 for anyone else."""
    row = db.session.get(Connection, connection_id) if 0 < connection_id < 2**31 else None
    if row is None or not row.involves(viewer.id):
        raise NotFound("No such connection.")
    return row


def request(requester: User, addressee: User) -> Connection:
    """Ask to connect. A duplicate is a 409; asking someone who already asked you accepts their request."""
    if addressee.id == requester.id:
        raise ValidationFailed({"user": ["You cannot connect with yourself."]})
    blocks.check_contact(requester, addressee)
    existing = between(requester.id, addressee.id)
    if existing is not None:
        if existing.status == "pending" and existing.addressee_id == requester.id:
            # Crossing requests make one connection; the one who "accepts" is the second asker.
            return accept(requester, existing)
        raise Conflict("You are already connected." if existing.status == "accepted"
                       else "You have already asked to connect.")
    low, high = pair(requester.id, addressee.id)
    try:
        with atomic():
            row = Connection(user_low_id=low, user_high_id=high, requester_id=requester.id,
                             addressee_id=addressee.id, status="pending")
            db.session.add(row)
            db.session.flush()
            enqueue(messaging_tasks.connection_request, connection_id=row.id,
                    requested_at=row.created_at.isoformat())
    except IntegrityError:
        # A concurrent request for the same pair won the race.
        existing = between(requester.id, addressee.id)
        if existing is not None and existing.status == "pending" and existing.addressee_id == requester.id:
            return accept(requester, existing)
        raise Conflict("You have already asked to connect.") from None
    return row


def accept(viewer: User, row: Connection) -> Connection:
    """The addressee accepts: record `connection_made` (actor: the one who accepts)."""
    if not row.involves(viewer.id):
        raise NotFound("No such connection.")
    if row.status == "accepted":
        raise Conflict("You are already connected.")
    if row.addressee_id != viewer.id:
        raise Forbidden("Only the person you asked can accept.")
    requester = row.requester
    with atomic():
        row.status, row.accepted_at = "accepted", utcnow()
        record_event(viewer, "connection_made", requester,
                     f"{viewer.username} connected with {requester.username}")
        enqueue(messaging_tasks.connection_accepted, connection_id=row.id, accepted_at=row.accepted_at.isoformat())
        after_commit(lambda: feed_cache.bump_users([row.requester_id, row.addressee_id]))
    return row


def decline(viewer: User, row: Connection) -> None:
    """The addressee declines a pending request (the requester may ask again later)."""
    if not row.involves(viewer.id):
        raise NotFound("No such connection.")
    if row.status != "pending":
        raise Conflict("This request was already answered.")
    if row.addressee_id != viewer.id:
        raise Forbidden("Only the person asked can decline; withdraw your own request with DELETE.")
    with atomic():
        db.session.delete(row)


def remove(viewer: User, row: Connection) -> None:
    """Either party ends a connection, or the requester withdraws a pending request."""
    if not row.involves(viewer.id):
        raise NotFound("No such connection.")
    if row.status == "pending" and row.requester_id != viewer.id:
        raise Forbidden("Decline the request instead.")
    ids = [row.requester_id, row.addressee_id]
    with atomic():
        db.session.delete(row)
    # Their events leave each other's `following` pages.
    feed_cache.bump_users(ids)


def list_for(viewer: User, status: str | None = None) -> list[Connection]:
    """The viewer's connections and pending requests (both directions), newest first."""
    query = select(Connection).where(or_(Connection.user_low_id == viewer.id, Connection.user_high_id == viewer.id))
    if status:
        query = query.where(Connection.status == status)
    return list(db.session.scalars(query.order_by(Connection.created_at.desc(), Connection.id.desc())))


def connected_ids(user_id: int) -> set[int]:
    """Ids of the users `user_id` is connected with."""
    rows = db.session.execute(
        select(Connection.user_low_id, Connection.user_high_id).where(
            Connection.status == "accepted",
            or_(Connection.user_low_id == user_id, Connection.user_high_id == user_id),
        )
    ).all()
    return {high if low == user_id else low for low, high in rows}


def serialize(row: Connection, viewer: User) -> dict:
    """The API shape, seen from `viewer`."""
    if row.status == "accepted":
        direction = "connected"
    else:
        direction = "outgoing" if row.requester_id == viewer.id else "incoming"
    return {
        "id": row.id,
        "status": row.status,
        "requester": person(row.requester),
        "addressee": person(row.addressee),
        "user": person(row.other(viewer.id)),
        "direction": direction,
        "created_at": row.created_at.isoformat(),
        "accepted_at": row.accepted_at.isoformat() if row.accepted_at else None,
    }
