"""Startup updates: members post news (Markdown); followers see `update_posted` in their feeds."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import TRACTION_FIELDS, Startup, StartupUpdate, User
from ..schemas.collaboration import StartupUpdateSchema
from . import startups
from .events import record_event
from .startups import require_member
from .transaction import atomic
from .validation import load


def post_update(startup: Startup, author: User, data) -> StartupUpdate:
    """Post an update (members only); new traction attached to it goes through the startup service."""
    require_member(startup, author)
    fields = load(StartupUpdateSchema(), data)
    traction = {name: value for name, value in (fields.get("traction") or {}).items() if value is not None}
    with atomic():
        before = {name: getattr(startup, name) for name in TRACTION_FIELDS}
        if traction:
            # Records traction_updated (and bumps recommendations) exactly as the traction form does.
            startups.update_startup(startup, author, {"traction": traction})
        changed = {name: getattr(startup, name) for name in TRACTION_FIELDS if getattr(startup, name) != before[name]}
        update = StartupUpdate(startup=startup, author=author, title=fields["title"], body=fields["body"],
                               traction=changed)
        db.session.add(update)
        db.session.flush()
        record_event(author, "update_posted", startup, f"{startup.name}: {fields['title']}")
    return update


def list_updates(startup: Startup, limit: int = 20, offset: int = 0) -> list[StartupUpdate]:
    """A startup's updates, newest first."""
    query = (
        select(StartupUpdate)
        .where(StartupUpdate.startup_id == startup.id)
        .order_by(StartupUpdate.created_at.desc(), StartupUpdate.id.desc())
        .limit(limit)
        .offset(offset)
        .options(selectinload(StartupUpdate.author))
    )
    return list(db.session.scalars(query))


def count_updates(startup: Startup) -> int:
    """How many updates a startup has posted."""
    return db.session.scalar(
        select(func.count()).select_from(StartupUpdate).where(StartupUpdate.startup_id == startup.id)
    )
