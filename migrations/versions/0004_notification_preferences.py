"""Notification preferences (per user and kind: live / in-app only / off); partial indexes on hidden rows.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 19:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences'))
    )
    # Plain CREATE INDEX (no batch table copy): safe for tables with search triggers.
    op.create_index('ix_startups_hidden', 'startups', ['id'], unique=False,
                    postgresql_where=sa.text('is_hidden'), sqlite_where=sa.text('is_hidden'))
    op.create_index('ix_opportunities_hidden', 'opportunities', ['id'], unique=False,
                    postgresql_where=sa.text('is_hidden'), sqlite_where=sa.text('is_hidden'))


def downgrade():
    op.drop_index('ix_opportunities_hidden', table_name='opportunities')
    op.drop_index('ix_startups_hidden', table_name='startups')
    op.drop_table('notification_preferences')
