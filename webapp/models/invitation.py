"""Team invitations: a startup member asks a user to join with a role; the user answers."""

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .startup import Startup
from .types import UTCDateTime, utcnow
from .user import User

INVITATION_TTL = timedelta(days=14)
INVITATION_STATUSES = ("pending", "accepted", "declined", "expired")


def _expiry() -> datetime:
    return utcnow() + INVITATION_TTL


class TeamInvitation(db.Model):
    __tablename__ = "team_invitations"
    __table_args__ = (
        # At most one pending invitation per startup and invitee, even under concurrent requests.
        Index(
            "uq_team_invitations_pending", "startup_id", "invitee_id", unique=True,
            postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'"),
        ),
        Index("ix_team_invitations_invitee", "invitee_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id", ondelete="CASCADE"), index=True)
    inviter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invitee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(50))
    message: Mapped[str] = mapped_column(Text, default="")
    # pending until answered; "expired" is written lazily, `is_expired` is what counts.
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_expiry)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    startup: Mapped[Startup] = relationship()
    inviter: Mapped[User | None] = relationship(foreign_keys=[inviter_id])
    invitee: Mapped[User] = relationship(foreign_keys=[invitee_id])

    @property
    def is_expired(self) -> bool:
        return self.status == "expired" or (self.status == "pending" and self.expires_at <= utcnow())

    @property
    def state(self) -> str:
        """The status a reader sees: a pending invitation past its expiry is expired."""
        return "expired" if self.is_expired else self.status

    @property
    def is_open(self) -> bool:
        return self.state == "pending"
