"""Startups: create, edit, traction, membership checks and investor interest."""

import re

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import TRACTION_FIELDS, InvestorInterest, Startup, StartupMember, User, utcnow
from ..recommendations import versions as recommendation_versions
from ..schemas.inputs import StartupSchema, TractionSchema
from ..tasks import enqueue
from ..tasks import notifications as notification_tasks
from ..tasks import saved_searches as saved_search_tasks
from .errors import Conflict, Forbidden, NotFound, ValidationFailed
from .events import record_event
from .skills import resolve_skills
from .transaction import atomic
from .validation import load

DETAIL_FIELDS = ("name", "tagline", "description", "industry", "stage", "location", "website")


def get_startup(slug: str, viewer: User | None = None) -> Startup:
    """Return a startup the viewer may see, or raise NotFound (hidden ones are admin-only)."""
    slug = (slug or "").lower()
    # A slug from a URL may be anything; PostgreSQL refuses NUL characters outright.
    if not slug or len(slug) > 60 or "\x00" in slug:
        raise NotFound("No such startup.")
    startup = db.session.scalar(select(Startup).where(Startup.slug == slug))
    if startup is None or (startup.is_hidden and not getattr(viewer, "is_admin", False)):
        raise NotFound("No such startup.")
    return startup


def _visible_startups(industry: str | None, stage: str | None):
    query = select(Startup).where(Startup.is_hidden.is_(False))
    if industry:
        query = query.where(Startup.industry == industry)
    if stage:
        query = query.where(Startup.stage == stage)
    return query


def list_startups(industry: str | None = None, stage: str | None = None, limit: int = 50, offset: int = 0):
    """Return visible startups, most recently active first."""
    query = _visible_startups(industry, stage)
    query = query.order_by(Startup.updated_at.desc(), Startup.id.desc()).limit(limit).offset(offset)
    # Lists show members and skills: load them in two queries, not two per startup.
    query = query.options(
        selectinload(Startup.memberships).selectinload(StartupMember.user), selectinload(Startup.skills)
    )
    return list(db.session.scalars(query))


def count_startups(industry: str | None = None, stage: str | None = None) -> int:
    """Count the visible startups `list_startups` pages through."""
    query = _visible_startups(industry, stage).with_only_columns(func.count(Startup.id))
    return db.session.scalar(query)


def startups_of(user: User) -> list[Startup]:
    """Return the visible startups `user` is a member of."""
    query = (
        select(Startup)
        .join(StartupMember)
        .where(StartupMember.user_id == user.id, Startup.is_hidden.is_(False))
        .order_by(Startup.name)
    )
    return list(db.session.scalars(query))


def require_member(startup: Startup, user: User) -> None:
    """Raise Forbidden unless `user` is a member of `startup`."""
    if not startup.has_member(user):
        raise Forbidden("Only members of this startup can do that.")


