"""Opportunities: post, edit, close and reopen."""

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from ..extensions import db
from ..models import Opportunity, Skill, Startup, StartupMember, User, opportunity_skills, utcnow
from ..recommendations import versions as recommendation_versions
from ..schemas.inputs import OpportunitySchema
from ..tasks import enqueue
from ..tasks import notifications as notification_tasks
from ..tasks import saved_searches as saved_search_tasks
from .errors import NotFound, ValidationFailed
from .events import record_event
from .skills import resolve_skills
from .startups import get_startup, require_member
from .transaction import atomic
from .validation import load

EDITABLE = ("title", "description", "type", "location", "remote", "compensation")


def get_opportunity(opportunity_id, viewer: User | None = None) -> Opportunity:
    """Return an opportunity the viewer may see, or raise NotFound."""
    try:
        opportunity = db.session.get(Opportunity, int(opportunity_id))
    except (TypeError, ValueError, OverflowError):
        opportunity = None
    admin = getattr(viewer, "is_admin", False)
    if opportunity is None or (
        (opportunity.is_hidden or opportunity.startup.is_hidden) and not admin
    ):
        raise NotFound("No such opportunity.")
    return opportunity


def find_by_ref(ref: str) -> Opportunity | None:
    """Find an opportunity by its import reference."""
    return db.session.scalar(select(Opportunity).where(Opportunity.ref == ref))


def _visible_opportunities(status: str | None, startup: Startup | None, type: str | None, remote: bool | None):
    query = (
        select(Opportunity)
        .join(Startup)
        .where(Opportunity.is_hidden.is_(False), Startup.is_hidden.is_(False))
    )
    if status:
        query = query.where(Opportunity.status == status)
    if startup is not None:
        query = query.where(Opportunity.startup_id == startup.id)
    if type:
        query = query.where(Opportunity.type == type)
    if remote is not None:
        query = query.where(Opportunity.remote.is_(remote))
    return query


def list_opportunities(
    status: str | None = "open",
    startup: Startup | None = None,
    limit: int = 50,
    offset: int = 0,
    *,
    type: str | None = None,
    remote: bool | None = None,
):
    """Return visible opportunities, newest first."""
    query = _visible_opportunities(status, startup, type, remote)
    query = query.order_by(Opportunity.created_at.desc(), Opportunity.id.desc()).limit(limit).offset(offset)
    # Each item shows its startup (already joined) and skills: no query per opportunity.
    query = query.options(contains_eager(Opportunity.startup), selectinload(Opportunity.skills))
    return list(db.session.scalars(query))


def count_opportunities(
    status: str | None = "open", startup: Startup | None = None, *, type: str | None = None, remote: bool | None = None
) -> int:
    """Count the visible opportunities `list_opportunities` pages through."""
    query = _visible_opportunities(status, startup, type, remote).with_only_columns(func.count(Opportunity.id))
    return db.session.scalar(query)


def opportunities_managed_by(user: User) -> list[Opportunity]:
    """Return the opportunities of every startup `user` is a member of."""
    query = (
        select(Opportunity)
        .join(StartupMember, StartupMember.startup_id == Opportunity.startup_id)
        .join(Startup, Startup.id == Opportunity.startup_id)
        # Moderation hides content from its own members too (SPEC §3.6).
        .where(StartupMember.user_id == user.id, Opportunity.is_hidden.is_(False), Startup.is_hidden.is_(False))
        .order_by(Opportunity.created_at.desc())
    )
    return list(db.session.scalars(query))


