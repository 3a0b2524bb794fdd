"""Users, their investor preferences and their personal API tokens."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .skill import Skill, user_skills
from .types import UTCDateTime, utcnow

ROLES = ("founder", "talent", "investor")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), index=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped when the password changes: every older session and socket stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(100), default="")
    headline: Mapped[str] = mapped_column(String(160), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(100), default="")
    open_to_work: Mapped[bool] = mapped_column(Boolean, default=False)
    cheque_min: Mapped[int | None] = mapped_column(BigInteger)
    cheque_max: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    skills: Mapped[list[Skill]] = relationship(secondary=user_skills, order_by=Skill.name)
    investor_industries: Mapped[list["InvestorIndustry"]] = relationship(
        cascade="all, delete-orphan", order_by="InvestorIndustry.industry"
    )
    investor_stages: Mapped[list["InvestorStage"]] = relationship(
        cascade="all, delete-orphan", order_by="InvestorStage.stage"
    )

    # The key of the browser session this user object was loaded for (see services/sessions.py).
    session_key = None

    def get_id(self) -> str:
        # The cookie carries a server-side session key, never the user id: log-out deletes the key.
        return self.session_key or ""

    @property
    def is_active(self) -> bool:
        return not self.is_suspended

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def skill_names(self) -> list[str]:
        return [skill.name for skill in self.skills]

    def __repr__(self) -> str:
        return f"<User {self.username}>"


# Usernames are unique whatever their case; emails are stored lowercased.
Index("uq_users_username_lower", func.lower(User.username), unique=True)


class InvestorIndustry(db.Model):
    __tablename__ = "investor_industries"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    industry: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)


class InvestorStage(db.Model):
    __tablename__ = "investor_stages"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class ApiToken(db.Model):
    """A personal access token; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
