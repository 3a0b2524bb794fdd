"""Profiles: what a user says about themselves, their skills and investor focus."""

import re

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import InvestorIndustry, InvestorStage, Skill, User, user_skills
from ..recommendations import versions as recommendation_versions
from ..schemas.inputs import ProfileSchema
from ..tasks import enqueue
from ..tasks import saved_searches as saved_search_tasks
from .errors import NotFound
from .events import record_event
from .skills import resolve_skills
from .transaction import atomic
from .validation import load

PLAIN_FIELDS = ("name", "headline", "bio", "location", "open_to_work")
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{3,30}$")


def update_profile(user: User, data, record: bool = True) -> bool:
    """Apply a (partial) profile update; record `profile_updated` when something changed."""
    fields = load(ProfileSchema(), data, partial=True)
    with atomic():
        changed = apply_profile(user, fields)
        if changed and record:
            record_event(user, "profile_updated", user, f"{user.username} updated their profile")
        if changed:
            recommendation_versions.profile_changed(user)
        if changed and record:
            # People are created with an empty profile: they start to match once they fill it in.
            enqueue(saved_search_tasks.match_document, kind="user", ref_id=user.id, actor_id=user.id)
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


def get_user(username: str) -> User:
    """Return the active user with this username (any case), or raise NotFound."""
    # Anything that cannot be a username is unknown: never let odd bytes reach the database.
    if not USERNAME_PATTERN.match(username or ""):
        raise NotFound("No such user.")
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None or user.is_suspended:
        raise NotFound("No such user.")
    return user


def list_people(role: str | None = None, skill: str | None = None, limit: int = 50, offset: int = 0) -> list[User]:
    """Return active users, newest first, optionally by role and by skill."""
    # Cards show each person's skills: load them with the page, not one query per card.
    query = select(User).options(selectinload(User.skills)).where(User.is_suspended.is_(False))
    if role:
        query = query.where(User.role == role)
    if skill:
        tagged = (
            select(user_skills.c.user_id)
            .join(Skill, Skill.id == user_skills.c.skill_id)
            .where(Skill.name == skill.strip().lower())
        )
        query = query.where(User.id.in_(tagged))
    query = query.order_by(User.created_at.desc(), User.id.desc()).limit(limit).offset(offset)
    return list(db.session.scalars(query))
