"""The effect an approval binds to: what the CRM will act on, as the card showed it.

`pending_actions.effect` holds the records a gated call refers to (lead with the phone or
address the CRM will use, mailbox address, sequence, task), read when the card was made;
the gate reads them again just before running and ends the action `stale` if any changed
(tools/effect.py). Nullable: actions created before this revision have none, and are
checked against their card's names instead.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pending_actions") as batch:
        batch.add_column(sa.Column("effect", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pending_actions") as batch:
        batch.drop_column("effect")
