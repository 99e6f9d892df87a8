"""The demo data: the right amounts, the named leads demos rely on, contract-valid values,
always current relative to `now`, and identical on every run."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from coworker.dialsheet.contract import load_contract
from coworker.sandbox import tables as t
from coworker.sandbox.seed import DEMO_USERS, demo_id, describe_demo_users, seed_demo_data

NOW = datetime(2026, 11, 26, 9, 30, 12, 345678, tzinfo=UTC)
JUST_AFTER_MIDNIGHT = datetime(2027, 3, 1, 0, 5, tzinfo=UTC)
JUST_BEFORE_MIDNIGHT = datetime(2026, 12, 31, 23, 55, tzinfo=UTC)

NORTHWIND = demo_id("org", "northwind")
GLOBEX = demo_id("org", "globex")
USERS = {u.id: u for u in DEMO_USERS}
ROOT = Path(__file__).resolve().parents[2]
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")

M = TypeVar("M", bound=t.Base)


def _enforce_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


@asynccontextmanager
async def seeded_database(now: datetime) -> AsyncIterator[AsyncSession]:
    """A fresh in-memory SQLite that enforces foreign keys, seeded and committed."""
    engine = create_async_engine("sqlite+aiosqlite://")
    event.listen(engine.sync_engine, "connect", _enforce_foreign_keys)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(t.Base.metadata.create_all)
        async with AsyncSession(engine, expire_on_commit=False) as session:
            await seed_demo_data(session, now=now)
            await session.commit()
            yield session
    finally:
        await engine.dispose()


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
async def db(now: datetime) -> AsyncIterator[AsyncSession]:
    async with seeded_database(now) as session:
        yield session


async def rows(db: AsyncSession, model: type[M]) -> list[M]:
    return list((await db.scalars(select(model))).all())


async def dump(db: AsyncSession) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted by id: two equal dumps mean two equal databases."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in t.Base.metadata.sorted_tables:
        result = await db.execute(select(table).order_by(table.c.id))
        out[table.name] = [tuple(row) for row in result.all()]
    return out


def enum(schema: str, field: str | None = None) -> set[str]:
    node = load_contract().schema(schema)
    if field is not None:
        node = node["properties"][field]
    return set(node["enum"])


# --------------------------------------------------------------------------- amounts


async def test_counts_per_org(db: AsyncSession) -> None:
    def per_org(items: list[Any]) -> Counter[str]:
        return Counter(item.org_id for item in items)

    assert per_org(await rows(db, t.Lead)) == {NORTHWIND: 180, GLOBEX: 40}
    assert per_org(await rows(db, t.User)) == {NORTHWIND: 2, GLOBEX: 2}
    assert per_org(await rows(db, t.Tag)) == {NORTHWIND: 6, GLOBEX: 6}
    assert per_org(await rows(db, t.Sequence)) == {NORTHWIND: 3, GLOBEX: 3}
    assert per_org(await rows(db, t.Opportunity)) == {NORTHWIND: 40, GLOBEX: 12}
    calls = await rows(db, t.Call)
    assert len(calls) == 250
    assert per_org(calls)[NORTHWIND] > per_org(calls)[GLOBEX] > 0
    notes = await rows(db, t.Note)
    noted_leads = {n.lead_id for n in notes}
    assert 0.35 * 220 <= len(noted_leads) <= 0.65 * 220
    assert max(Counter(n.lead_id for n in notes).values()) <= 3
    assert Counter(a.user_id for a in await rows(db, t.EmailAccount)) == dict.fromkeys(USERS, 2)
    enrollments = await rows(db, t.Enrollment)
    assert 3 <= len(enrollments) <= 12
    for user in DEMO_USERS:
        assert sum(e.user_id == user.id for e in await rows(db, t.Email)) >= 3
        assert sum(s.user_id == user.id for s in await rows(db, t.Sms)) >= 2


async def test_lead_statuses_owners_and_gaps_are_spread(db: AsyncSession) -> None:
    leads = await rows(db, t.Lead)
    share = Counter(lead.status for lead in leads)
    for status, expected in {
        "new": 0.35,
        "contacted": 0.25,
        "qualified": 0.20,
        "unqualified": 0.10,
        "customer": 0.10,
    }.items():
        assert abs(share[status] / len(leads) - expected) < 0.05, status
    northwind_owners = Counter(lead.owner_id for lead in leads if lead.org_id == NORTHWIND)
    alex = DEMO_USERS[0]
    assert northwind_owners.most_common(1)[0][0] == alex.id
    assert 0.05 <= sum(lead.phone is None for lead in leads) / len(leads) <= 0.15
    assert 1 <= sum(lead.email is None for lead in leads) <= 15
    assert {lead.source for lead in leads} == {
        "website",
        "referral",
        "linkedin",
        "cold_call",
        "event",
        "partner",
    }
    assert all(len(lead.tags) <= 2 for lead in leads)


# --------------------------------------------------------------------------- named leads


async def test_jane_smith_at_acme_in_northwind_and_another_in_globex(db: AsyncSession) -> None:
    janes = [lead for lead in await rows(db, t.Lead) if lead.name == "Jane Smith"]
    by_org = {lead.org_id: lead for lead in janes}
    assert len(janes) == 2 and set(by_org) == {NORTHWIND, GLOBEX}
    acme = by_org[NORTHWIND]
    assert (acme.company, acme.email, acme.phone, acme.status) == (
        "Acme Corp",
        "jane@acme.com",
        "+1-555-000-1234",
        "new",
    )
    assert by_org[GLOBEX].company != "Acme Corp"
    assert USERS[acme.owner_id].org_id == NORTHWIND
    assert USERS[by_org[GLOBEX].owner_id].org_id == GLOBEX


async def test_acme_corp_leads_are_in_northwind_only(db: AsyncSession) -> None:
    acme = [lead for lead in await rows(db, t.Lead) if lead.company == "Acme Corp"]
    assert len(acme) >= 4
    assert {lead.org_id for lead in acme} == {NORTHWIND}
    assert all(lead.email and lead.email.endswith("@acme.com") for lead in acme)
    assert sum(lead.status == "new" for lead in acme) >= 3
    assert any(lead.phone is None and lead.status == "new" for lead in acme)  # SMS refusal demo
    others = [lead for lead in await rows(db, t.Lead) if lead.company != "Acme Corp"]
    assert not any("acme" in f"{lead.name} {lead.email} {lead.company}".lower() for lead in others)


async def test_exactly_two_northwind_leads_match_chris(db: AsyncSession) -> None:
    def matches(lead: t.Lead) -> bool:
        return "chris" in f"{lead.name} {lead.email} {lead.company}".lower()

    chrises = [lead for lead in await rows(db, t.Lead) if matches(lead)]
    assert {(lead.name, lead.company, lead.org_id) for lead in chrises} == {
        ("Chris Johnson", "Initech", NORTHWIND),
        ("Chris Parker", "Umbrella Health", NORTHWIND),
    }


# --------------------------------------------------------------------------- the contract


async def test_enum_columns_hold_contract_values(db: AsyncSession) -> None:
    assert {x.status for x in await rows(db, t.Lead)} <= enum("LeadStatus")
    assert {x.priority for x in await rows(db, t.Task)} == enum("TaskPriority")
    assert {x.stage for x in await rows(db, t.Opportunity)} == enum("OpportunityStage")
    calls = await rows(db, t.Call)
    assert {x.outcome for x in calls} == enum("CallOutcome")
    assert {x.direction for x in calls} == enum("Call", "direction")
    notes = {x.outcome for x in await rows(db, t.Note)}
    assert None in notes and notes - {None} <= enum("CallOutcome")
    providers = {x.provider for x in await rows(db, t.EmailAccount)}
    assert providers <= enum("EmailAccount", "provider")
    assert {x.status for x in await rows(db, t.Sequence)} == enum("Sequence", "status")
    assert {x.status for x in await rows(db, t.Email)} <= enum("Email", "status")
    assert {x.status for x in await rows(db, t.Sms)} <= enum("Sms", "status")
    assert {x.status for x in await rows(db, t.Enrollment)} <= enum("Enrollment", "status")


async def test_emails_phones_colors_and_money_have_valid_formats(db: AsyncSession) -> None:
    contract = load_contract()
    phone = re.compile(contract.schema("Phone")["pattern"])
    color = re.compile(contract.schema("TagCreate")["properties"]["color"]["pattern"])
    currency = re.compile(contract.schema("OpportunityCreate")["properties"]["currency"]["pattern"])
    leads = await rows(db, t.Lead)
    users = await rows(db, t.User)
    addresses = [lead.email for lead in leads if lead.email] + [u.email for u in users]
    addresses += [a.email for a in await rows(db, t.EmailAccount)]
    for email in await rows(db, t.Email):
        addresses += [email.from_email, email.to_email]
    assert all("@" in a and EMAIL.match(a) for a in addresses), addresses
    numbers = [lead.phone for lead in leads if lead.phone] + [u.phone for u in users]
    numbers += [s.to_phone for s in await rows(db, t.Sms)]
    assert all(phone.match(n) for n in numbers)
    assert len({lead.phone for lead in leads if lead.phone}) == sum(1 for x in leads if x.phone)
    assert all(tag.color and color.match(tag.color) for tag in await rows(db, t.Tag))
    for deal in await rows(db, t.Opportunity):
        assert currency.match(deal.currency) and 2_000 <= deal.value <= 250_000


async def test_demo_users_have_distinct_keys_that_the_users_table_knows(db: AsyncSession) -> None:
    keys = [u.key for u in DEMO_USERS]
    assert len(set(keys)) == 4 and all(k.startswith("ds_") for k in keys)
    names = ["Alex Rivera", "Sam Patel", "Jordan Lee", "Casey Morgan"]
    assert [u.name for u in DEMO_USERS] == names
    table = {u.id: (u.api_key_hash, u.org_id, u.email) for u in await rows(db, t.User)}
    assert table == {u.id: (t.hash_api_key(u.key), u.org_id, u.email) for u in DEMO_USERS}
    lines = describe_demo_users().splitlines()
    assert lines[0] == "Alex Rivera  ds_demo_alex_3f9a1c7e5b2d4a60  (Northwind Traders)"
    assert len(lines) == 4 and all(u.key in line for u, line in zip(DEMO_USERS, lines, strict=True))


# --------------------------------------------------------------------------- always current


@pytest.mark.parametrize("now", [NOW, JUST_AFTER_MIDNIGHT, JUST_BEFORE_MIDNIGHT])
async def test_every_user_has_tasks_today_overdue_upcoming_undated_and_done(
    db: AsyncSession, now: datetime
) -> None:
    today = now.date()
    tasks = await rows(db, t.Task)
    for user in DEMO_USERS:
        mine = [task for task in tasks if task.owner_id == user.id]
        open_ = [task for task in mine if not task.completed]
        done = [task for task in mine if task.completed]
        due_today = [x for x in open_ if x.due_date and x.due_date.date() == today]
        assert len(due_today) >= 3, user.name
        assert all(time(13) <= x.due_date.time() <= time(21) for x in due_today if x.due_date)
        overdue = [x for x in open_ if x.due_date and x.due_date.date() < today]
        assert len(overdue) >= 3, user.name
        assert all(1 <= (today - x.due_date.date()).days <= 10 for x in overdue if x.due_date)
        upcoming = [x for x in open_ if x.due_date and x.due_date.date() > today]
        assert len(upcoming) >= 3
        assert all((x.due_date.date() - today).days <= 14 for x in upcoming if x.due_date)
        assert sum(x.due_date is None for x in open_) == 2
        assert len(done) >= 5
        assert all(x.completed_at is not None and x.completed_at <= now for x in done)
        assert any(x.due_date and x.due_date.date() == today for x in done)
        assert all(x.completed_at is None for x in open_)
        assert sum(x.lead_id is not None for x in mine) > len(mine) / 2
        assert len({x.priority for x in mine}) >= 2


async def test_named_tasks_due_today(db: AsyncSession, now: datetime) -> None:
    tasks = {task.title: task for task in await rows(db, t.Task)}
    jane = tasks["Follow up with Jane Smith about pricing"]
    assert jane.owner_id == DEMO_USERS[0].id and not jane.completed
    assert jane.due_date is not None and jane.due_date.date() == now.date()
    on_jane = [task for task in tasks.values() if task.lead_id == jane.lead_id]
    assert on_jane == [jane]  # random tasks stay off the named leads
    assert "Send proposal to Initech" in tasks


@pytest.mark.parametrize("now", [NOW, JUST_AFTER_MIDNIGHT, JUST_BEFORE_MIDNIGHT])
async def test_new_leads_since_yesterday_and_calls_from_yesterday(
    db: AsyncSession, now: datetime
) -> None:
    leads = await rows(db, t.Lead)
    fresh = [x for x in leads if x.org_id == NORTHWIND and now - x.created_at <= timedelta(1)]
    assert len(fresh) >= 8
    assert all(now - x.created_at <= timedelta(days=120) for x in leads)
    yesterday = now.date() - timedelta(days=1)
    calls = await rows(db, t.Call)
    for user in DEMO_USERS:
        assert sum(c.user_id == user.id and c.started_at.date() == yesterday for c in calls) >= 4
        sent = [e for e in await rows(db, t.Email) if e.user_id == user.id]
        assert any(e.sent_at.date() == yesterday for e in sent)
    assert all(timedelta(0) < now - c.started_at <= timedelta(days=30) for c in calls)


async def test_stale_open_deals_exist_in_both_orgs(db: AsyncSession, now: datetime) -> None:
    recent = now - timedelta(days=14)
    active = {n.lead_id for n in await rows(db, t.Note) if n.created_at >= recent}
    active |= {c.lead_id for c in await rows(db, t.Call) if c.started_at >= recent}
    open_stages = enum("OpportunityStage") - {"closed_won", "closed_lost"}
    deals = [d for d in await rows(db, t.Opportunity) if d.stage in open_stages]
    stale = [d for d in deals if d.lead_id not in active]
    assert Counter(d.org_id for d in stale) == {NORTHWIND: 6, GLOBEX: 2}  # exactly the planned
    assert len(deals) > 3 * len(stale)  # the others all have recent activity
    for deal in deals:
        close = deal.expected_close_date
        assert close is None or 0 <= (close - now.date()).days <= 90
    assert any(d.expected_close_date is None for d in deals)


async def test_timestamps_are_aware_ordered_and_not_in_the_future(
    db: AsyncSession, now: datetime
) -> None:
    dated: list[t.Lead | t.Opportunity | t.Task] = [
        *await rows(db, t.Lead),
        *await rows(db, t.Opportunity),
        *await rows(db, t.Task),
    ]
    for row in dated:
        assert row.created_at.tzinfo is not None
        assert row.created_at <= row.updated_at <= now, row.id
    leads = {lead.id: lead for lead in await rows(db, t.Lead)}
    for note in await rows(db, t.Note):
        assert leads[note.lead_id].created_at <= note.created_at <= now
        assert now - note.created_at <= timedelta(days=60)
    for call in await rows(db, t.Call):
        assert leads[call.lead_id].created_at <= call.started_at
    stamps = [e.sent_at for e in await rows(db, t.Email)]
    stamps += [s.sent_at for s in await rows(db, t.Sms)]
    stamps += [e.enrolled_at for e in await rows(db, t.Enrollment)]
    assert all(stamp <= now for stamp in stamps)


async def test_calls_durations_and_summaries_follow_the_outcome(db: AsyncSession) -> None:
    calls = await rows(db, t.Call)
    for call in calls:
        if call.outcome in ("no_answer", "voicemail", "wrong_number"):
            assert call.duration_seconds == 0 and call.summary is None
        else:
            assert 30 <= call.duration_seconds <= 1800 and call.summary
    assert sum(c.direction == "outbound" for c in calls) > 0.7 * len(calls)


async def test_sequences(db: AsyncSession) -> None:
    sequences = sorted(await rows(db, t.Sequence), key=lambda s: (s.org_id, s.created_at))
    assert all(3 <= s.step_count <= 7 for s in sequences)
    paused = [s for s in sequences if s.status == "paused"]
    globex = [s for s in sequences if s.org_id == GLOBEX]
    assert paused == [globex[2]]
    assert any("nurture" in s.name.lower() for s in sequences if s.org_id == NORTHWIND)


# --------------------------------------------------------------------------- integrity


async def test_rows_stay_inside_their_organisation(db: AsyncSession) -> None:
    leads = {lead.id: lead for lead in await rows(db, t.Lead)}
    tags = {(tag.org_id, tag.name) for tag in await rows(db, t.Tag)}
    for lead in leads.values():
        assert USERS[lead.owner_id].org_id == lead.org_id
        assert all((lead.org_id, name) in tags for name in lead.tags)
    for task in await rows(db, t.Task):
        assert USERS[task.owner_id].org_id == task.org_id
        assert task.lead_id is None or leads[task.lead_id].org_id == task.org_id
    for note in await rows(db, t.Note):
        assert leads[note.lead_id].org_id == note.org_id == USERS[note.author_id].org_id
    for call in await rows(db, t.Call):
        assert leads[call.lead_id].org_id == call.org_id == USERS[call.user_id].org_id
    for deal in await rows(db, t.Opportunity):
        assert leads[deal.lead_id].org_id == deal.org_id == USERS[deal.owner_id].org_id
    boxes = {box.id: box for box in await rows(db, t.EmailAccount)}
    for email in await rows(db, t.Email):
        box = boxes[email.email_account_id]
        assert box.user_id == email.user_id and box.email == email.from_email
        assert email.lead_id and leads[email.lead_id].email == email.to_email
        assert leads[email.lead_id].org_id == email.org_id == USERS[email.user_id].org_id
    for sms in await rows(db, t.Sms):
        assert leads[sms.lead_id].phone == sms.to_phone
        assert leads[sms.lead_id].org_id == sms.org_id == USERS[sms.user_id].org_id
    sequences = {s.id: s for s in await rows(db, t.Sequence)}
    for enrollment in await rows(db, t.Enrollment):
        assert sequences[enrollment.sequence_id].org_id == leads[enrollment.lead_id].org_id
    for user in DEMO_USERS:
        mine = [box for box in boxes.values() if box.user_id == user.id]
        assert [box.email for box in mine if box.is_default] == [user.email]


# --------------------------------------------------------------------------- determinism


async def test_same_now_gives_identical_databases() -> None:
    async with seeded_database(NOW) as first:
        one = await dump(first)
    async with seeded_database(NOW) as second:
        two = await dump(second)
    assert one == two
    assert sum(len(table) for table in one.values()) > 800


_DUMP_IN_A_NEW_PROCESS = """
import asyncio, hashlib
from tests.sandbox.test_seed import NOW, dump, seeded_database

