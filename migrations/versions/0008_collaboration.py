"""Collaboration: team invitations, startup updates, saved items.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 22:20:00

New tables only: no searched table is altered, so the search objects stay as they are.
"""
from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "team_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("inviter_id", sa.Integer(), nullable=True),
        sa.Column("invitee_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=50), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["startup_id"], ["startups.id"],
                                name=op.f("fk_team_invitations_startup_id_startups"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["inviter_id"], ["users.id"],
                                name=op.f("fk_team_invitations_inviter_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["invitee_id"], ["users.id"],
                                name=op.f("fk_team_invitations_invitee_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_invitations")),
    )
    op.create_index("ix_team_invitations_startup_id", "team_invitations", ["startup_id"], unique=False)
    op.create_index("ix_team_invitations_invitee", "team_invitations", ["invitee_id", "id"], unique=False)
    op.create_index("uq_team_invitations_pending", "team_invitations", ["startup_id", "invitee_id"], unique=True,
                    postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))

    op.create_table(
        "startup_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("traction", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["startup_id"], ["startups.id"],
                                name=op.f("fk_startup_updates_startup_id_startups"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_startup_updates_author_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_startup_updates")),
    )
    op.create_index("ix_startup_updates_startup_created", "startup_updates", ["startup_id", "created_at", "id"],
                    unique=False)

    op.create_table(
        "saved_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(startup_id IS NULL) <> (opportunity_id IS NULL)", name=op.f("ck_saved_items_one_target")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_saved_items_user_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["startup_id"], ["startups.id"],
                                name=op.f("fk_saved_items_startup_id_startups"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunities.id"],
                                name=op.f("fk_saved_items_opportunity_id_opportunities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_items")),
        sa.UniqueConstraint("user_id", "startup_id", name=op.f("uq_saved_items_user_id_startup_id")),
        sa.UniqueConstraint("user_id", "opportunity_id", name=op.f("uq_saved_items_user_id_opportunity_id")),
    )
    op.create_index("ix_saved_items_user_created", "saved_items", ["user_id", "created_at", "id"], unique=False)
    op.create_index("ix_saved_items_startup_id", "saved_items", ["startup_id"], unique=False)
    op.create_index("ix_saved_items_opportunity_id", "saved_items", ["opportunity_id"], unique=False)


def downgrade():
    op.drop_table("saved_items")
    op.drop_table("startup_updates")
    op.drop_table("team_invitations")
