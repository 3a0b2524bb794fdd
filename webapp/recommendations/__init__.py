"""Recommendations: four kinds, each one SQL query that scores every candidate in the database.

Each kind module offers the same small interface: NAME, TARGET (the dismiss kind), its weights,
DEPENDS (candidate version scopes), query(viewer, limit) → a Core select ordered by score,
empty_hint(viewer) and explain(viewer, rows) → Recommendation objects with true reasons.

Decisions:
- Any signed-in user may ask for any kind. Without `type` the role picks it; a kind that needs
  data the viewer lacks (skills, a startup) answers an empty list, and the cards say what to add.
- The skill kinds only rank candidates sharing at least one skill with the viewer's side.
- Lists are cached 30 minutes per viewer and kind under a key made of version tokens
  (see versions.py): the viewer's own scope plus the candidate scopes the kind depends on.
  The top MAX_LIMIT are cached once, so every `limit` shares one entry.
"""

from dataclasses import dataclass, field

from ..extensions import cache, db
from ..models import User
from . import opportunities_for_talent, startups_for_investor, startups_for_talent, talent_for_founder, versions
from .results import Recommendation

KINDS = {
    module.NAME: module
    for module in (startups_for_talent, opportunities_for_talent, talent_for_founder, startups_for_investor)
}
ROLE_DEFAULTS = {"talent": startups_for_talent.NAME, "founder": talent_for_founder.NAME,
                 "investor": startups_for_investor.NAME}
# What the dashboard shows each role, first kind first.
ROLE_KINDS = {
    "talent": (startups_for_talent.NAME, opportunities_for_talent.NAME),
    "founder": (talent_for_founder.NAME,),
    "investor": (startups_for_investor.NAME,),
}
MAX_LIMIT = 50
CACHE_SECONDS = 30 * 60


@dataclass
class Recommendations:
    """One kind's ranked list for a viewer, or the hint saying what to add first."""

    type: str
    items: list[Recommendation] = field(default_factory=list)
    hint: str | None = None
    no_results: str = ""


def default_kind(viewer: User) -> str:
    """Return the kind the viewer's role picks when none is asked for."""
    return ROLE_DEFAULTS.get(viewer.role, startups_for_talent.NAME)


def _cache_key(kind, viewer: User) -> str:
    scopes = [versions.viewer_scope(viewer.id), *kind.DEPENDS]
    return f"recs:{kind.NAME}:{viewer.id}:" + ":".join(versions.current(scopes))


def compute(kind_name: str, viewer: User) -> tuple[list[dict], str | None]:
    """Run one kind's query for the top MAX_LIMIT (no cache); return (items, hint)."""
    kind = KINDS[kind_name]
    hint = kind.empty_hint(viewer)
    if hint:
        return [], hint
    rows = db.session.execute(kind.query(viewer, MAX_LIMIT)).all()
    return [item.as_dict() for item in kind.explain(viewer, rows)], None


def recommend(kind_name: str, viewer: User, limit: int = 10) -> Recommendations:
    """Return the viewer's top `limit` of a kind, from the cache when still current."""
    kind = KINDS[kind_name]
    key = _cache_key(kind, viewer)
    cached = cache.get(key)
    if cached is None:
        cached = compute(kind_name, viewer)
        cache.set(key, cached, timeout=CACHE_SECONDS)
    items, hint = cached
    return Recommendations(
        type=kind_name,
        items=[Recommendation(**item) for item in items[:limit]],
        hint=hint,
        no_results=kind.NO_RESULTS,
    )
