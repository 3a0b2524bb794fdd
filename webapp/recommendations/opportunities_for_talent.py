"""Open opportunities for talent: skill coverage both ways (rarer skills weigh more), role type, remote or place."""

from sqlalchemy import Select, and_, case, exists, func, literal, select
from sqlalchemy.orm import aliased

from ..models import Application, Opportunity, Startup, User, opportunity_skills, user_skills
from . import saved_signal, sql
from .results import Recommendation, parts_of, target_url
from .versions import STARTUPS

NAME = "opportunities_for_talent"
TARGET = "opportunity"
DEPENDS = (STARTUPS,)
WEIGHTS = {"skills": 0.6, "type": 0.15, "location": 0.25, "saved": 0.1}
WORK_TYPES = ("full_time", "part_time", "contract", "internship")
EMPTY_HINT = "Add skills to your profile to see open roles that need them."
NO_RESULTS = "No open role asks for your skills right now. Add more skills, or check back soon."


def viewer_skill_ids(viewer: User) -> Select:
    return select(user_skills.c.skill_id).where(user_skills.c.user_id == viewer.id)


def query(viewer: User, limit: int) -> Select:
    """Score every open, visible opportunity sharing a skill with the viewer; return the top `limit`."""
    is_open = and_(Opportunity.status == "open", Opportunity.is_hidden.is_(False))
    open_roles = select(func.count()).select_from(Opportunity).where(is_open).scalar_subquery()
    # Each open role's skill links, with how many open roles ask for that skill (one window pass).
    links = (
        select(
            opportunity_skills.c.opportunity_id,
            opportunity_skills.c.skill_id,
            func.count().over(partition_by=opportunity_skills.c.skill_id).label("asked_by"),
        )
        .join(Opportunity, Opportunity.id == opportunity_skills.c.opportunity_id)
        .where(is_open)
        .subquery("links")
    )
    # Rarity among open roles: "python" in a role says less than "wasm".
    idf = func.ln(sql.as_float(open_roles + 1) / sql.as_float(links.c.asked_by + 1))
    is_mine = links.c.skill_id.in_(viewer_skill_ids(viewer))
    matched = (
        select(
            links.c.opportunity_id.label("opportunity_id"),
            func.count().label("wanted"),
            func.sum(idf).label("wanted_idf"),
            func.sum(case((is_mine, 1), else_=0)).label("matched"),
            func.sum(case((is_mine, idf), else_=0.0)).label("matched_idf"),
        )
        .group_by(links.c.opportunity_id)
        .having(func.sum(case((is_mine, 1), else_=0)) > 0)
        .subquery("matched")
    )
    my_count = select(func.count()).select_from(user_skills).where(user_skills.c.user_id == viewer.id).scalar_subquery()
    applied = aliased(Opportunity)
    applied_types = (
        select(applied.type).join(Application, Application.opportunity_id == applied.id)
        .where(Application.user_id == viewer.id)
    )
    type_fit = [(Opportunity.type.in_(applied_types), literal(1.0))]
    if viewer.open_to_work:
        type_fit.append((Opportunity.type.in_(WORK_TYPES), literal(0.5)))
    candidates = (
        select(
            Opportunity.id, Opportunity.title, Opportunity.type, Opportunity.remote, Opportunity.location,
            Startup.name.label("startup_name"), matched.c.matched, matched.c.wanted,
            # Mostly: how much of the role the viewer covers (rarity-weighted); a little: how much
            # of the viewer it uses.
            (
                0.7 * sql.ratio(matched.c.matched_idf, matched.c.wanted_idf)
                + 0.3 * sql.ratio(matched.c.matched, my_count)
            ).label("part_skills"),
            case(*type_fit, else_=literal(0.0)).label("part_type"),
            case(
                (Opportunity.remote.is_(True), literal(1.0)),
                (sql.same_place(Opportunity.location, viewer.location), literal(1.0)),
                else_=literal(0.0),
            ).label("part_location"),
            saved_signal.opportunity_part(viewer.id, Opportunity.id, Opportunity.startup_id).label("part_saved"),
        )
        .join(matched, matched.c.opportunity_id == Opportunity.id)
        .join(Startup, Startup.id == Opportunity.startup_id)
        .where(
            Opportunity.status == "open",
            Opportunity.is_hidden.is_(False),
            Startup.is_hidden.is_(False),
            sql.not_member(viewer.id, Opportunity.startup_id),
            ~exists().where(Application.user_id == viewer.id, Application.opportunity_id == Opportunity.id),
            sql.not_dismissed(viewer.id, TARGET, Opportunity.id),
        )
        .subquery("candidates")
    )
    score = sum(weight * candidates.c[f"part_{name}"] for name, weight in WEIGHTS.items())
    return select(candidates, score.label("score")).order_by(score.desc(), candidates.c.id).limit(limit)


def empty_hint(viewer: User) -> str | None:
    """Say what the viewer must add before this kind can recommend anything."""
    return None if viewer.skills else EMPTY_HINT


def explain(viewer: User, rows) -> list[Recommendation]:
    """Turn result rows into recommendations whose reasons come from the same parts."""
    ids = [row.id for row in rows]
    names = sql.shared_skill_names(opportunity_skills, "opportunity_id", ids, viewer_skill_ids(viewer))
    results = []
    for row in rows:
        parts = parts_of(row, WEIGHTS)
        shared = names.get(row.id, [])
        kind_text = row.type.replace("_", "-")
        reasons = [f"you have {len(shared)} of its {row.wanted} skills: {', '.join(shared[:5])}"
                   + (", …" if len(shared) > 5 else "")]
        if parts["type"] == 1.0:
            reasons.append(f"{kind_text}, like roles you applied to")
        elif parts["type"] == 0.5:
            reasons.append(f"{kind_text}, and you are open to work")
        if row.remote:
            reasons.append("remote")
        elif parts["location"] == 1.0:
            reasons.append(f"in {row.location}, like you")
        if parts["saved"] in saved_signal.OPPORTUNITY_REASONS:
            reasons.append(saved_signal.OPPORTUNITY_REASONS[parts["saved"]])
        results.append(Recommendation(
            kind=TARGET, id=row.id, title=row.title, url=target_url(TARGET, row.id),
            score=round(float(row.score), 4), score_parts=parts, reasons=reasons,
            subtitle=f"at {row.startup_name}",
        ))
    return results
