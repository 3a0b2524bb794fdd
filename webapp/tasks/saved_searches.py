"""Saved-search task: check one new (or newly visible) document against every saved search."""

from ..services import saved_searches
from . import task


@task
def match_document(kind: str, ref_id: int, actor_id: int | None = None) -> None:
    """Record and push the saved searches `kind` #`ref_id` matches (safe to run twice)."""
    saved_searches.record_matches(kind, ref_id, actor_id)
