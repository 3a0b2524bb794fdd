"""Startups for investors: traction by percentile, fresh numbers, and fit with industries, stages, cheque."""

from sqlalchemy import Select, case, func, literal, select

from ..models import InvestorIndustry, InvestorStage, Startup, User
from . import saved_signal, sql
from .results import Recommendation, number, parts_of, target_url
from .versions import STARTUPS

NAME = "startups_for_investor"
TARGET = "startup"
DEPENDS = (STARTUPS,)
WEIGHTS = {"traction": 0.45, "recency": 0.1, "industry": 0.25, "stage": 0.12, "cheque": 0.08, "saved": 0.1}
# Percentiles, not raw numbers: one startup with 100x the MRR must not swamp the rest.
TRACTION_MIX = {"growth_rate": 0.35, "mrr": 0.3, "monthly_active_users": 0.2, "funding_raised": 0.15}
RECENCY_STEPS = ((30, 1.0), (90, 0.5))
# A typical single cheque per stage (low, high); a range overlapping it fits that stage.
TICKETS = {
    "idea": (5_000, 100_000),
    "pre_seed": (25_000, 500_000),
    "seed": (100_000, 2_000_000),
    "series_a": (1_000_000, 10_000_000),
    "series_b_plus": (5_000_000, 100_000_000),
}
STAGE_NAMES = {"idea": "idea", "pre_seed": "pre-seed", "seed": "seed", "series_a": "series A",
               "series_b_plus": "series B+"}
TOP_QUARTER = 0.75
EMPTY_HINT = None
NO_RESULTS = "No startups to show yet. Set your focus industries and stages on your profile, and check back soon."


def cheque_stages(viewer: User) -> list[str]:
    """Return the stages whose typical cheque overlaps the viewer's range (none when unset)."""
    if viewer.cheque_min is None and viewer.cheque_max is None:
        return []
    low = viewer.cheque_min or 0
    high = viewer.cheque_max if viewer.cheque_max is not None else 10**13
    return [stage for stage, (t_low, t_high) in TICKETS.items() if low <= t_high and high >= t_low]


def query(viewer: User, limit: int) -> Select:
    """Score every visible startup; return the top `limit`."""
    ranked = (
        select(
            Startup.id.label("startup_id"),
            *(func.percent_rank().over(order_by=getattr(Startup, name)).label(f"{name}_pct") for name in TRACTION_MIX),
        )
        .where(Startup.is_hidden.is_(False))
        .subquery("ranked")
    )
    industries = select(InvestorIndustry.industry).where(InvestorIndustry.user_id == viewer.id)
    stages = select(InvestorStage.stage).where(InvestorStage.user_id == viewer.id)
    candidates = (
        select(
            Startup.id, Startup.slug, Startup.name, Startup.tagline, Startup.industry, Startup.stage,
            Startup.growth_rate, Startup.mrr, Startup.monthly_active_users, Startup.funding_raised,
            *(ranked.c[f"{name}_pct"] for name in TRACTION_MIX),
            sum(weight * ranked.c[f"{name}_pct"] for name, weight in TRACTION_MIX.items()).label("part_traction"),
            sql.recency(Startup.traction_updated_at, RECENCY_STEPS).label("part_recency"),
            case((func.lower(func.trim(Startup.industry)).in_(industries), literal(1.0)), else_=literal(0.0))
            .label("part_industry"),
            case((Startup.stage.in_(stages), literal(1.0)), else_=literal(0.0)).label("part_stage"),
            case((Startup.stage.in_(cheque_stages(viewer) or [""]), literal(1.0)), else_=literal(0.0))
            .label("part_cheque"),
            saved_signal.startup_part(viewer.id, Startup.id, Startup.industry).label("part_saved"),
        )
        .join(ranked, ranked.c.startup_id == Startup.id)
        .where(sql.not_member(viewer.id, Startup.id), sql.not_dismissed(viewer.id, TARGET, Startup.id))
        .subquery("candidates")
    )
    score = sum(weight * candidates.c[f"part_{name}"] for name, weight in WEIGHTS.items())
    return select(candidates, score.label("score")).order_by(score.desc(), candidates.c.id).limit(limit)


def empty_hint(viewer: User) -> str | None:
    """Investors always get a list: traction alone ranks startups until a focus is set."""
    return None


def _top(row, name: str) -> str:
    return ", top quarter on CollabHub" if (getattr(row, f"{name}_pct") or 0) >= TOP_QUARTER else ""


def explain(viewer: User, rows) -> list[Recommendation]:
    """Turn result rows into recommendations whose reasons come from the same parts."""
    results = []
    for row in rows:
        parts = parts_of(row, WEIGHTS)
        stage = f"{STAGE_NAMES.get(row.stage, row.stage)} stage"
        reasons = []
        if parts["industry"] and parts["stage"]:
            reasons.append(f"{stage}, {row.industry} — both in your focus")
        elif parts["industry"]:
            reasons.append(f"{row.industry} — in your focus")
        elif parts["stage"]:
            reasons.append(f"{stage} — in your focus")
        if row.growth_rate > 0:
            reasons.append(f"growing {row.growth_rate * 100:.0f} % a month{_top(row, 'growth_rate')}")
        if row.mrr > 0:
            reasons.append(f"MRR {number(row.mrr)}{_top(row, 'mrr')}")
        if row.monthly_active_users > 0:
            users = number(row.monthly_active_users)
            reasons.append(f"{users} monthly active users{_top(row, 'monthly_active_users')}")
        if row.funding_raised > 0:
            reasons.append(f"raised {number(row.funding_raised)} so far")
        if parts["recency"] == 1.0:
            reasons.append("traction updated this month")
        elif parts["recency"] == 0.5:
            reasons.append("traction updated in the last 3 months")
        if parts["cheque"]:
            reasons.append(f"your cheque size fits a {STAGE_NAMES.get(row.stage, row.stage)} round")
        if parts["saved"] in saved_signal.STARTUP_REASONS:
            reasons.append(saved_signal.STARTUP_REASONS[parts["saved"]])
        results.append(Recommendation(
            kind=TARGET, id=row.id, title=row.name, url=target_url(TARGET, row.slug),
            score=round(float(row.score), 4), score_parts=parts, reasons=reasons or ["no traction numbers shared yet"],
            subtitle=row.tagline or f"{stage} · {row.industry}",
        ))
    return results
