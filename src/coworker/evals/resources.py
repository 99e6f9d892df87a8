"""The sandbox's tables as the resources cases talk about, and a snapshot of all of them.

Graders read the sandbox's database directly (in-process), not through the API: the end
state is the truth, whatever the API would show to whom, and some of it (enrollments) has
no list endpoint at all.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from coworker.sandbox.database import SandboxDatabase
from coworker.sandbox.serialize import iso
from coworker.sandbox.tables import (
    Base,
    Call,
    Email,
    EmailAccount,
    Enrollment,
    Lead,
    Note,
    Opportunity,
    Sms,
    Tag,
    Task,
)
from coworker.sandbox.tables import Sequence as SequenceRow

RESOURCES: dict[str, type[Base]] = {
    "leads": Lead,
    "tasks": Task,
    "notes": Note,
    "calls": Call,
    "opportunities": Opportunity,
    "tags": Tag,
    "sequences": SequenceRow,
    "enrollments": Enrollment,
    "emails": Email,
    "sms": Sms,
    "email_accounts": EmailAccount,
}

# A write that leaves every value as it was is not a change, even if it touched the clock.
IGNORED_FIELDS = frozenset({"updated_at"})

Row = dict[str, Any]
Snapshot = dict[str, dict[str, Row]]  # resource -> id -> row


def fields_of(resource: str) -> tuple[str, ...]:
    return tuple(column.key for column in RESOURCES[resource].__table__.columns)


def _plain(value: Any) -> Any:
    """Row values as JSON would carry them: timestamps in ISO form, lists copied."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


async def take_snapshot(database: SandboxDatabase) -> Snapshot:
    """Every row of every resource, keyed by id."""
    snapshot: Snapshot = {}
    async with database.session() as session:
        for name, table in RESOURCES.items():
            columns = list(table.__table__.columns)
            rows = (await session.execute(select(*columns))).all()
            plain = [{c.key: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows]
            snapshot[name] = {str(row["id"]): row for row in plain}
    return snapshot


def known_ids(snapshot: Snapshot) -> set[str]:
    """Every id the seeded CRM holds: the primary keys and each `*_id` value of every row."""
    ids: set[str] = set()
    for rows in snapshot.values():
        for row_id, row in rows.items():
            ids.add(row_id)
            ids.update(str(v) for k, v in row.items() if k.endswith("_id") and v)
    return ids


def comparable(row: Row) -> Row:
    return {k: v for k, v in row.items() if k not in IGNORED_FIELDS}