async def main() -> None:
    async with seeded_database(NOW) as db:
        print(hashlib.sha256(repr(await dump(db)).encode()).hexdigest())

asyncio.run(main())
"""


def test_identical_across_processes_whatever_the_hash_seed() -> None:
    """String hashing differs per process; set iteration order must never reach the data."""
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", _DUMP_IN_A_NEW_PROCESS],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1


# The records the demo data set was when it moved from code into `data/demo.yaml`, at NOW and
# at the clocks either side of midnight. Evals and tests name these rows: a change to the data
# file or the builders that moves any record changes a digest (update it on purpose).
PINNED = {
    NOW: "590639cfe85922f3717fb3775423a418c46e4fb140b5bf25c06b67a4c730e925",
    JUST_AFTER_MIDNIGHT: "ab1f41619a5b75748e36862b34576dd999fbd5362264165cb844e61a40559afd",
    JUST_BEFORE_MIDNIGHT: "d5a7cd3389f28133ea6795b026d5d6b898d3f049b3848e9c9bab68247b51a183",
}


@pytest.mark.parametrize("clock", list(PINNED), ids=["now", "after-midnight", "before-midnight"])
async def test_the_records_are_the_pinned_ones(clock: datetime) -> None:
    async with seeded_database(clock) as db:
        digest = hashlib.sha256(repr(await dump(db)).encode()).hexdigest()
    assert digest == PINNED[clock]


async def test_a_different_now_moves_only_the_dates() -> None:
    def undated(tables: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
        return {
            name: [tuple(v for v in row if not isinstance(v, (date, datetime))) for row in table]
            for name, table in tables.items()
        }

    async with seeded_database(NOW) as first:
        one = await dump(first)
    async with seeded_database(NOW + timedelta(days=200, hours=7)) as second:
        two = await dump(second)
    assert one != two
    assert undated(one) == undated(two)


async def test_a_naive_now_is_refused() -> None:
    engine = create_async_engine("sqlite+aiosqlite://")
    try:
        async with AsyncSession(engine) as session:
            with pytest.raises(ValueError, match="aware"):
                await seed_demo_data(session, now=datetime(2026, 11, 26, 9, 30))  # noqa: DTZ001
    finally:
        await engine.dispose()
