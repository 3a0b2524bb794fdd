"""Blocks: a user stops another's messages and connection requests."""

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Block, Connection, User, pair
from .errors import Forbidden, NotFound, ValidationFailed
from .transaction import atomic

# Said to the blocked user and to the blocker alike: it never reveals who blocked whom.
REFUSAL = "You cannot contact this user."


def is_blocked(blocker_id: int, blocked_id: int) -> bool:
    """Whether `blocker` blocks `blocked` (one direction)."""
    return db.session.get(Block, (blocker_id, blocked_id)) is not None


def blocked_either_way(a: int, b: int) -> bool:
    """Whether either user blocks the other."""
    query = select(Block.blocker_id).where(or_(
        (Block.blocker_id == a) & (Block.blocked_id == b), (Block.blocker_id == b) & (Block.blocked_id == a)
    ))
    return db.session.scalar(query.limit(1)) is not None


def check_contact(sender: User, recipient: User) -> None:
    """Refuse (403) contact between two users when either blocks the other."""
    if blocked_either_way(sender.id, recipient.id):
        raise Forbidden(REFUSAL)


def block(blocker: User, user: User) -> Block:
    """Block `user`: their messages and requests are refused; any connection between you ends."""
    if user.id == blocker.id:
        raise ValidationFailed({"user": ["You cannot block yourself."]})
    existing = db.session.get(Block, (blocker.id, user.id))
    if existing is not None:
        return existing
    low, high = pair(blocker.id, user.id)
    try:
        with atomic():
            row = Block(blocker_id=blocker.id, blocked_id=user.id)
            db.session.add(row)
            db.session.execute(delete(Connection).where(Connection.user_low_id == low, Connection.user_high_id == high))
    except IntegrityError:
        db.session.rollback()
        return db.session.get(Block, (blocker.id, user.id))
    return row


def unblock(blocker: User, user: User) -> None:
    """Lift a block; NotFound when there is none."""
    row = db.session.get(Block, (blocker.id, user.id))
    if row is None:
        raise NotFound("You have not blocked this user.")
    with atomic():
        db.session.delete(row)


def blocked_users(blocker: User) -> list[Block]:
    """The users `blocker` blocks, most recent first."""
    return list(db.session.scalars(
        select(Block).where(Block.blocker_id == blocker.id).order_by(Block.created_at.desc())
    ))
