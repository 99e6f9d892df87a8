"""Batches: the gated actions one model response proposes together (issue #18 item 4).

`pending_actions.batch_id` is shared by every action of one response that proposed
several, so a channel shows them as one card with one decision; each stays its own action
(its own claim, audit and effect binding). Nullable: an action proposed alone, and every
action created before this revision, has none.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pending_actions") as batch:
        batch.add_column(sa.Column("batch_id", sa.String(32), nullable=True))
        batch.create_index(batch.f("ix_pending_actions_batch_id"), ["batch_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pending_actions") as batch:
        batch.drop_index(batch.f("ix_pending_actions_batch_id"))
        batch.drop_column("batch_id")
