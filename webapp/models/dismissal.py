"""Recommendations a user said "not interested" to."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

DISMISS_KINDS = ("startup", "user", "opportunity")
DISMISS_REASONS = ("wrong_stage", "location", "skills", "other")


class Dismissal(db.Model):
    __tablename__ = "recommendation_dismissals"
    # One row per user and target; the unique index also serves "what did this user dismiss".
    __table_args__ = (UniqueConstraint("user_id", "kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    # Not a foreign key: it points at one of three tables, named by `kind`.
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
