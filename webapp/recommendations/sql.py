"""SQL building blocks shared by the kinds: rarity weights, exclusions, recency, caps."""

from datetime import timedelta

from sqlalchemy import Float, Select, and_, case, cast, exists, func, literal, select, union_all

from ..extensions import db
from ..models import Dismissal, Opportunity, Skill, Startup, StartupMember, User, startup_skills, user_skills, utcnow


def as_float(expr):
    """Cast to a float so that division is never integer division (SQLite) or NUMERIC (PostgreSQL)."""
    return cast(expr, Float)


def capped(expr, cap: float):
    """Return min(expr, cap) without dialect-specific LEAST()."""
    return case((expr > cap, literal(cap, Float)), else_=as_float(expr))


def ratio(numerator, denominator):
    """Return numerator / denominator as a float, 0 when the denominator is 0 or NULL."""
    denominator = func.coalesce(denominator, 0)
    return case((denominator > 0, as_float(numerator) / as_float(denominator)), else_=literal(0.0, Float))


def weighted_skills(skill_ids: Select, name: str):
    """Return a CTE (skill_id, idf) for the given skills: rarer among users and startups weighs more.

    idf = ln((N + 1) / (carriers + 1)), where N counts users and startups and carriers counts
    those that list the skill. No "+ 1" smoothing: a skill everybody lists tells nothing and
    weighs nothing. Carriers are counted by one grouped scan (a hash aggregate), not a
    correlated count per skill, which PostgreSQL would cost high enough to trigger JIT.
    """
    population = (
        select(func.count()).select_from(User).scalar_subquery()
        + select(func.count()).select_from(Startup).scalar_subquery()
    )
    wanted = skill_ids.distinct().subquery(f"{name}_ids")
    skill_id = wanted.c[0]
    links = union_all(
        select(user_skills.c.skill_id).where(user_skills.c.skill_id.in_(select(skill_id))),
        select(startup_skills.c.skill_id).where(startup_skills.c.skill_id.in_(select(skill_id))),
    ).subquery(f"{name}_links")
    carriers = (
        select(links.c.skill_id, func.count().label("carriers")).group_by(links.c.skill_id).subquery(f"{name}_df")
    )
    idf = func.ln(as_float(population + 1) / as_float(func.coalesce(carriers.c.carriers, 0) + 1))
    # MATERIALIZED: compute each skill's weight once, not once per joined link row.
    return (
        select(skill_id.label("skill_id"), idf.label("idf"))
        .select_from(wanted)
        .outerjoin(carriers, carriers.c.skill_id == skill_id)
        .cte(name)
        .prefix_with("MATERIALIZED")
    )


def not_dismissed(viewer_id: int, kind: str, target_id_column):
    """Exclude what the viewer said "not interested" to."""
    return ~exists().where(
        Dismissal.user_id == viewer_id, Dismissal.kind == kind, Dismissal.target_id == target_id_column
    )


def not_member(viewer_id: int, startup_id_column):
    """Exclude the viewer's own startups."""
    return ~exists().where(StartupMember.user_id == viewer_id, StartupMember.startup_id == startup_id_column)


def viewer_startup_ids(viewer_id: int) -> Select:
    """Select the ids of the visible startups the viewer is a member of."""
    return (
        select(StartupMember.startup_id)
        .join(Startup, Startup.id == StartupMember.startup_id)
        .where(StartupMember.user_id == viewer_id, Startup.is_hidden.is_(False))
    )


def open_roles() -> Select:
    """Aggregate each startup's open, visible opportunities: how many, and how many remote."""
    return (
        select(
            Opportunity.startup_id.label("startup_id"),
            func.count().label("open_roles"),
            func.sum(case((Opportunity.remote.is_(True), 1), else_=0)).label("remote_roles"),
        )
        .where(Opportunity.status == "open", Opportunity.is_hidden.is_(False))
        .group_by(Opportunity.startup_id)
        .subquery("roles")
    )


def recency(column, steps: tuple[tuple[int, float], ...]):
    """Score a timestamp by age buckets, e.g. ((7, 1.0), (30, 0.6)): newer than 7 days → 1.0."""
    now = utcnow()
    whens = [(column >= now - timedelta(days=days), literal(value, Float)) for days, value in steps]
    return case(*whens, else_=literal(0.0, Float))


def same_place(column, location: str):
    """Whether a location column names the viewer's place (case and spacing ignored)."""
    place = " ".join((location or "").lower().split())
    if not place:
        return literal(False)
    return and_(column != "", func.lower(func.trim(column)) == place)


def shared_skill_names(link_table, owner_column: str, owner_ids: list[int], skill_ids: Select) -> dict[int, list[str]]:
    """Return, for each owner in `owner_ids`, the names of its skills that are in `skill_ids`."""
    if not owner_ids:
        return {}
    owner = link_table.c[owner_column]
    query = (
        select(owner, Skill.name)
        .join(Skill, Skill.id == link_table.c.skill_id)
        .where(owner.in_(owner_ids), link_table.c.skill_id.in_(skill_ids))
        .order_by(owner, Skill.name)
    )
    names: dict[int, list[str]] = {}
    for owner_id, name in db.session.execute(query):
        names.setdefault(owner_id, []).append(name)
    return names

