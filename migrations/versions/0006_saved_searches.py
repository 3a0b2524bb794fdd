"""Saved searches and their matches; PostgreSQL indexes for ranking large match sets.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 22:30:00

"""
from alembic import op
import sqlalchemy as sa

from webapp.search.ddl_postgres import RANKING_INDEXES


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    # New tables only: the searched tables (and their triggers) are untouched.
    op.create_table('saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('query', sa.String(length=500), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('match_mode', sa.String(length=10), nullable=False),
    sa.Column('compiled', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_match_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_searches_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches')),
    sa.UniqueConstraint('user_id', 'fingerprint', name=op.f('uq_saved_searches_user_id_fingerprint'))
    )
    op.create_index(op.f('ix_saved_searches_user_id'), 'saved_searches', ['user_id'], unique=False)
    op.create_table('saved_search_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('saved_search_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['saved_search_id'], ['saved_searches.id'], name=op.f('fk_saved_search_matches_saved_search_id_saved_searches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_search_matches')),
    sa.UniqueConstraint('saved_search_id', 'kind', 'ref_id', name=op.f('uq_saved_search_matches_saved_search_id_kind_ref_id'))
    )
    op.create_index('ix_saved_search_matches_search_id_desc', 'saved_search_matches', ['saved_search_id', 'id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # Search ranking scores a candidate set read from these when a query matches a lot.
        for statement in RANKING_INDEXES:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in ("names", "title_lower", "slug_lower", "created_at"):
            op.execute(f"DROP INDEX IF EXISTS ix_search_documents_{name}")
    op.drop_index('ix_saved_search_matches_search_id_desc', table_name='saved_search_matches')
    op.drop_table('saved_search_matches')
    op.drop_index(op.f('ix_saved_searches_user_id'), table_name='saved_searches')
    op.drop_table('saved_searches')
