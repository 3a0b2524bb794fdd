"""Opportunities posted by startups and the applications to them."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .skill import Skill, opportunity_skills
from .startup import Startup
from .types import UTCDateTime, utcnow
from .user import User

OPPORTUNITY_TYPES = ("full_time", "part_time", "contract", "internship", "cofounder", "advisor")
APPLICATION_STATUSES = ("submitted", "reviewing", "shortlisted", "accepted", "rejected", "withdrawn")
FINAL_APPLICATION_STATUSES = ("accepted", "rejected", "withdrawn")


class Opportunity(db.Model):
    __tablename__ = "opportunities"
    __table_args__ = (
        Index("ix_opportunities_status_created", "status", "created_at"),
        # Feeds filter out events about hidden opportunities: a tiny partial index finds them.
        Index("ix_opportunities_hidden", "id", postgresql_where=text("is_hidden"), sqlite_where=text("is_hidden")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Natural key for import-data; unique when present.
    ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(20), default="full_time")
    location: Mapped[str] = mapped_column(String(100), default="")
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    compensation: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    is_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    startup: Mapped[Startup] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=opportunity_skills, order_by=Skill.name)

    @property
    def skill_names(self) -> list[str]:
        return [skill.name for skill in self.skills]

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class Application(db.Model):
    __tablename__ = "applications"
    # One application per person and opportunity, enforced by the database under concurrency.
    __table_args__ = (UniqueConstraint("opportunity_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="submitted")
    note: Mapped[str] = mapped_column(Text, default="")
    feedback: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    opportunity: Mapped[Opportunity] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_APPLICATION_STATUSES
