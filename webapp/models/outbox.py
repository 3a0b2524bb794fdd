"""Delivery bookkeeping written in the same transaction as the facts it delivers.

`OutboxMessage`: one row per committed thing to push live (an activity event or a
notification), marked once published. `TaskJob`: one row per background task enqueued,
marked once it ran to the end. `PublicEventCount`: public events per action type, kept by
database triggers (migration 0005) so bulk loads and cascades keep it exact too.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .activity import EventId
from .types import UTCDateTime, utcnow

OUTBOX_KINDS = ("a", "n")  # activity event, notification


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        # The relay reads only what is still unpublished: a small partial index, whatever the history.
        Index("ix_outbox_messages_unpublished", "created_at", postgresql_where=text("published_at IS NULL"),
              sqlite_where=text("published_at IS NULL")),
    )

    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    ref_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TaskJob(db.Model):
    __tablename__ = "task_jobs"
    __table_args__ = (
        Index("ix_task_jobs_pending", "created_at", postgresql_where=text("done_at IS NULL"),
              sqlite_where=text("done_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(EventId, primary_key=True)
    task: Mapped[str] = mapped_column(String(120))
    kwargs: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set whenever a run starts: the repair sweep leaves a job alone while a run may be under way.
    tried_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PublicEventCount(db.Model):
    """Public events per action type, split into shards so concurrent inserts rarely share a row."""

    __tablename__ = "public_event_counts"

    action_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
