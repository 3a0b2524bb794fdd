"""Invalidate cached searches when a searched entity is written (after the commit, never on rollback)."""

from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..models import Opportunity, Skill, Startup, User
from .service import invalidate

SEARCHED = (User, Startup, Opportunity, Skill)
STALE = "search_stale"


def _note_writes(session: Session, flush_context, instances) -> None:
    # Skill collections changing mark their owner dirty, so the owners cover the link tables.
    if any(isinstance(obj, SEARCHED) for obj in chain(session.new, session.dirty, session.deleted)):
        session.info[STALE] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(STALE, False):
        invalidate()


def _after_rollback(session: Session) -> None:
    session.info.pop(STALE, None)


def install() -> None:
    """Listen on every ORM session, once per process."""
    for name, listener in (("before_flush", _note_writes), ("after_commit", _after_commit),
                           ("after_rollback", _after_rollback)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
