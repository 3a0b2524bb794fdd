"""Recommendation dismissals ("not interested").

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 19:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recommendation_dismissals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_recommendation_dismissals_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_dismissals")),
        sa.UniqueConstraint(
            "user_id", "kind", "target_id", name=op.f("uq_recommendation_dismissals_user_id_kind_target_id")
        ),
    )


def downgrade():
    op.drop_table("recommendation_dismissals")
