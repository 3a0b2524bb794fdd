"""The activity feed and user activity: keyset pages of what each viewer may see."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal, select, tuple_, union
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import ACTION_TYPES, ActivityEvent, EventAudience, Feed, Follow, User, UTCDateTime, utcnow
from . import feed_cache
from .errors import ServiceError, ValidationFailed
from .feed_counts import public_count
from .targets import describe_targets, person
from .transaction import atomic
from .visibility import connected_user_ids, following, following_branches, visible_to

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
SCOPES = ("all", "following")
UNREAD_CAP = 100
MAX_ID = 2**63 - 1


class InvalidCursor(ServiceError):
    status = 400
    code = "invalid_cursor"


@dataclass(frozen=True)
class Page:
    """One page of events (as API dicts, newest first) and the cursors around it."""

    events: list[dict]
    next_cursor: str | None
    previous_cursor: str | None


def clamp_limit(limit: int | None) -> int:
    """Default 20, at most 100; a limit below 1 is refused."""
    if limit is None:
        return DEFAULT_LIMIT
    if limit < 1:
        raise ValidationFailed({"limit": ["Must be at least 1."]})
    return min(limit, MAX_LIMIT)


def check_filters(scope: str | None, action_type: str | None) -> tuple[str, str | None]:
    """Validate the scope and the action_type filter."""
    scope = scope or "all"
    if scope not in SCOPES:
        raise ValidationFailed({"scope": [f"Must be one of: {', '.join(SCOPES)}."]})
    if action_type and action_type not in ACTION_TYPES:
        raise ValidationFailed({"action_type": ["Unknown action type."]})
    return scope, action_type or None


def encode_cursor(event: dict, direction: str) -> str:
    raw = json.dumps([event["created_at"], event["id"], direction], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int, str]:
    """Return (created_at, id, direction) or raise InvalidCursor for anything malformed."""
    try:
        if len(cursor) > 200:
            raise ValueError
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, event_id, direction = json.loads(raw)
        when = datetime.fromisoformat(created)
        if when.tzinfo is None or type(event_id) is not int or not 0 < event_id <= MAX_ID or direction not in "np":
            raise ValueError
        return when, event_id, direction
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, OverflowError):
        raise InvalidCursor("The cursor is not valid; start again from the first page.") from None


def serialize(events: list[ActivityEvent]) -> list[dict]:
    """Turn events into the SPEC §3.1 JSON shape, loading actors and targets once per page."""
    actor_ids = {event.actor_id for event in events}
    actors = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(actor_ids)))}
    targets = describe_targets((event.target_type, event.target_id) for event in events)
    return [
        {
            "id": event.id,
            "action_type": event.action_type,
            "actor": person(actors.get(event.actor_id)),
            "target": targets.get((event.target_type, event.target_id)),
            "description": event.description,
            "is_public": event.is_public,
            "created_at": event.created_at.isoformat(),
        }
        for event in events
    ]


def _keyset(query, cursor: str | None, limit: int, created=ActivityEvent.created_at, ident=ActivityEvent.id):
    """Order and bound `query` after the cursor: newest first, or oldest first for a "previous" page.

    `created`/`ident` name the ordering columns: the events' own, or the audience's copies of them.
    """
    direction = "n"
    if cursor:
        when, event_id, direction = decode_cursor(cursor)
        key = tuple_(literal(when, UTCDateTime()), literal(event_id))
        order_key = tuple_(created, ident)
        query = query.where(order_key < key) if direction == "n" else query.where(order_key > key)
    if direction == "n":
        query = query.order_by(created.desc(), ident.desc())
    else:
        query = query.order_by(created.asc(), ident.asc())
    return query.limit(limit + 1), direction


def _page(condition, limit: int, cursor: str | None, parts=()) -> Page:
    """One keyset page of events matching `condition`, or the best of `parts` (id queries, each keyset-bounded)."""
    if parts:
        # Each part takes its own first limit+1 rows by its own index; the page is the best of those.
        ids = union(*(select(part.subquery().c.id) for part in parts))
        query, direction = _keyset(select(ActivityEvent).where(ActivityEvent.id.in_(ids)), cursor, limit)
    else:
        query, direction = _keyset(select(ActivityEvent).where(condition), cursor, limit)
    rows = list(db.session.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    if direction == "p":
        rows.reverse()
    events = serialize(rows)
    if not events:
        return Page([], None, None)
    older = more if direction == "n" else True
    newer = bool(cursor) if direction == "n" else more
    return Page(
        events,
        encode_cursor(events[-1], "n") if older else None,
        encode_cursor(events[0], "p") if newer else None,
    )


def _following_parts(viewer: User, condition, limit: int, cursor: str | None) -> list:
    """The `following` scope as index-served parts: followed actors, followed startups, the viewer's private events.

    The private part walks the viewer's audience rows newest first by (user_id, created_at,
    event_id), so its cost does not grow with how many private events the viewer has.
    """
    public = [_keyset(select(ActivityEvent.id).where(condition, branch), cursor, limit)[0]
              for branch in following_branches(viewer.id)[:2]]
    # Aliased: the visibility condition's own audience check must still correlate to the event alone.
    mine = aliased(EventAudience)
    private = (
        select(ActivityEvent.id)
        .select_from(mine)
        .join(ActivityEvent, ActivityEvent.id == mine.event_id)
        .where(mine.user_id == viewer.id, ActivityEvent.is_public.is_(False), condition)
    )
    return [*public, _keyset(private, cursor, limit, mine.created_at, mine.event_id)[0]]


def _feed_condition(viewer: User, scope: str, action_type: str | None):
    condition = visible_to(viewer.id)
    if scope == "following":
        condition = condition & following(viewer.id)
    if action_type:
        condition = condition & (ActivityEvent.action_type == action_type)
    return condition


def _feed_query(viewer: User, scope: str, action_type: str | None, limit: int, cursor: str | None) -> Page:
    if scope != "following":
        return _page(_feed_condition(viewer, scope, action_type), limit, cursor)
    condition = visible_to(viewer.id)
    if action_type:
        condition = condition & (ActivityEvent.action_type == action_type)
    return _page(condition, limit, cursor, _following_parts(viewer, condition, limit, cursor))


def feed_page(
    viewer: User, scope: str | None = "all", action_type: str | None = None,
    limit: int | None = None, cursor: str | None = None,
) -> Page:
    """Return one page of the viewer's feed (cached per viewer until a relevant write)."""
    scope, action_type = check_filters(scope, action_type)
    limit = clamp_limit(limit)
    if cursor:
        decode_cursor(cursor)
    return feed_cache.cached(
        "page", viewer.id, (scope, action_type, limit, cursor),
        lambda: _feed_query(viewer, scope, action_type, limit, cursor),
        feed_cache.PAGE_TIMEOUT,
    )


