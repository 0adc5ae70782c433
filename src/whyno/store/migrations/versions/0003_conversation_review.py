"""Stored call reviews: a transcript's digest, sellers, metrics and the no heard in it

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sellers", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("metrics", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("no_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_conversations_digest", ["digest"], unique=False)
        batch_op.create_index("ix_conversations_source_file", ["source_file"], unique=False)
        batch_op.create_foreign_key(
            "fk_conversations_no_id_nos", "nos", ["no_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_constraint("fk_conversations_no_id_nos", type_="foreignkey")
        batch_op.drop_index("ix_conversations_source_file")
        batch_op.drop_index("ix_conversations_digest")
        batch_op.drop_column("no_id")
        batch_op.drop_column("metrics")
        batch_op.drop_column("sellers")
        batch_op.drop_column("digest")
