"""Profiles: what a user says about themselves, their skills and investor focus."""

from ..extensions import db
from ..models import InvestorIndustry, InvestorStage, User
from ..recommendations import versions as recommendation_versions
from ..schemas.inputs import ProfileSchema
from .events import record_event
from .skills import resolve_skills
from .transaction import atomic
from .validation import load

PLAIN_FIELDS = ("name", "headline", "bio", "location", "open_to_work")


def update_profile(user: User, data, record: bool = True) -> bool:
    """Apply a (partial) profile update; record `profile_updated` when something changed."""
    fields = load(ProfileSchema(), data, partial=True)
    with atomic():
        changed = apply_profile(user, fields)
        if changed and record:
            record_event(user, "profile_updated", user, f"{user.username} updated their profile")
        if changed:
            recommendation_versions.profile_changed(user)
    return changed


def apply_profile(user: User, fields: dict) -> bool:
    """Write validated profile fields to `user`; return whether anything changed."""
    changed = False
    for name in PLAIN_FIELDS:
        if name in fields and getattr(user, name) != fields[name]:
            setattr(user, name, fields[name])
            changed = True
    if "skills" in fields and user.skill_names != sorted(fields["skills"]):
        user.skills = resolve_skills(fields["skills"])
        changed = True
    if fields.get("investor") is not None:
        changed |= _apply_investor(user, fields["investor"])
    if changed:
        db.session.flush()
    return changed


def _apply_investor(user: User, prefs: dict) -> bool:
    changed = False
    if prefs.get("industries") is not None:
        changed |= _sync_rows(user.investor_industries, "industry", prefs["industries"], InvestorIndustry)
    if prefs.get("stages") is not None:
        changed |= _sync_rows(user.investor_stages, "stage", prefs["stages"], InvestorStage)
    for name in ("cheque_min", "cheque_max"):
        if name in prefs and getattr(user, name) != prefs[name]:
            setattr(user, name, prefs[name])
            changed = True
    return changed


def _sync_rows(rows: list, attr: str, wanted: list[str], model) -> bool:
    """Make a preference collection hold exactly `wanted`, touching only the differences."""
    current = {getattr(row, attr) for row in rows}
    target = set(wanted)
    for row in [row for row in rows if getattr(row, attr) not in target]:
        rows.remove(row)
    for value in sorted(target - current):
        rows.append(model(**{attr: value}))
    return current != target
