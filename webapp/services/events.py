"""Record activity events in the caller's transaction (SPEC §2); publish them once committed."""

from collections.abc import Iterable

from flask import current_app

from ..extensions import db
from ..models import ACTION_TYPES, ActivityEvent, EventAudience, User
from . import feed_cache
from .transaction import after_commit


def record_event(
    actor: User,
    action_type: str,
    target=None,
    description: str = "",
    audience: Iterable[int] = (),
) -> ActivityEvent:
    """Add an event; private types get `audience` (user ids), and the actor is always in it."""
    is_public = ACTION_TYPES[action_type]
    event = ActivityEvent(
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
        event.audience = [EventAudience(user_id=user_id) for user_id in audience_ids]
    db.session.add(event)
    db.session.flush()
    event_id = event.id
    # Never for a rolled-back transaction: caches and sockets only learn of committed events.
    after_commit(lambda: announce(event_id, is_public, audience_ids))
    return event


def announce(event_id: int, is_public: bool, audience_ids: Iterable[int]) -> None:
    """Invalidate the feed pages the event belongs in and push it to live sockets."""
    if is_public:
        feed_cache.bump_public()
    else:
        feed_cache.bump_users(audience_ids)
    layer = current_app.extensions.get("channel_layer")
    if layer is not None:
        layer.publish(event_id)


TARGET_TYPES = {
    "users": "user",
    "startups": "startup",
    "opportunities": "opportunity",
    "applications": "application",
}


def target_type_of(target) -> str | None:
    """Name an event target by its model: a Startup row is a "startup" target."""
    return None if target is None else TARGET_TYPES[target.__tablename__]
