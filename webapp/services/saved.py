"""Saved items: private bookmarks of startups and opportunities; a signal for recommendations."""

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Opportunity, SavedItem, Startup, User
from ..recommendations import versions as recommendation_versions
from ..schemas.collaboration import SavedSchema
from .errors import Conflict, NotFound
from .opportunities import get_opportunity
from .startups import get_startup
from .transaction import atomic
from .validation import load

Target = Startup | Opportunity


def resolve(viewer: User, data) -> Target:
    """Turn `{"startup": slug}` or `{"opportunity": id}` into a row the viewer may see."""
    fields = load(SavedSchema(), data)
    if "startup" in fields:
        return get_startup(fields["startup"], viewer)
    return get_opportunity(fields["opportunity"], viewer)


def _column(target: Target):
    return SavedItem.startup_id if isinstance(target, Startup) else SavedItem.opportunity_id


def _existing(viewer: User, target: Target) -> SavedItem | None:
    return db.session.scalar(select(SavedItem).where(SavedItem.user_id == viewer.id, _column(target) == target.id))


def is_saved(viewer: User | None, target: Target) -> bool:
    """Whether the viewer saved `target`."""
    return viewer is not None and _existing(viewer, target) is not None


def save(viewer: User, target: Target) -> SavedItem:
    """Bookmark a startup or an opportunity (Conflict if already saved)."""
    if _existing(viewer, target) is not None:
        raise Conflict("Already saved.")
    try:
        with atomic():
            item = SavedItem(user_id=viewer.id)
            if isinstance(target, Startup):
                item.startup = target
            else:
                item.opportunity = target
            db.session.add(item)
            db.session.flush()
            # Saving is a preference signal: only this viewer's lists change.
            recommendation_versions.viewer_changed(viewer)
    except IntegrityError:
        raise Conflict("Already saved.") from None
    return item


def unsave(viewer: User, target: Target) -> None:
    """Remove a bookmark; NotFound when it was not saved."""
    item = _existing(viewer, target)
    if item is None:
        raise NotFound("Not saved.")
    with atomic():
        db.session.delete(item)
        recommendation_versions.viewer_changed(viewer)


def _visible(viewer: User, kind: str | None = None):
    """The viewer's saved items whose target is still visible (hidden ones drop out)."""
    startup_ok = and_(SavedItem.startup_id.is_not(None), Startup.is_hidden.is_(False))
    opportunity_ok = and_(SavedItem.opportunity_id.is_not(None), Opportunity.is_hidden.is_(False),
                          Opportunity.startup_id.in_(select(Startup.id).where(Startup.is_hidden.is_(False))))
    condition = {"startup": startup_ok, "opportunity": opportunity_ok}.get(kind, or_(startup_ok, opportunity_ok))
    return (
        select(SavedItem)
        .outerjoin(Startup, Startup.id == SavedItem.startup_id)
        .outerjoin(Opportunity, Opportunity.id == SavedItem.opportunity_id)
        .where(SavedItem.user_id == viewer.id, condition)
    )


def list_saved(viewer: User, kind: str | None = None, limit: int = 50, offset: int = 0) -> list[SavedItem]:
    """The viewer's own saved items, newest first (nobody else can ask for them)."""
    query = (
        _visible(viewer, kind)
        .order_by(SavedItem.created_at.desc(), SavedItem.id.desc())
        .limit(limit)
        .offset(offset)
        .options(
            selectinload(SavedItem.startup).selectinload(Startup.skills),
            selectinload(SavedItem.opportunity).selectinload(Opportunity.startup),
            selectinload(SavedItem.opportunity).selectinload(Opportunity.skills),
        )
    )
    return list(db.session.scalars(query))


def count_saved(viewer: User, kind: str | None = None) -> int:
    """Count what `list_saved` pages through."""
    return db.session.scalar(_visible(viewer, kind).with_only_columns(func.count(SavedItem.id)))


def saved_keys(viewer: User) -> frozenset[tuple[str, int]]:
    """Every ("startup"|"opportunity", id) the viewer saved: one query lets a page mark all its cards."""
    rows = db.session.execute(
        select(SavedItem.startup_id, SavedItem.opportunity_id).where(SavedItem.user_id == viewer.id)
    ).all()
    return frozenset(("startup", s) if s is not None else ("opportunity", o) for s, o in rows)
