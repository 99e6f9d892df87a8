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


def known_ids(snapshot: Snapshot, org_id: str | None = None) -> set[str]:
    """The ids the seeded CRM holds: the primary key and each `*_id` value of every row; with
    `org_id`, of that organisation's rows only (what its users can see).

    Most tables carry `org_id`. An enrollment belongs to the organisation of its lead or
    sequence, a mailbox to that of its user (a user who owns, wrote or sent an org's row).
    """
    ids: set[str] = set()
    users = _org_users(snapshot, org_id) if org_id is not None else set()
    for rows in snapshot.values():
        for row_id, row in rows.items():
            if org_id is None or _in_org(snapshot, row, org_id, users):
                ids.add(row_id)
                ids.update(str(v) for k, v in row.items() if k.endswith("_id") and v)
    return ids


def _in_org(snapshot: Snapshot, row: Row, org_id: str, users: set[str]) -> bool:
    if "org_id" in row:
        return bool(row["org_id"] == org_id)
    if "sequence_id" in row or "lead_id" in row:
        for resource, key in (("leads", "lead_id"), ("sequences", "sequence_id")):
            parent = snapshot.get(resource, {}).get(str(row.get(key)))
            if parent is not None and parent.get("org_id") == org_id:
                return True
        return False
    if "user_id" in row:
        return row["user_id"] in users
    return False


def _org_users(snapshot: Snapshot, org_id: str) -> set[str]:
    return {
        str(row[key])
        for rows in snapshot.values()
        for row in rows.values()
        if row.get("org_id") == org_id
        for key in ("owner_id", "author_id", "user_id")
        if row.get(key)
    }


def comparable(row: Row) -> Row:
    return {k: v for k, v in row.items() if k not in IGNORED_FIELDS}
