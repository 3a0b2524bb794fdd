"""Per-viewer feed caching with version keys: a write bumps a version, never scans caches.

Every cached feed page is stored under the versions it was computed with: the global
"public" version (bumped by every public event, and by moderation) and the viewer's own
version (bumped when a private event names them, or when they unfollow). Versions are read
before the database is queried, so a page computed concurrently with a write is stored under
the old version and never served again. Versions are random tokens, not counters: an
evicted version key comes back as a fresh token and can never match an older page.
"""

import secrets
from collections.abc import Callable, Iterable
from typing import Any

from ..extensions import cache

PAGE_TIMEOUT = 300
COUNT_TIMEOUT = 60
VERSION_TIMEOUT = 86400
PUBLIC_KEY = "feedver:public"


def _user_key(user_id: int) -> str:
    return f"feedver:user:{user_id}"


def _versions(keys: list[str]) -> list[str]:
    """The current version of each key, in one round trip (a missing one is created first)."""
    values = cache.get_many(*keys)
    if None in values:
        for key, value in zip(keys, values, strict=True):
            if value is None:
                cache.add(key, secrets.token_hex(8), timeout=VERSION_TIMEOUT)
        values = cache.get_many(*keys)
    return [value or "unset" for value in values]


def _usable() -> bool:
    # While Redis is down each process falls back to its own cache and misses the
    # invalidations made by the others: serve uncached rather than risk a stale page.
    return not getattr(cache.cache, "using_fallback", False)


def versions(viewer_id: int | None, public: bool = True) -> str:
    """Return the version tag a viewer's cached pages are filed under."""
    keys = [PUBLIC_KEY] if public or not viewer_id else []
    if viewer_id:
        keys.append(_user_key(viewer_id))
    return ".".join(_versions(keys))


def cached(
    name: str, viewer_id: int | None, parts: Iterable[Any], compute: Callable[[], Any], timeout: int, *,
    public: bool = True,
):
    """Return `compute()`, served from the cache for this viewer while no write invalidated it.

    `public=False` for values that only the viewer's private events change.
    """
    if not _usable():
        return compute()
    key = ":".join(["feed", name, str(viewer_id or 0), versions(viewer_id, public), *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value


def cached_briefly(name: str, parts: Iterable[Any], compute: Callable[[], Any], timeout: int = COUNT_TIMEOUT):
    """Return `compute()` cached for `timeout` seconds whatever is written meanwhile (counts only)."""
    if not _usable():
        return compute()
    key = ":".join(["feed", name, *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value


def bump_public() -> None:
    """Invalidate every viewer's feed pages (a public event, or moderation hid something)."""
    cache.set(PUBLIC_KEY, secrets.token_hex(8), timeout=VERSION_TIMEOUT)


def bump_users(user_ids: Iterable[int]) -> None:
    """Invalidate the feed pages of these viewers only."""
    for user_id in set(user_ids):
        cache.set(_user_key(user_id), secrets.token_hex(8), timeout=VERSION_TIMEOUT)
