"""Who may see which activity event (SPEC §2), as SQL for lists and as a check for one event."""

from dataclasses import dataclass, field

from sqlalchemy import and_, exists, literal, or_, select, union
from sqlalchemy.sql.elements import ColumnElement

from ..extensions import db
from ..models import ActivityEvent, Application, Connection, EventAudience, Follow, Opportunity, Startup


def hidden_target(target_type, target_id) -> ColumnElement[bool]:
    """True when (target_type, target_id) names a hidden startup or opportunity, or sits under one.

    Shared by events and notifications: a moderated item reaches nobody through either.
    """
    hidden_startup = exists(
        select(1).where(target_type == "startup", Startup.id == target_id, Startup.is_hidden)
    )
    hidden_opportunity = exists(
        select(1)
        .select_from(Opportunity)
        .join(Startup, Startup.id == Opportunity.startup_id)
        .where(
            target_type == "opportunity",
            Opportunity.id == target_id,
            or_(Opportunity.is_hidden, Startup.is_hidden),
        )
    )
    hidden_application = exists(
        select(1)
        .select_from(Application)
        .join(Opportunity, Opportunity.id == Application.opportunity_id)
        .join(Startup, Startup.id == Opportunity.startup_id)
        .where(
            target_type == "application",
            Application.id == target_id,
            or_(Opportunity.is_hidden, Startup.is_hidden),
        )
    )
    return or_(hidden_startup, hidden_opportunity, hidden_application)


def _hidden_target() -> ColumnElement[bool]:
    return hidden_target(ActivityEvent.target_type, ActivityEvent.target_id)


def in_audience(viewer_id: int) -> ColumnElement[bool]:
    """True when the viewer is in the event's private audience."""
    return exists(
        select(1).where(EventAudience.event_id == ActivityEvent.id, EventAudience.user_id == viewer_id)
    )


def visible_to(viewer_id: int | None) -> ColumnElement[bool]:
    """SQL condition: the event is shown to this viewer (None: an anonymous visitor)."""
    audience = ActivityEvent.is_public if viewer_id is None else or_(ActivityEvent.is_public, in_audience(viewer_id))
    return and_(ActivityEvent.is_hidden.is_(False), audience, ~_hidden_target())


def connected_user_ids(viewer_id: int) -> list:
    """SELECTs (to union) of the ids of the viewer's accepted connections: they weigh like follows."""
    return [
        select(Connection.user_high_id).where(Connection.user_low_id == viewer_id, Connection.status == "accepted"),
        select(Connection.user_low_id).where(Connection.user_high_id == viewer_id, Connection.status == "accepted"),
    ]


def following(viewer_id: int) -> ColumnElement[bool]:
    """SQL condition for the `following` scope: followed and connected users, followed startups, own and private."""
    users = union(
        select(Follow.followed_user_id).where(Follow.follower_id == viewer_id, Follow.followed_user_id.is_not(None)),
        *connected_user_ids(viewer_id),
    )
    startups = select(Follow.followed_startup_id).where(
        Follow.follower_id == viewer_id, Follow.followed_startup_id.is_not(None)
    )
    return or_(
        ActivityEvent.actor_id == viewer_id,
        ActivityEvent.actor_id.in_(users),
        and_(ActivityEvent.target_type == "startup", ActivityEvent.target_id.in_(startups)),
        # Private events reach only their audience, which visible_to() checks.
        ActivityEvent.is_public.is_(False),
    )


def following_branches(viewer_id: int) -> list[ColumnElement[bool]]:
    """The `following` scope as separate conditions, each served by its own index.

    One OR over all of them makes PostgreSQL walk the whole created_at index for a viewer who
    follows little; as branches, each reads only its own users', startups' or audience rows.
    """
    actors = union(
        select(literal(viewer_id)),
        select(Follow.followed_user_id).where(Follow.follower_id == viewer_id, Follow.followed_user_id.is_not(None)),
        *connected_user_ids(viewer_id),
    )
    startups = select(Follow.followed_startup_id).where(
        Follow.follower_id == viewer_id, Follow.followed_startup_id.is_not(None)
    )
    private = select(EventAudience.event_id).where(EventAudience.user_id == viewer_id)
    return [
        ActivityEvent.actor_id.in_(actors),
        and_(ActivityEvent.target_type == "startup", ActivityEvent.target_id.in_(startups)),
        and_(ActivityEvent.is_public.is_(False), ActivityEvent.id.in_(private)),
    ]


@dataclass(frozen=True)
class Visibility:
    """What the socket dispatcher needs to decide, per recipient, without another query."""

    event_id: int
    actor_id: int
    action_type: str
    target_type: str | None
    target_id: int | None
    is_public: bool
    shown: bool
    audience: frozenset[int] = field(default_factory=frozenset)

    def allows(self, viewer_id: int) -> bool:
        return self.shown and (self.is_public or viewer_id in self.audience)


def visibility_of(event_id: int) -> Visibility | None:
    """Load one event's visibility facts (None when it no longer exists)."""
    event = db.session.get(ActivityEvent, event_id)
    if event is None:
        return None
    return Visibility(
        event_id=event.id,
        actor_id=event.actor_id,
        action_type=event.action_type,
        target_type=event.target_type,
        target_id=event.target_id,
        is_public=event.is_public,
        shown=not event.is_hidden and not _target_hidden(event_id),
        audience=frozenset(event.audience_ids),
    )


def _target_hidden(event_id: int) -> bool:
    return bool(db.session.scalar(select(_hidden_target()).where(ActivityEvent.id == event_id)))
