"""Record activity events in the caller's transaction (SPEC §2); publish them once committed."""

from collections.abc import Iterable

from ..extensions import db
from ..models import ACTION_TYPES, ActivityEvent, EventAudience, User, utcnow
from . import outbox


def record_event(
    actor: User,
    action_type: str,
    target=None,
    description: str = "",
    audience: Iterable[int] = (),
) -> ActivityEvent:
    """Add an event; private types get `audience` (user ids), and the actor is always in it."""
    is_public = ACTION_TYPES[action_type]
    now = utcnow()
    event = ActivityEvent(
        created_at=now,
        actor_id=actor.id,
        action_type=action_type,
        target_type=target_type_of(target),
        target_id=getattr(target, "id", None),
        description=description,
        is_public=is_public,
    )
    audience_ids: list[int] = []
    if not is_public:
        audience_ids = sorted({actor.id, *audience})
        event.audience = [EventAudience(user_id=user_id, created_at=now) for user_id in audience_ids]
    db.session.add(event)
    db.session.flush()
    event_id = event.id
    # An outbox row in this transaction: never published for a rollback, never lost after a commit.
    outbox.stage(outbox.ACTIVITY, event_id, lambda: outbox.announce_event(event_id, is_public, audience_ids))
    return event


TARGET_TYPES = {
    "users": "user",
    "startups": "startup",
    "opportunities": "opportunity",
    "applications": "application",
}


def target_type_of(target) -> str | None:
    """Name an event target by its model: a Startup row is a "startup" target."""
    return None if target is None else TARGET_TYPES[target.__tablename__]
