"""Startups, their members and the investors interested in them."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .skill import Skill, startup_skills
from .types import UTCDateTime, utcnow
from .user import User

STAGES = ("idea", "pre_seed", "seed", "series_a", "series_b_plus")
TRACTION_FIELDS = ("monthly_active_users", "mrr", "growth_rate", "funding_raised", "team_size")


class Startup(db.Model):
    __tablename__ = "startups"
    # Feeds filter out events about hidden startups: a tiny partial index finds them.
    __table_args__ = (
        Index("ix_startups_hidden", "id", postgresql_where=text("is_hidden"), sqlite_where=text("is_hidden")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    tagline: Mapped[str] = mapped_column(String(160), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    industry: Mapped[str] = mapped_column(String(50), default="", index=True)
    stage: Mapped[str] = mapped_column(String(20), default="idea", index=True)
    location: Mapped[str] = mapped_column(String(100), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    monthly_active_users: Mapped[int] = mapped_column(BigInteger, default=0)
    mrr: Mapped[int] = mapped_column(BigInteger, default=0)
    growth_rate: Mapped[float] = mapped_column(Float, default=0.0)
    funding_raised: Mapped[int] = mapped_column(BigInteger, default=0)
    team_size: Mapped[int] = mapped_column(Integer, default=1)
    traction_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Moderation: a hidden startup is shown to nobody but admins.
    is_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    skills: Mapped[list[Skill]] = relationship(secondary=startup_skills, order_by=Skill.name)
    memberships: Mapped[list["StartupMember"]] = relationship(
        back_populates="startup", cascade="all, delete-orphan", order_by="StartupMember.joined_at"
    )

    @property
    def members(self) -> list[User]:
        return [membership.user for membership in self.memberships]

    @property
    def skill_names(self) -> list[str]:
        return [skill.name for skill in self.skills]

    def has_member(self, user) -> bool:
        user_id = getattr(user, "id", None)
        return any(membership.user_id == user_id for membership in self.memberships)

    def __repr__(self) -> str:
        return f"<Startup {self.slug}>"


class StartupMember(db.Model):
    __tablename__ = "startup_members"

    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(50), default="founder")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    startup: Mapped[Startup] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class InvestorInterest(db.Model):
    __tablename__ = "investor_interests"
    __table_args__ = (UniqueConstraint("investor_id", "startup_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    investor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
