"""Search: documents kept current by triggers, full-text indexes and the vocabulary.

PostgreSQL gets a weighted tsvector with a GIN index and a pg_trgm vocabulary; SQLite an
external-content FTS5 table. The DDL lives in webapp.search.ddl so a later migration that
rebuilds a searched table can drop and recreate it (SQLite batch mode loses triggers).

Revision ID: 0003
Revises: 0002
"""
from alembic import op

from webapp.search.ddl import create_search_objects, drop_search_objects

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    create_search_objects(op.get_bind())


def downgrade():
    drop_search_objects(op.get_bind())
