"""Connections (a mutual link between two users) and blocks."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow
from .user import User

CONNECTION_STATUSES = ("pending", "accepted")


def pair(a: int, b: int) -> tuple[int, int]:
    """The (low, high) ids that name an unordered pair of users."""
    return (a, b) if a < b else (b, a)


class Connection(db.Model):
    """One row per pair of users, whoever asked: a duplicate or crossing request hits the unique pair."""

    __tablename__ = "connections"
    __table_args__ = (
        UniqueConstraint("user_low_id", "user_high_id"),
        CheckConstraint("user_low_id < user_high_id", name="ordered_pair"),
        Index("ix_connections_addressee_status", "addressee_id", "status"),
        Index("ix_connections_requester_status", "requester_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_low_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_high_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    addressee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    addressee: Mapped[User] = relationship(foreign_keys=[addressee_id])

    def other(self, user_id: int) -> User:
        return self.addressee if user_id == self.requester_id else self.requester

    def involves(self, user_id: int) -> bool:
        return user_id in (self.requester_id, self.addressee_id)


class Block(db.Model):
    """`blocker` no longer hears from `blocked`: no messages, no connection requests."""

    __tablename__ = "blocks"

    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    blocked: Mapped[User] = relationship(foreign_keys=[blocked_id])
