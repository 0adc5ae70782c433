"""A no's main reason, for fast trend queries

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("main_category", sa.String(length=100), nullable=True))
        batch_op.create_index(
            "ix_nos_occurred_on_main_category", ["occurred_on", "main_category"], unique=False
        )
    # Existing labels: the strongest one becomes the main reason (person > crm > model).
    op.execute(
        """
        UPDATE nos SET main_category = (
            SELECT category FROM reason_labels
            WHERE reason_labels.no_id = nos.id
            ORDER BY CASE source WHEN 'person' THEN 0 WHEN 'crm' THEN 1 ELSE 2 END,
                     confidence DESC, id
            LIMIT 1
        )
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("nos", schema=None) as batch_op:
        batch_op.drop_index("ix_nos_occurred_on_main_category")
        batch_op.drop_column("main_category")
