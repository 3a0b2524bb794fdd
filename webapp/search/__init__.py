"""Search: one interface over PostgreSQL full-text search and SQLite FTS5, and the /search page."""

from flask import Blueprint

from . import hooks

bp = Blueprint("search", __name__)
# Cache invalidation follows every session's commits once the blueprint is in an app.
bp.record_once(lambda state: hooks.install())

from . import routes  # noqa: E402,F401
