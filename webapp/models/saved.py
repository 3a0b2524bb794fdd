"""Saved items: a user's private bookmarks of startups and opportunities."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .opportunity import Opportunity
from .startup import Startup
from .types import UTCDateTime, utcnow

SAVED_KINDS = ("startup", "opportunity")


class SavedItem(db.Model):
    __tablename__ = "saved_items"
    __table_args__ = (
        UniqueConstraint("user_id", "startup_id"),
        UniqueConstraint("user_id", "opportunity_id"),
        CheckConstraint("(startup_id IS NULL) <> (opportunity_id IS NULL)", name="one_target"),
        Index("ix_saved_items_user_created", "user_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    startup_id: Mapped[int | None] = mapped_column(ForeignKey("startups.id", ondelete="CASCADE"), index=True)
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    startup: Mapped[Startup | None] = relationship()
    opportunity: Mapped[Opportunity | None] = relationship()

    @property
    def kind(self) -> str:
        return "startup" if self.startup_id is not None else "opportunity"