def feed_count(viewer: User, scope: str | None = "all", action_type: str | None = None) -> int:
    """How many events in this scope and filter the viewer may see.

    The public part is a big count, so it is shared and may lag up to 60 s (SPEC §3.1); the
    viewer's private part is small and exact (filed under the viewer's version).
    """
    scope, action_type = check_filters(scope, action_type)
    return _public_count(viewer, scope, action_type) + _private_count(viewer, action_type)


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


# The count queries are built inside the functions the cache calls on a miss: building the
# visibility expressions costs about half a millisecond, which a cache hit should not pay.

def _public_count(viewer: User, scope: str, action_type: str | None) -> int:
    if scope == "all":
        # Trigger-kept totals minus the moderated few: no scan of activity_events (feed_counts).
        return feed_cache.cached_briefly("count-public", ("all", action_type), lambda: public_count(action_type))

    def count_following() -> int:
        # The public sources of the following scope, each through its own index.
        condition = visible_to(None)
        if action_type:
            condition = condition & (ActivityEvent.action_type == action_type)
        branches = following_branches(viewer.id)[:2]
        return _count(union(*(select(ActivityEvent.id).where(condition, branch) for branch in branches)))

    return feed_cache.cached_briefly("count-public", ("following", viewer.id, action_type), count_following)


