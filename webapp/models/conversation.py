"""One-to-one conversations (optionally about a startup or an opportunity) and their messages."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .opportunity import Opportunity
from .startup import Startup
from .types import UTCDateTime, utcnow
from .user import User

# "request": started by someone who is not a connection, waiting in the recipient's requests.
CONVERSATION_STATUSES = ("active", "request", "declined")


class Conversation(db.Model):
    __tablename__ = "conversations"
    __table_args__ = (
        # One conversation per pair and subject ("" when about nothing in particular).
        UniqueConstraint("user_low_id", "user_high_id", "subject_key"),
        CheckConstraint("user_low_id < user_high_id", name="ordered_pair"),
        Index("ix_conversations_low_last", "user_low_id", "last_message_at"),
        Index("ix_conversations_high_last", "user_high_id", "last_message_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_low_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_high_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    initiator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    startup_id: Mapped[int | None] = mapped_column(ForeignKey("startups.id", ondelete="SET NULL"))
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunities.id", ondelete="SET NULL"))
    subject_key: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user_low: Mapped[User] = relationship(foreign_keys=[user_low_id])
    user_high: Mapped[User] = relationship(foreign_keys=[user_high_id])
    startup: Mapped[Startup | None] = relationship()
    opportunity: Mapped[Opportunity | None] = relationship()

    @property
    def participant_ids(self) -> tuple[int, int]:
        return (self.user_low_id, self.user_high_id)

    @property
    def recipient_id(self) -> int:
        """The one who did not start it (whose requests folder a request sits in)."""
        return self.user_high_id if self.initiator_id == self.user_low_id else self.user_low_id

    def other(self, user_id: int) -> User:
        return self.user_high if user_id == self.user_low_id else self.user_low

    def involves(self, user_id: int | None) -> bool:
        return user_id in (self.user_low_id, self.user_high_id)


class Message(db.Model):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_id", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the other participant reads it: the read receipt.
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sender: Mapped[User] = relationship()
    conversation: Mapped[Conversation] = relationship()
