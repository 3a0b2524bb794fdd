"""Updates a startup's members post: a title and a Markdown body, optionally with new traction."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .startup import Startup
from .types import UTCDateTime, utcnow
from .user import User


class StartupUpdate(db.Model):
    __tablename__ = "startup_updates"
    __table_args__ = (Index("ix_startup_updates_startup_created", "startup_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(160))
    # Markdown source; rendered and sanitised on display (webapp/markdown.py), never stored as HTML.
    body: Mapped[str] = mapped_column(Text, default="")
    # The traction figures this update changed, {field: new value}; empty when none.
    traction: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    startup: Mapped[Startup] = relationship()
    author: Mapped[User | None] = relationship()
