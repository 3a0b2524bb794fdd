"""Saved searches as the search back-ends see them: match one new document against all of them.

A saved search stores its query compiled for the database's own matcher, so checking a new
document is one statement that evaluates every stored query against that single indexed row
(no search runs per saved search). Facet filters are then checked on the row's facet values
in Python, with the same rules as the search's SQL filters.
"""

import json

from .documents import KINDS
from .filters import CASE_FREE, COLUMNS

# The saved searches whose text part matches document `d`; {text} is the back-end's test.
MATCHING_SQL = """
SELECT s.id, s.user_id, s.filters, d.kind, d.industry, d.stage, d.role, d.location, d.skills
FROM search_documents d
JOIN saved_searches s ON {text}
JOIN users u ON u.id = s.user_id AND NOT u.is_suspended
WHERE d.{fk} = :ref_id AND s.user_id <> :actor_id"""


def matching_sql(kind: str, text: str) -> str:
    """Return the statement matching one document of `kind` (bound: :ref_id, :actor_id, 0 for nobody)."""
    return MATCHING_SQL.format(text=text, fk=KINDS[kind]["fk"])


def _values(raw) -> list:
    if raw is None:
        return []
    if isinstance(raw, str):
        return json.loads(raw) or []
    return list(raw)


def filters_allow(filters: dict, row: dict) -> bool:
    """Whether one document row passes every facet filter (values within a dimension are OR-ed)."""
    for dimension, wanted in (filters or {}).items():
        if not wanted:
            continue
        if dimension == "skill":
            if not set(wanted) & set(_values(row["skills"])):
                return False
            continue
        value = row[COLUMNS[dimension]]
        if value is None:
            return False
        if dimension in CASE_FREE:
            value, allowed = value.lower(), [item.lower() for item in wanted]
        else:
            allowed = wanted
        if value not in allowed:
            return False
    return True


def load_filters(raw) -> dict:
    """Filters as stored (JSON text on some drivers, a dict on others)."""
    return json.loads(raw) if isinstance(raw, str) else (raw or {})