def _private_count(viewer: User, action_type: str | None) -> int:
    def count() -> int:
        audience = select(EventAudience.event_id).where(EventAudience.user_id == viewer.id)
        condition = visible_to(viewer.id) & ActivityEvent.is_public.is_(False) & ActivityEvent.id.in_(audience)
        if action_type:
            condition = condition & (ActivityEvent.action_type == action_type)
        return _count(select(ActivityEvent.id).where(condition))

    return feed_cache.cached("count-private", viewer.id, (action_type,), count, feed_cache.COUNT_TIMEOUT, public=False)


def activity_page(subject: User, viewer: User | None, limit: int | None = None, cursor: str | None = None) -> Page:
    """Return one page of `subject`'s events that the viewer may see."""
    limit = clamp_limit(limit)
    if cursor:
        decode_cursor(cursor)
    viewer_id = viewer.id if viewer else None
    return feed_cache.cached(
        "activity", viewer_id, (subject.id, limit, cursor),
        lambda: _page(visible_to(viewer_id) & (ActivityEvent.actor_id == subject.id), limit, cursor),
        feed_cache.PAGE_TIMEOUT,
    )


def activity_count(subject: User, viewer: User | None) -> int:
    """How many of `subject`'s events the viewer may see (cached up to 60 s)."""
    viewer_id = viewer.id if viewer else None
    return feed_cache.cached(
        "activity-count", viewer_id, (subject.id,),
        lambda: db.session.scalar(
            select(func.count()).select_from(ActivityEvent)
            .where(visible_to(viewer_id) & (ActivityEvent.actor_id == subject.id))
        ),
        feed_cache.COUNT_TIMEOUT,
    )


def events_after(viewer_id: int, after_id: int, limit: int = 200) -> list[ActivityEvent]:
    """Visible events with an id above `after_id`, ascending: the socket's replay after a reconnect."""
    query = (
        select(ActivityEvent)
        .where(ActivityEvent.id > after_id, visible_to(viewer_id))
        .order_by(ActivityEvent.id.asc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def latest_event_id() -> int:
    """The newest event id (0 when there is none)."""
    return db.session.scalar(select(func.max(ActivityEvent.id))) or 0


def _feed_row(viewer: User) -> Feed | None:
    return db.session.get(Feed, viewer.id)


def unread_count(viewer: User) -> int:
    """Events by others the viewer may see and has not seen yet, counted up to 100."""
    row = _feed_row(viewer)
    seen = row.last_activity_id if row else 0
    unseen = (
        select(ActivityEvent.id)
        .where(ActivityEvent.id > seen, ActivityEvent.actor_id != viewer.id, visible_to(viewer.id))
        # Newest first along the primary key: bounded work even for a mark that never moved.
        .order_by(ActivityEvent.id.desc())
        .limit(UNREAD_CAP)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(unseen)) or 0


def mark_seen(viewer: User, latest: int) -> None:
    """Move the viewer's "seen up to" mark to `latest`, the newest event id the page read (never back)."""
    with atomic():
        row = _feed_row(viewer)
        if row is None:
            row = Feed(user_id=viewer.id, last_activity_id=0)
            db.session.add(row)
        if latest > (row.last_activity_id or 0):
            row.last_activity_id = latest
            row.last_updated = utcnow()


def user_by_id(user_id: int) -> User | None:
    """An active user by id (None for unknown, out-of-range or suspended)."""
    if not 0 < user_id <= 2**31 - 1:
        return None
    user = db.session.get(User, user_id)
    return None if user is None or user.is_suspended else user


def user_by_username(username: str) -> User | None:
    """An active user by username, whatever its case."""
    if not username or len(username) > 30:
        return None
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    return None if user is None or user.is_suspended else user


def followed_ids(user_id: int) -> tuple[frozenset[int], frozenset[int]]:
    """(user ids, startup ids) the user follows or is connected with: a `following` socket filters with them."""
    rows = db.session.execute(
        select(Follow.followed_user_id, Follow.followed_startup_id).where(Follow.follower_id == user_id)
    ).all()
    connected = db.session.scalars(union(*connected_user_ids(user_id)))
    return (
        frozenset(u for u, _ in rows if u is not None) | frozenset(connected),
        frozenset(s for _, s in rows if s is not None),
    )
