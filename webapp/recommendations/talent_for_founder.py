"""Talent for founders: skills their startups need (rarer weigh more), open to work, same place."""

from sqlalchemy import Select, case, exists, func, literal, or_, select, union

from ..extensions import db
from ..models import Opportunity, Startup, StartupMember, User, opportunity_skills, startup_skills, user_skills
from . import sql
from .results import Recommendation, parts_of, skills_phrase, target_url
from .versions import PEOPLE

NAME = "talent_for_founder"
TARGET = "user"
DEPENDS = (PEOPLE,)
# Skills decide and the rest multiplies them: score = skills × (BASE + Σ weight × part).
# open_to_work weighs much: someone looking now beats a somewhat better match who is not.
BASE = 0.5
BOOSTS = {"open_to_work": 0.35, "location": 0.15}
PARTS = ("skills", *BOOSTS)
NO_STARTUP_HINT = "Create a startup and list the skills it needs to see talent who have them."
NO_SKILLS_HINT = "List the skills your startup needs (or post an opportunity with skills) to see talent who have them."
NO_RESULTS = "Nobody open to collaboration lists the skills your startups need yet. Check back soon."


def needed_skill_ids(viewer: User) -> Select:
    """Skills the viewer's visible startups list, plus those their open opportunities ask for."""
    mine = sql.viewer_startup_ids(viewer.id)
    return union(
        select(startup_skills.c.skill_id).where(startup_skills.c.startup_id.in_(mine)),
        select(opportunity_skills.c.skill_id)
        .join(Opportunity, Opportunity.id == opportunity_skills.c.opportunity_id)
        .where(Opportunity.startup_id.in_(mine), Opportunity.status == "open", Opportunity.is_hidden.is_(False)),
    )


def query(viewer: User, limit: int) -> Select:
    """Score every active talent user with a needed skill; return the top `limit`."""
    mine = sql.viewer_startup_ids(viewer.id)
    weights = sql.weighted_skills(select(needed_skill_ids(viewer).subquery("needed").c[0]), "needed_skills")
    # One grouped pass over skill links: each person's skill count, needed skills and their weight.
    matched = (
        select(
            user_skills.c.user_id.label("user_id"),
            func.count().label("skill_count"),
            func.count(weights.c.skill_id).label("matched"),
            func.sum(weights.c.idf).label("idf"),
        )
        .outerjoin(weights, weights.c.skill_id == user_skills.c.skill_id)
        .group_by(user_skills.c.user_id)
        .having(func.count(weights.c.skill_id) > 0)
        .subquery("matched")
    )
    total_idf = select(func.sum(weights.c.idf)).scalar_subquery()
    places = select(func.lower(func.trim(Startup.location))).where(Startup.id.in_(mine), Startup.location != "")
    place = func.lower(func.trim(User.location))
    candidates = (
        select(
            User.id, User.username, User.name, User.headline, User.location, User.open_to_work,
            matched.c.matched,
            # Mostly: how much of what the startups need they cover; a little: how focused they are.
            (0.8 * sql.ratio(matched.c.idf, total_idf) + 0.2 * sql.ratio(matched.c.matched, matched.c.skill_count))
            .label("part_skills"),
            case((User.open_to_work.is_(True), literal(1.0)), else_=literal(0.0)).label("part_open_to_work"),
            case(
                (or_(sql.same_place(User.location, viewer.location), (User.location != "") & place.in_(places)),
                 literal(1.0)),
                else_=literal(0.0),
            ).label("part_location"),
        )
        .join(matched, matched.c.user_id == User.id)
        .where(
            User.role == "talent",
            User.id != viewer.id,
            User.is_suspended.is_(False),
            ~exists().where(StartupMember.user_id == User.id, StartupMember.startup_id.in_(mine)),
            sql.not_dismissed(viewer.id, TARGET, User.id),
        )
        .subquery("candidates")
    )
    boost = BASE + sum(weight * candidates.c[f"part_{name}"] for name, weight in BOOSTS.items())
    score = candidates.c.part_skills * boost
    return select(candidates, score.label("score")).order_by(score.desc(), candidates.c.id).limit(limit)


def empty_hint(viewer: User) -> str | None:
    """Say what the founder must add before this kind can recommend anything."""
    if db.session.scalar(select(func.count()).select_from(sql.viewer_startup_ids(viewer.id).subquery())) == 0:
        return NO_STARTUP_HINT
    if db.session.scalar(select(func.count()).select_from(needed_skill_ids(viewer).subquery())) == 0:
        return NO_SKILLS_HINT
    return None


def explain(viewer: User, rows) -> list[Recommendation]:
    """Turn result rows into recommendations whose reasons come from the same parts."""
    names = sql.shared_skill_names(user_skills, "user_id", [row.id for row in rows], needed_skill_ids(viewer))
    results = []
    for row in rows:
        parts = parts_of(row, PARTS)
        reasons = [skills_phrase(names.get(row.id, []), "the skills your startups need")]
        if row.open_to_work:
            reasons.append("open to work")
        if parts["location"] == 1.0:
            reasons.append(f"based in {row.location}, where your team is")
        results.append(Recommendation(
            kind=TARGET, id=row.id, title=row.name or row.username, url=target_url(TARGET, row.username),
            score=round(float(row.score), 4), score_parts=parts, reasons=reasons, subtitle=row.headline,
        ))
    return results