def post_opportunity(author: User, data, record: bool = True) -> Opportunity:
    """Create an opportunity for a startup the author is a member of; record `opportunity_posted`."""
    fields = load(OpportunitySchema(), data)
    startup = get_startup(fields["startup"], author)
    require_member(startup, author)
    if fields.get("ref") and find_by_ref(fields["ref"]):
        raise ValidationFailed({"ref": ["An opportunity with this ref exists."]})
    with atomic():
        opportunity = Opportunity(startup=startup, title=fields["title"], ref=fields.get("ref"))
        _apply(opportunity, fields)
        opportunity.status = fields.get("status", "open")
        if opportunity.status == "closed":
            opportunity.closed_at = utcnow()
        db.session.add(opportunity)
        db.session.flush()
        if record:
            record_event(
                author, "opportunity_posted", opportunity,
                f"{startup.name} is looking for: {opportunity.title}",
            )
            enqueue(notification_tasks.new_opportunity, opportunity_id=opportunity.id, actor_id=author.id)
            enqueue(saved_search_tasks.match_document, kind="opportunity", ref_id=opportunity.id, actor_id=author.id)
        recommendation_versions.opportunity_changed(opportunity)
    return opportunity


def update_opportunity(opportunity: Opportunity, editor: User, data, record: bool = True) -> Opportunity:
    """Edit an opportunity; closing it records `opportunity_closed`."""
    require_member(opportunity.startup, editor)
    fields = load(OpportunitySchema(), data, partial=True)
    if "startup" in fields and fields["startup"] != opportunity.startup.slug:
        raise ValidationFailed({"startup": ["An opportunity cannot move to another startup."]})
    if "ref" in fields and fields["ref"] != opportunity.ref:
        raise ValidationFailed({"ref": ["The ref cannot be changed."]})
    with atomic():
        _apply(opportunity, fields)
        new_status = fields.get("status", opportunity.status)
        if new_status != opportunity.status:
            opportunity.status = new_status
            opportunity.closed_at = utcnow() if new_status == "closed" else None
            if new_status == "closed" and record:
                record_event(
                    editor, "opportunity_closed", opportunity,
                    f"{opportunity.startup.name} closed: {opportunity.title}",
                )
        db.session.flush()
        recommendation_versions.opportunity_changed(opportunity)
    return opportunity


def close_opportunity(opportunity: Opportunity, editor: User) -> Opportunity:
    """Close an opportunity to new applications."""
    return update_opportunity(opportunity, editor, {"status": "closed"})


def _apply(opportunity: Opportunity, fields: dict) -> None:
    for name in EDITABLE:
        if name in fields:
            setattr(opportunity, name, fields[name])
    if "skills" in fields and opportunity.skill_names != sorted(fields["skills"]):
        opportunity.skills = resolve_skills(fields["skills"])


def require_visible(opportunity: Opportunity) -> None:
    """Raise NotFound for a hidden opportunity (used by writes that reach it by id)."""
    if opportunity.is_hidden or opportunity.startup.is_hidden:
        raise NotFound("No such opportunity.")


def filter_opportunities(
    *,
    type: str | None = None,
    remote: bool | None = None,
    skill: str | None = None,
    status: str | None = "open",
    limit: int = 50,
    offset: int = 0,
) -> list[Opportunity]:
    """Return visible opportunities matching the list page's filters, newest first."""
    query = (
        select(Opportunity)
        .join(Startup)
        # Cards show the startup and the skills: load them with the page, not one query per card.
        .options(contains_eager(Opportunity.startup), selectinload(Opportunity.skills))
        .where(Opportunity.is_hidden.is_(False), Startup.is_hidden.is_(False))
    )
    if status:
        query = query.where(Opportunity.status == status)
    if type:
        query = query.where(Opportunity.type == type)
    if remote is not None:
        query = query.where(Opportunity.remote.is_(remote))
    if skill:
        tagged = (
            select(opportunity_skills.c.opportunity_id)
            .join(Skill, Skill.id == opportunity_skills.c.skill_id)
            .where(Skill.name == skill.strip().lower())
        )
        query = query.where(Opportunity.id.in_(tagged))
    query = query.order_by(Opportunity.created_at.desc(), Opportunity.id.desc()).limit(limit).offset(offset)
    return list(db.session.scalars(query))
