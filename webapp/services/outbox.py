"""The outbox: what a transaction will push live is written in it, and published after it.

Activity events, live notifications and conversation messages go through it.

`stage()` adds an outbox row beside the fact (same transaction, so a rollback leaves
neither) and publishes it right after the commit (the fast path: live activity never waits
on a worker), marking it published when the channel layer took it. Whatever the fast path
missed (the process died, Redis was down) stays unpublished, and `relay()` publishes it a
few seconds later. A row may so be published twice; sockets drop what they already sent.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import ActivityEvent, OutboxMessage, utcnow
from . import feed_cache
from .transaction import after_commit, atomic, unit_state

log = logging.getLogger(__name__)

ACTIVITY = "a"
NOTIFICATION = "n"
MESSAGE = "m"
RELAY_BATCH = 500
KEEP_PUBLISHED = timedelta(hours=1)

Deliver = Callable[[], bool]


def stage(kind: str, ref_id: int, deliver: Deliver) -> None:
    """Write the outbox row in the current transaction; run `deliver` once it commits."""
    with atomic():
        db.session.add(OutboxMessage(kind=kind, ref_id=ref_id, created_at=utcnow()))
        state = unit_state()
        batch = state.get("outbox")
        if batch is None:
            batch = state["outbox"] = []
            after_commit(lambda: publish_now(batch))
        batch.append((kind, ref_id, deliver))


def publish_now(batch: list[tuple[str, int, Deliver]]) -> None:
    """The fast path: deliver each message, then mark the delivered ones in one statement."""
    delivered = []
    for kind, ref_id, deliver in batch:
        try:
            if deliver():
                delivered.append((kind, ref_id))
        except Exception:
            # The write has committed: the relay retries; the request must not fail now.
            log.exception("outbox: publishing %s:%s failed; the relay will retry", kind, ref_id)
    try:
        with atomic():
            _mark(delivered)
    except Exception:
        db.session.rollback()
        log.exception("outbox: marking %d messages published failed; they may be published twice", len(delivered))


def _mark(published: Iterable[tuple[str, int]]) -> None:
    by_kind: dict[str, list[int]] = {}
    for kind, ref_id in published:
        by_kind.setdefault(kind, []).append(ref_id)
    now = utcnow()
    for kind, ids in by_kind.items():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.kind == kind, OutboxMessage.ref_id.in_(ids), OutboxMessage.published_at.is_(None))
            .values(published_at=now)
        )


def announce_event(event_id: int, is_public: bool, audience_ids: Iterable[int], fallback: bool = True) -> bool:
    """Invalidate the feed pages the event belongs in and push it to live sockets."""
    if is_public:
        feed_cache.bump_public()
    else:
        feed_cache.bump_users(audience_ids)
    layer = current_app.extensions.get("channel_layer")
    return True if layer is None else layer.publish(event_id, fallback=fallback)


def announce_notification(notification_id: int, fallback: bool = True) -> bool:
    """Push one notification to its recipient's sockets."""
    layer = current_app.extensions.get("channel_layer")
    return True if layer is None else layer.publish_notification(notification_id, fallback=fallback)


def announce_message(message_id: int, fallback: bool = True) -> bool:
    """Push one conversation message to its participants' sockets."""
    layer = current_app.extensions.get("channel_layer")
    return True if layer is None else layer.publish_message(message_id, fallback=fallback)


def _deliver_stored(kind: str, ref_id: int) -> bool:
    if kind == NOTIFICATION:
        return announce_notification(ref_id, fallback=False)
    if kind == MESSAGE:
        return announce_message(ref_id, fallback=False)
    event = db.session.get(ActivityEvent, ref_id)
    if event is None:
        return True  # deleted meanwhile: nothing left to deliver
    return announce_event(event.id, event.is_public, event.audience_ids, fallback=False)


def relay(grace_seconds: float = 5.0, limit: int = RELAY_BATCH) -> int:
    """Publish what stayed unpublished for `grace_seconds`, oldest first; return how many went out.

    On PostgreSQL the rows are locked with SKIP LOCKED, so relays in several processes share
    the backlog instead of publishing it twice. A failed publish (Redis still down) ends the
    pass: the rest waits for the next one, in order.
    """
    cutoff = utcnow() - timedelta(seconds=grace_seconds)
    with atomic():
        rows = db.session.execute(
            select(OutboxMessage.kind, OutboxMessage.ref_id)
            .where(OutboxMessage.published_at.is_(None), OutboxMessage.created_at <= cutoff)
            .order_by(OutboxMessage.created_at, OutboxMessage.kind, OutboxMessage.ref_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        published = []
        for kind, ref_id in rows:
            if not _deliver_stored(kind, ref_id):
                log.warning("outbox: relay could not publish %s:%s; retrying on the next pass", kind, ref_id)
                break
            published.append((kind, ref_id))
        _mark(published)
    if published:
        log.info("outbox: relay published %d messages the fast path missed", len(published))
    return len(published)


def unpublished_count() -> int:
    """How many outbox rows wait for the relay (for health checks and tests)."""
    return db.session.scalar(select(func.count()).where(OutboxMessage.published_at.is_(None))) or 0


def prune(keep: timedelta = KEEP_PUBLISHED) -> int:
    """Forget rows published longer ago than `keep`."""
    with atomic():
        result = db.session.execute(
            delete(OutboxMessage).where(OutboxMessage.published_at < utcnow() - keep)
        )
    return result.rowcount or 0
