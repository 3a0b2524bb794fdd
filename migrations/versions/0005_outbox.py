"""Event outbox, durable task jobs, public event counts kept by triggers, audience keyset by time.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 22:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

EventId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SHARDS = 8  # keep in step with webapp/services/feed_counts.py (reads sum every shard)

POSTGRES_TRIGGER = f"""
CREATE FUNCTION public_event_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO public_event_counts (action_type, shard, n) VALUES (NEW.action_type, NEW.id % {SHARDS}, 1)
    ON CONFLICT (action_type, shard) DO UPDATE SET n = public_event_counts.n + 1;
  ELSE
    UPDATE public_event_counts SET n = n - 1 WHERE action_type = OLD.action_type AND shard = OLD.id % {SHARDS};
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER public_event_counts_insert AFTER INSERT ON activity_events
  FOR EACH ROW WHEN (NEW.is_public) EXECUTE FUNCTION public_event_counts_keep();
CREATE TRIGGER public_event_counts_delete AFTER DELETE ON activity_events
  FOR EACH ROW WHEN (OLD.is_public) EXECUTE FUNCTION public_event_counts_keep();
"""

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER public_event_counts_insert AFTER INSERT ON activity_events WHEN NEW.is_public BEGIN
  INSERT INTO public_event_counts (action_type, shard, n) VALUES (NEW.action_type, NEW.id % {SHARDS}, 1)
  ON CONFLICT (action_type, shard) DO UPDATE SET n = n + 1;
END""",
    f"""CREATE TRIGGER public_event_counts_delete AFTER DELETE ON activity_events WHEN OLD.is_public BEGIN
  UPDATE public_event_counts SET n = n - 1 WHERE action_type = OLD.action_type AND shard = OLD.id % {SHARDS};
END""",
]


def upgrade():
    op.create_table('outbox_messages',
    sa.Column('kind', sa.String(length=1), nullable=False),
    sa.Column('ref_id', EventId, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('kind', 'ref_id', name=op.f('pk_outbox_messages'))
    )
    op.create_index('ix_outbox_messages_unpublished', 'outbox_messages', ['created_at'], unique=False,
                    postgresql_where=sa.text('published_at IS NULL'), sqlite_where=sa.text('published_at IS NULL'))
    op.create_table('task_jobs',
    sa.Column('id', EventId, nullable=False),
    sa.Column('task', sa.String(length=120), nullable=False),
    sa.Column('kwargs', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tried_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_jobs'))
    )
    op.create_index('ix_task_jobs_pending', 'task_jobs', ['created_at'], unique=False,
                    postgresql_where=sa.text('done_at IS NULL'), sqlite_where=sa.text('done_at IS NULL'))
    op.create_table('public_event_counts',
    sa.Column('action_type', sa.String(length=40), nullable=False),
    sa.Column('shard', sa.Integer(), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('action_type', 'shard', name=op.f('pk_public_event_counts'))
    )
    op.create_index('ix_activity_events_hidden', 'activity_events', ['id'], unique=False,
                    postgresql_where=sa.text('is_hidden'), sqlite_where=sa.text('is_hidden'))

    # The audience copies its event's created_at: the `following` keyset then reads one index.
    # Plain ALTER + UPDATE (no batch table copy on SQLite; event_audience has no triggers anyway).
    op.add_column('event_audience', sa.Column('created_at', sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE event_audience a SET created_at = e.created_at FROM activity_events e "
                   "WHERE e.id = a.event_id")
        op.alter_column('event_audience', 'created_at', nullable=False)
    else:
        op.execute("UPDATE event_audience SET created_at = "
                   "(SELECT e.created_at FROM activity_events e WHERE e.id = event_audience.event_id)")
        with op.batch_alter_table('event_audience') as batch_op:
            batch_op.alter_column('created_at', existing_type=sa.DateTime(timezone=True), nullable=False)
    op.drop_index('ix_event_audience_user_event', table_name='event_audience')
    op.create_index('ix_event_audience_user_created', 'event_audience', ['user_id', 'created_at', 'event_id'],
                    unique=False)

    # Backfill the counts, then let triggers keep them (in the inserting transaction: exact, rollback-safe).
    op.execute(f"INSERT INTO public_event_counts (action_type, shard, n) "
               f"SELECT action_type, id % {SHARDS}, count(*) FROM activity_events WHERE is_public "
               f"GROUP BY action_type, id % {SHARDS}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_TRIGGER)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS public_event_counts_insert ON activity_events")
        op.execute("DROP TRIGGER IF EXISTS public_event_counts_delete ON activity_events")
        op.execute("DROP FUNCTION IF EXISTS public_event_counts_keep()")
    else:
        op.execute("DROP TRIGGER IF EXISTS public_event_counts_insert")
        op.execute("DROP TRIGGER IF EXISTS public_event_counts_delete")
    op.drop_index('ix_event_audience_user_created', table_name='event_audience')
    op.create_index('ix_event_audience_user_event', 'event_audience', ['user_id', 'event_id'], unique=False)
    with op.batch_alter_table('event_audience') as batch_op:
        batch_op.drop_column('created_at')
    op.drop_index('ix_activity_events_hidden', table_name='activity_events')
    op.drop_table('public_event_counts')
    op.drop_index('ix_task_jobs_pending', table_name='task_jobs')
    op.drop_table('task_jobs')
    op.drop_index('ix_outbox_messages_unpublished', table_name='outbox_messages')
    op.drop_table('outbox_messages')
