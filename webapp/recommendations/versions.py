"""Version keys: bumping one makes every cached list that depends on it unreachable."""

import secrets

from ..extensions import cache
from ..services.transaction import after_commit

# Candidate scopes: "startups" covers startups and their opportunities, "people" covers profiles.
STARTUPS = "startups"
PEOPLE = "people"


def _key(scope: str) -> str:
    return f"recs:version:{scope}"


def viewer_scope(user_id: int) -> str:
    """Name the version scope of one viewer's own inputs (skills, preferences, dismissals)."""
    return f"user:{user_id}"


def current(scopes: list[str]) -> list[str]:
    """Return the current token of each scope, creating missing ones."""
    keys = [_key(scope) for scope in scopes]
    values = list(cache.get_many(*keys))
    for index, value in enumerate(values):
        if value is None:
            # A random token, never a counter: a lost key must not reissue an old version.
            token = secrets.token_hex(6)
            values[index] = token if cache.add(keys[index], token, timeout=0) else (cache.get(keys[index]) or token)
    return values


def bump(*scopes: str) -> None:
    """Give each scope a fresh token now."""
    for scope in scopes:
        cache.set(_key(scope), secrets.token_hex(6), timeout=0)


def bump_after_commit(*scopes: str) -> None:
    """Bump once the caller's transaction commits, so no reader caches pre-commit data as new."""
    after_commit(lambda: bump(*scopes))


def viewer_changed(user) -> None:
    """Call when a viewer's skills, preferences, dismissals or applications change."""
    bump_after_commit(viewer_scope(user.id))


def profile_changed(user) -> None:
    """Call when a profile changes: the viewer's own lists and every list of people."""
    bump_after_commit(viewer_scope(user.id), PEOPLE)


def startup_changed(startup) -> None:
    """Call when a startup, its skills, traction or hidden flag change (members' needs change too)."""
    members = [viewer_scope(membership.user_id) for membership in startup.memberships]
    bump_after_commit(STARTUPS, *members)


def opportunity_changed(opportunity) -> None:
    """Call when an opportunity is posted or edited (opening, closing, skills, hiding)."""
    startup_changed(opportunity.startup)


def candidates_changed() -> None:
    """Call after moderation (hiding, suspending): every candidate list may change."""
    bump_after_commit(STARTUPS, PEOPLE)
