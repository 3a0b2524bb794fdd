"""Activity events, their private audiences, and each user's feed mark."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow
from .user import User

# SQLite only auto-increments an INTEGER PRIMARY KEY.
EventId = BigInteger().with_variant(Integer, "sqlite")

# action_type -> is_public (SPEC §2). Private ones carry an explicit audience.
ACTION_TYPES = {
    "user_joined": True,
    "profile_updated": True,
    "startup_created": True,
    "startup_updated": True,
    "traction_updated": True,
    "opportunity_posted": True,
    "opportunity_closed": True,
    "application_submitted": False,
    "application_status_changed": False,
    "followed_user": True,
    "followed_startup": True,
    "investor_interest": False,
    # Collaboration (SPEC §2): a member's post on a startup, targeting the startup.
    "update_posted": True,
    "connection_made": True,
}


class ActivityEvent(db.Model):
    __tablename__ = "activity_events"
    __table_args__ = (
        # Keyset pagination orders by (created_at, id); id breaks ties within a transaction.
        Index("ix_activity_events_created_at", "created_at", "id"),
        Index("ix_activity_events_actor_created", "actor_id", "created_at", "id"),
        Index("ix_activity_events_action_created", "action_type", "created_at", "id"),
        Index("ix_activity_events_target", "target_type", "target_id"),
        # Moderated events are few: the public count subtracts them through this small index.
        Index("ix_activity_events_hidden", "id", postgresql_where=text("is_hidden"), sqlite_where=text("is_hidden")),
    )

    id: Mapped[int] = mapped_column(EventId, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    action_type: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str | None] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    # Moderation: a hidden event is shown to nobody.
    is_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User] = relationship()
    audience: Mapped[list["EventAudience"]] = relationship(cascade="all, delete-orphan")

    @property
    def audience_ids(self) -> set[int]:
        return {member.user_id for member in self.audience}


class EventAudience(db.Model):
    """One row per user allowed to see a private event."""

    __tablename__ = "event_audience"
    __table_args__ = (
        # The viewer's private events newest first, straight from the index (the `following` keyset).
        Index("ix_event_audience_user_created", "user_id", "created_at", "event_id"),
    )

    event_id: Mapped[int] = mapped_column(
        EventId, ForeignKey("activity_events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # A copy of the event's created_at (events never move): keyset pages read the audience alone.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Feed(db.Model):
    """A user's "seen up to" mark, used for the unread count."""

    __tablename__ = "feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    last_activity_id: Mapped[int] = mapped_column(EventId, default=0)
    last_updated: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
