"""Startups for talent: the skills they need that you have (rarer skills weigh more), hiring, place, activity."""

from sqlalchemy import Select, case, func, literal, select

from ..models import Startup, User, startup_skills, user_skills
from . import saved_signal, sql
from .results import Recommendation, parts_of, plural, skills_phrase, target_url
from .versions import STARTUPS

NAME = "startups_for_talent"
TARGET = "startup"
DEPENDS = (STARTUPS,)
# Skills decide; the rest boosts them: score = skills × (BASE + Σ weight × part), so a startup
# hiring loudly next door cannot outrank one that needs the viewer's rare skills.
BASE = 0.6
BOOSTS = {"hiring": 0.2, "location": 0.12, "recency": 0.08, "saved": 0.15}
PARTS = ("skills", *BOOSTS)
RECENCY_STEPS = ((7, 1.0), (30, 0.6), (90, 0.3))
RECENCY_TEXT = {1.0: "active this week", 0.6: "active this month", 0.3: "active in the last 3 months"}
EMPTY_HINT = "Add skills to your profile to see startups that need them."
NO_RESULTS = "No startup lists your skills yet. Add more skills to your profile, or check back soon."


def viewer_skill_ids(viewer: User) -> Select:
    return select(user_skills.c.skill_id).where(user_skills.c.user_id == viewer.id)


def query(viewer: User, limit: int) -> Select:
    """Score every visible startup sharing a skill with the viewer; return the top `limit`."""
    weights = sql.weighted_skills(viewer_skill_ids(viewer), "viewer_skills")
    # One grouped pass over skill links: each startup's needs, the viewer's among them, their weight.
    matched = (
        select(
            startup_skills.c.startup_id.label("startup_id"),
            func.count().label("needed"),
            func.count(weights.c.skill_id).label("matched"),
            func.sum(weights.c.idf).label("idf"),
        )
        .outerjoin(weights, weights.c.skill_id == startup_skills.c.skill_id)
        .group_by(startup_skills.c.startup_id)
        .having(func.count(weights.c.skill_id) > 0)
        .subquery("matched")
    )
    total_idf = select(func.sum(weights.c.idf)).scalar_subquery()
    roles = sql.open_roles()
    open_roles = func.coalesce(roles.c.open_roles, 0)
    remote_roles = func.coalesce(roles.c.remote_roles, 0)
    candidates = (
        select(
            Startup.id, Startup.slug, Startup.name, Startup.tagline, Startup.location,
            matched.c.matched, open_roles.label("open_roles"), remote_roles.label("remote_roles"),
            # Share of the viewer's (rarity-weighted) skills used, and of the startup's needs covered.
            (0.75 * sql.ratio(matched.c.idf, total_idf) + 0.25 * sql.ratio(matched.c.matched, matched.c.needed))
            .label("part_skills"),
            (sql.capped(open_roles, 3) / 3.0).label("part_hiring"),
            case(
                (sql.same_place(Startup.location, viewer.location), literal(1.0)),
                (remote_roles > 0, literal(0.6)),
                else_=literal(0.0),
            ).label("part_location"),
            sql.recency(Startup.updated_at, RECENCY_STEPS).label("part_recency"),
            saved_signal.startup_part(viewer.id, Startup.id, Startup.industry).label("part_saved"),
        )
        .join(matched, matched.c.startup_id == Startup.id)
        .outerjoin(roles, roles.c.startup_id == Startup.id)
        .where(
            Startup.is_hidden.is_(False),
            sql.not_member(viewer.id, Startup.id),
            sql.not_dismissed(viewer.id, TARGET, Startup.id),
        )
        .subquery("candidates")
    )
    boost = BASE + sum(weight * candidates.c[f"part_{name}"] for name, weight in BOOSTS.items())
    score = candidates.c.part_skills * boost
    return select(candidates, score.label("score")).order_by(score.desc(), candidates.c.id).limit(limit)


def empty_hint(viewer: User) -> str | None:
    """Say what the viewer must add before this kind can recommend anything."""
    return None if viewer.skills else EMPTY_HINT


def explain(viewer: User, rows) -> list[Recommendation]:
    """Turn result rows into recommendations whose reasons come from the same parts."""
    names = sql.shared_skill_names(startup_skills, "startup_id", [row.id for row in rows], viewer_skill_ids(viewer))
    results = []
    for row in rows:
        parts = parts_of(row, PARTS)
        reasons = [skills_phrase(names.get(row.id, []))]
        if row.open_roles:
            reasons.append(f"hiring now: {plural(row.open_roles, 'open role')}")
        if parts["location"] == 1.0:
            reasons.append(f"based in {row.location}, like you")
        elif row.remote_roles:
            reasons.append(f"hiring remotely: {plural(row.remote_roles, 'remote role')}")
        if parts["recency"] in RECENCY_TEXT:
            reasons.append(RECENCY_TEXT[parts["recency"]])
        if parts["saved"] in saved_signal.STARTUP_REASONS:
            reasons.append(saved_signal.STARTUP_REASONS[parts["saved"]])
        results.append(Recommendation(
            kind=TARGET, id=row.id, title=row.name, url=target_url(TARGET, row.slug),
            score=round(float(row.score), 4), score_parts=parts, reasons=reasons, subtitle=row.tagline,
        ))
    return results
