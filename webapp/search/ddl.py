"""Search objects the database keeps current by itself: documents, full-text index, vocabulary.

One `search_documents` row per visible startup, person and opportunity, written only by
triggers on the source tables (a generated column cannot read skills or the startup's name
from other tables). Hidden startups and opportunities and suspended users have no row, so
nothing can leak them. PostgreSQL adds a generated weighted tsvector (GIN) and a vocabulary
of indexed words (pg_trgm GIN) for "did you mean"; SQLite adds an external-content FTS5
table and an fts5vocab view of its terms.

Migrations that batch-alter a searched table on SQLite silently lose these triggers: call
`drop_search_objects` before and `create_search_objects` after such a change.
"""

from sqlalchemy.engine import Connection

from . import ddl_postgres, ddl_sqlite


def create_search_objects(connection: Connection) -> None:
    """Create the search tables, indexes and triggers, and index every existing row."""
    module = ddl_postgres if connection.dialect.name == "postgresql" else ddl_sqlite
    for statement in module.create_statements():
        connection.exec_driver_sql(statement)


def drop_search_objects(connection: Connection) -> None:
    """Drop everything create_search_objects made (the pg_trgm extension stays)."""
    module = ddl_postgres if connection.dialect.name == "postgresql" else ddl_sqlite
    for statement in module.drop_statements():
        connection.exec_driver_sql(statement)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic autogenerate filter: the search objects are not models, so never propose dropping them."""
    return not (type_ == "table" and reflected and compare_to is None and (name or "").startswith("search_"))
