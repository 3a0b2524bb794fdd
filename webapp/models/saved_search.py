"""Saved searches and the new documents that matched them."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow
from .user import User


class SavedSearch(db.Model):
    """A query (text and facet filters) a user keeps; new matching documents are recorded and pushed."""

    __tablename__ = "saved_searches"
    # The fingerprint (normalised query + filters) makes "save the same search twice" a 409.
    __table_args__ = (UniqueConstraint("user_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[str] = mapped_column(String(500), default="")
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The query compiled for the database's own matcher (a tsquery text on PostgreSQL, an
    # FTS5 expression on SQLite), so a new document is checked against every saved search
    # in one statement. `match_mode`: all (filters only), match, exclude (only -words).
    match_mode: Mapped[str] = mapped_column(String(10), default="match")
    compiled: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Matches with a larger id are "new" (unseen) until the owner views them.
    seen_match_id: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship()


class SavedSearchMatch(db.Model):
    """A document that matched a saved search after it was saved; once per (search, document)."""

    __tablename__ = "saved_search_matches"
    __table_args__ = (
        UniqueConstraint("saved_search_id", "kind", "ref_id"),
        Index("ix_saved_search_matches_search_id_desc", "saved_search_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(ForeignKey("saved_searches.id", ondelete="CASCADE"))
    # Not a foreign key: startup, user or opportunity, named by `kind` (as search results are).
    kind: Mapped[str] = mapped_column(String(12))
    ref_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    saved_search: Mapped[SavedSearch] = relationship()
