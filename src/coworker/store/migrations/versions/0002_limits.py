"""Limits that hold: indexes for paging a person's actions and conversations (and counting
the actions they have waiting, for the cap), and rate-limit counters shared by replicas.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_pending_actions_user_id_created_at",
        "pending_actions",
        ["user_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_pending_actions_user_id_status",
        "pending_actions",
        ["user_id", "status", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_conversations_user_id_updated_at",
        "conversations",
        ["user_id", "updated_at", "id"],
        unique=False,
    )
    op.create_table(
        "rate_limit_counters",
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("window_start", "key", name=op.f("pk_rate_limit_counters")),
    )


def downgrade() -> None:
    op.drop_table("rate_limit_counters")
    op.drop_index("ix_conversations_user_id_updated_at", table_name="conversations")
    op.drop_index("ix_pending_actions_user_id_status", table_name="pending_actions")
    op.drop_index("ix_pending_actions_user_id_created_at", table_name="pending_actions")
