"""Follows: a user follows a user or a startup."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Follow, Startup, User
from ..schemas.inputs import FollowSchema
from ..tasks import enqueue
from ..tasks import notifications as notification_tasks
from . import feed_cache
from .errors import Conflict, NotFound, ValidationFailed
from .events import record_event
from .startups import get_startup
from .transaction import atomic
from .validation import load


def resolve_target(data, viewer: User | None = None) -> User | Startup:
    """Turn `{"user": username}` or `{"startup": slug}` into the row it names."""
    fields = load(FollowSchema(), data)
    if "user" in fields:
        user = db.session.scalar(select(User).where(func.lower(User.username) == fields["user"].lower()))
        if user is None or user.is_suspended:
            raise NotFound("No such user.")
        return user
    return get_startup(fields["startup"], viewer)


def _existing(follower: User, target: User | Startup) -> Follow | None:
    column = Follow.followed_user_id if isinstance(target, User) else Follow.followed_startup_id
    return db.session.scalar(select(Follow).where(Follow.follower_id == follower.id, column == target.id))


def is_following(follower: User, target: User | Startup) -> bool:
    """Whether `follower` follows `target`."""
    return _existing(follower, target) is not None


def follow(follower: User, target: User | Startup, record: bool = True) -> Follow:
    """Follow a user or a startup; record `followed_user` / `followed_startup`."""
    if isinstance(target, User) and target.id == follower.id:
        raise ValidationFailed({"user": ["You cannot follow yourself."]})
    if _existing(follower, target) is not None:
        raise Conflict("You already follow this.")
    try:
        with atomic():
            if isinstance(target, User):
                row = Follow(follower_id=follower.id, followed_user_id=target.id)
                db.session.add(row)
                if record:
                    record_event(follower, "followed_user", target, f"{follower.username} followed {target.username}")
                db.session.flush()
                if record:
                    enqueue(notification_tasks.new_follower, follow_id=row.id, followed_at=row.created_at.isoformat(),
                            follower_id=follower.id, user_id=target.id)
            else:
                row = Follow(follower_id=follower.id, followed_startup_id=target.id)
                db.session.add(row)
                if record:
                    record_event(follower, "followed_startup", target, f"{follower.username} followed {target.name}")
                db.session.flush()
                if record:
                    enqueue(notification_tasks.new_follower, follow_id=row.id, followed_at=row.created_at.isoformat(),
                            follower_id=follower.id, startup_id=target.id)
            db.session.flush()
    except IntegrityError:
        raise Conflict("You already follow this.") from None
    return row


def unfollow(follower: User, target: User | Startup) -> None:
    """Stop following; NotFound when not following."""
    row = _existing(follower, target)
    if row is None:
        raise NotFound("You do not follow this.")
    with atomic():
        db.session.delete(row)
    # No event marks an unfollow, but the follower's "following" pages just changed.
    feed_cache.bump_users([follower.id])


def follower_count(target: User | Startup) -> int:
    """How many users follow `target`."""
    column = Follow.followed_user_id if isinstance(target, User) else Follow.followed_startup_id
    return db.session.scalar(select(func.count()).select_from(Follow).where(column == target.id))