def slugify(name: str) -> str:
    """Make a URL slug from a startup name."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50].strip("-")
    return slug or "startup"


# Paths under /startups/ that are pages, not startups.
RESERVED_SLUGS = frozenset({"new"})


def _slug_taken(slug: str) -> bool:
    return slug in RESERVED_SLUGS or db.session.scalar(select(Startup.id).where(Startup.slug == slug)) is not None


def _free_slug(base: str) -> str:
    slug, n = base, 1
    while _slug_taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_startup(founder: User, data, record: bool = True) -> Startup:
    """Create a startup with `founder` as its first member; record `startup_created`."""
    fields = load(StartupSchema(), data)
    with atomic():
        if fields.get("slug"):
            if _slug_taken(fields["slug"]):
                raise ValidationFailed({"slug": ["This slug is taken."]})
            slug = fields["slug"]
        else:
            slug = _free_slug(slugify(fields["name"]))
        startup = Startup(slug=slug, name=fields["name"])
        startup.memberships = [StartupMember(user=founder, role="founder")]
        db.session.add(startup)
        _apply_details(startup, fields)
        _apply_traction(startup, fields.get("traction") or {})
        db.session.flush()
        if record:
            record_event(founder, "startup_created", startup, f"{founder.username} created {startup.name}")
            enqueue(saved_search_tasks.match_document, kind="startup", ref_id=startup.id, actor_id=founder.id)
        recommendation_versions.startup_changed(startup)
    return startup


def update_startup(startup: Startup, editor: User, data, record: bool = True) -> Startup:
    """Edit details and/or traction; record `startup_updated` and `traction_updated` as they change."""
    require_member(startup, editor)
    fields = load(StartupSchema(), data, partial=True)
    if "slug" in fields and fields["slug"] != startup.slug:
        raise ValidationFailed({"slug": ["The slug cannot be changed."]})
    with atomic():
        details_changed = _apply_details(startup, fields)
        traction_changed = _apply_traction(startup, fields.get("traction") or {})
        db.session.flush()
        if details_changed and record:
            record_event(editor, "startup_updated", startup, f"{editor.username} updated {startup.name}")
        if traction_changed and record:
            record_event(editor, "traction_updated", startup, _traction_text(startup))
        if details_changed or traction_changed:
            recommendation_versions.startup_changed(startup)
    return startup


def update_traction(startup: Startup, editor: User, data) -> Startup:
    """Change only traction signals (the traction form)."""
    require_member(startup, editor)
    fields = load(TractionSchema(), data, partial=True)
    return update_startup(startup, editor, {"traction": fields})


def _apply_details(startup: Startup, fields: dict) -> bool:
    changed = False
    for name in DETAIL_FIELDS:
        if name in fields and getattr(startup, name) != fields[name]:
            setattr(startup, name, fields[name])
            changed = True
    if "skills_needed" in fields and startup.skill_names != sorted(fields["skills_needed"]):
        startup.skills = resolve_skills(fields["skills_needed"])
        changed = True
    return changed


def _apply_traction(startup: Startup, traction: dict) -> bool:
    changed = False
    for name in TRACTION_FIELDS:
        if name in traction and traction[name] is not None and getattr(startup, name) != traction[name]:
            setattr(startup, name, traction[name])
            changed = True
    if changed:
        startup.traction_updated_at = utcnow()
    return changed


def _traction_text(startup: Startup) -> str:
    return (
        f"{startup.name} traction: {startup.monthly_active_users:,} MAU, "
        f"MRR {startup.mrr:,}, growth {startup.growth_rate:.0%}"
    )


def has_interest(investor: User, startup: Startup) -> bool:
    """Whether `investor` has marked interest in `startup`."""
    query = select(InvestorInterest.id).where(
        InvestorInterest.investor_id == investor.id, InvestorInterest.startup_id == startup.id
    )
    return db.session.scalar(query) is not None


def mark_interest(investor: User, startup: Startup) -> bool:
    """Record investor interest (private to the investor and members); False if already marked."""
    if investor.role != "investor":
        raise Forbidden("Only investors can mark interest.")
    if startup.has_member(investor):
        raise Conflict("You are a member of this startup.")
    if has_interest(investor, startup):
        return False
    with atomic():
        interest = InvestorInterest(investor_id=investor.id, startup_id=startup.id)
        db.session.add(interest)
        db.session.flush()
        record_event(
            investor,
            "investor_interest",
            startup,
            f"{investor.username} is interested in {startup.name}",
            audience=[member.id for member in startup.members],
        )
        enqueue(notification_tasks.investor_interest, interest_id=interest.id, investor_id=investor.id,
                startup_id=startup.id, marked_at=interest.created_at.isoformat())
    return True


def withdraw_interest(investor: User, startup: Startup) -> None:
    """Remove a mark of interest."""
    interest = db.session.scalar(
        select(InvestorInterest).where(
            InvestorInterest.investor_id == investor.id, InvestorInterest.startup_id == startup.id
        )
    )
    if interest is None:
        raise NotFound("You have not marked interest in this startup.")
    with atomic():
        db.session.delete(interest)


def industries() -> list[str]:
    """Return the industries of visible startups, for filter suggestions."""
    query = (
        select(Startup.industry)
        .where(Startup.is_hidden.is_(False), Startup.industry != "")
        .distinct()
        .order_by(Startup.industry)
    )
    return list(db.session.scalars(query))


SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def find_startup(slug: str, viewer: User | None = None) -> Startup:
    """Like get_startup, for a slug from a URL: anything that cannot be a slug is NotFound."""
    # Odd bytes (NUL, huge strings) must never reach the database as a query parameter.
    if not slug or len(slug) > 60 or not SLUG_PATTERN.match(slug.lower()):
        raise NotFound("No such startup.")
    return get_startup(slug, viewer)
