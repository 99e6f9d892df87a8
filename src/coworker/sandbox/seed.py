"""Deterministic demo data for the sandbox CRM.

The sandbox is what people meet first (`coworker serve` with no configuration), and tests and
evals ask it real questions ("what's due today?", "text Jane Smith"). So the data has to look
like a real sales team's CRM, be identical on every run, and always be current: every date is
placed relative to `now`, so there are always tasks due today, calls from yesterday and leads
created since yesterday.

What the demo is lives in `data/demo.yaml` (read by `demo.py`); `builder.py` and
`activity.py` turn it into rows with one seeded generator, so the same `now` always gives the
same records.

Deliberate features that demos and tests rely on:
- Jane Smith at Acme Corp (jane@acme.com, +1-555-000-1234, status new) in Northwind, and a
  second Jane Smith in Globex: one name in two organisations proves org isolation.
- Two Northwind leads called Chris (Chris Johnson at Initech, Chris Parker at Umbrella
  Health): a request about "Chris" has to be disambiguated. No other lead name, email or
  company contains "chris", "jane", "smith" or "acme", so searches for them stay exact.
- About 10% of leads have no phone (sending them an SMS fails), a few have no email.
- Some open deals sit on leads with no notes or calls in the last 14 days: stale deals for
  the daily summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from coworker.sandbox.activity import ActivityBuilder
from coworker.sandbox.demo import (
    DEMO_USERS,
    GLOBEX_ID,
    NORTHWIND_ID,
    ORG_PLANS,
    USER_PHONES,
    DemoUser,
    demo_id,
    describe_demo_users,
)
from coworker.sandbox.tables import Base

__all__ = [
    "DEMO_USERS",
    "GLOBEX_ID",
    "NORTHWIND_ID",
    "DemoUser",
    "demo_id",
    "describe_demo_users",
    "seed_demo_data",
]


async def seed_demo_data(session: AsyncSession, *, now: datetime) -> None:
    """Insert the whole demo data set relative to `now` (aware UTC) and flush.

    The caller commits. Rows go in parent-first batches so databases that enforce foreign
    keys (PostgreSQL, SQLite with the pragma on) accept every insert.
    """
    if now.tzinfo is None:
        raise ValueError("seed_demo_data needs an aware datetime for `now`")
    now = now.astimezone(UTC).replace(microsecond=0)
    build = ActivityBuilder(now)

    async def insert(rows: Sequence[Base]) -> None:
        session.add_all(rows)
        await session.flush()

    await insert(build.organizations())
    await insert(build.user_rows())
    phones = {
        *USER_PHONES.values(),
        *(s.phone for o in ORG_PLANS for s in o.special_leads if s.phone),
    }
    for org in ORG_PLANS:
        await insert(build.tags(org))
        await insert(build.lead_rows(org, phones))
        await insert(build.email_accounts(org))
        await insert(build.opportunities(org))
        sequences = build.sequences(org)
        await insert(sequences)
        await insert(build.enrollments(org, sequences[0]))
        await insert(build.notes(org))
        await insert(build.calls(org))
        for user in build.org_users(org):
            await insert(build.tasks(user))
            await insert(build.emails(user))
            await insert(build.sms(user))
