"""Turns the demo plan (`demo.py`, from `data/demo.yaml`) into rows: organisations, users,
tags, leads, mailboxes, deals, sequences and enrollments. `activity.py` adds what people did.

Determinism: one `random.Random(SEED)` consumed in a fixed order (never the global random,
never iteration over a set), and ids from `demo_id` (uuid5), so the same `now` always gives
the same rows. The random draws never depend on `now`, so only the timestamps move with it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from coworker.sandbox.demo import (
    COMPANIES,
    DEMO_USERS,
    FIRST_NAMES,
    JOB_TITLES,
    LAST_NAMES,
    LEAD_STATUS_MIX,
    OPEN_STAGES,
    ORG_PLANS,
    PRODUCTS,
    SEED,
    SOURCES,
    STAGE_MIX,
    USER_PHONES,
    DemoUser,
    OrgPlan,
    SpecialLead,
    demo_id,
)
from coworker.sandbox.tables import (
    Base,
    EmailAccount,
    Enrollment,
    Lead,
    Opportunity,
    Organization,
    Tag,
    User,
    hash_api_key,
)
from coworker.sandbox.tables import Sequence as SequenceRow

T = TypeVar("T")

# --------------------------------------------------------------------------- helpers


def spread(rng: random.Random, mix: Sequence[tuple[T, int]], n: int) -> list[T]:
    """`n` values in the proportions of `mix`, shuffled.

    Exact shares (largest remainder) rather than independent draws, so "about 35% new" holds
    for every org size instead of only on average.
    """
    total = sum(weight for _, weight in mix)
    exact = [n * weight / total for _, weight in mix]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(mix)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    values = [value for (value, _), count in zip(mix, counts, strict=True) for _ in range(count)]
    rng.shuffle(values)
    return values


def _domain(company: str) -> str:
    return re.sub(r"[^a-z0-9]", "", company.lower()) + ".example"


def first_name(name: str) -> str:
    return name.split()[0]


def slug_of(user: DemoUser) -> str:
    """`alex` for alex@northwind.example: the part of a user's row ids that names them."""
    return user.email.split("@")[0]


class Clock:
    """Places every timestamp relative to `now`, so the demo is always current."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.today = now.date()

    def ago(self, low: timedelta, high: timedelta) -> datetime:
        """A moment between `high` and `low` before now, to the second."""
        seconds = self.rng.randint(int(low.total_seconds()), int(high.total_seconds()))
        return self.now - timedelta(seconds=seconds)

    def between(self, start: datetime, end: datetime) -> datetime:
        """A moment in [start, end]; `start` itself if the window is empty."""
        span = max(0, int((end - start).total_seconds()))
        return start + timedelta(seconds=self.rng.randint(0, span))

    def on_day(self, days_from_today: int, hour: int, minute: int = 0) -> datetime:
        """A UTC wall-clock time on today's date shifted by `days_from_today`."""
        day = self.today + timedelta(days=days_from_today)
        return datetime.combine(day, time(hour, minute), tzinfo=UTC)

    def business_hours(self, days_from_today: int) -> datetime:
        """A random quarter hour between 13:00 and 20:45 UTC (a US working day)."""
        hour = self.rng.randint(13, 20)
        return self.on_day(days_from_today, hour, self.rng.choice((0, 15, 30, 45)))

    def yesterday(self) -> datetime:
        """A moment yesterday (UTC date) between 13:00 and 22:00."""
        return self.on_day(-1, 13) + timedelta(seconds=self.rng.randint(0, 9 * 3600))


MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


# --------------------------------------------------------------------------- the builder


class DemoBuilder:
    """Builds every demo row in a fixed order from one random generator."""

    def __init__(self, now: datetime) -> None:
        self.rng = random.Random(SEED)
        self.clock = Clock(self.rng, now)
        self.now = now
        self.users = {u.email: u for u in DEMO_USERS}
        self.leads: dict[str, list[Lead]] = {}  # by org id
        self.special: dict[tuple[str, str], Lead] = {}  # by (org key, slug)
        self.special_ids: set[str] = set()
        self.recent: set[str] = set()  # lead ids created in the last 24 hours
        self.stale: set[str] = set()  # lead ids of stale open deals
        self.live_deals: dict[str, list[Lead]] = {}  # by org id: leads of the other open deals
        self.mailboxes: dict[str, list[EmailAccount]] = {}  # by user id

    def org_users(self, org: OrgPlan) -> list[DemoUser]:
        return [u for u in DEMO_USERS if u.org_id == org.id]

    def is_special(self, lead: Lead) -> bool:
        return lead.id in self.special_ids

    def owned(self, user: DemoUser, *, quiet_ok: bool = True) -> list[Lead]:
        """The user's random leads that have been around for a while: random tasks, calls
        from yesterday and sent mail go to these. Named leads are left out, so a demo about
        Jane Smith meets only the activity placed on purpose."""
        return [
            lead for lead in self.leads[user.org_id]
            if lead.owner_id == user.id
            and not self.is_special(lead)
            and lead.id not in self.recent
            and lead.created_at < self.now - 15 * DAY
            and (quiet_ok or lead.id not in self.stale)
        ]

    # -- organisations, users, tags

    def organizations(self) -> list[Base]:
        return [Organization(id=org.id, name=org.name) for org in ORG_PLANS]

    def user_rows(self) -> list[Base]:
        return [
            User(id=u.id, org_id=u.org_id, name=u.name, email=u.email,
                 phone=USER_PHONES[u.email], api_key_hash=hash_api_key(u.key))
            for u in DEMO_USERS
        ]

    def tags(self, org: OrgPlan) -> list[Base]:
        return [
            Tag(id=demo_id("tag", f"{org.key}:{name}"), org_id=org.id, name=name, color=color,
                created_at=self.now - (150 - i) * DAY)
            for i, (name, color) in enumerate(org.tags)
        ]

    # -- leads

    def lead_rows(self, org: OrgPlan, phones: set[str]) -> list[Lead]:
        """The named leads, then random ones; `phones` collects numbers already in use."""
        rows = [self._special_lead(org, spec) for spec in org.special_leads]
        names = {spec.name for spec in org.special_leads}
        count = org.lead_count - len(rows)
        statuses = spread(self.rng, LEAD_STATUS_MIX, count)
        users = self.org_users(org)
        owners = spread(self.rng, list(zip(users, org.owner_weights, strict=True)), count)
        new_ones = [i for i, status in enumerate(statuses) if status == "new"]
        recent = set(new_ones[: org.recent_leads])
        tag_names = [name for name, _ in org.tags]
        for i in range(count):
            first, last = self._unique_name(names)
            company = self.rng.choice(COMPANIES)
            local = self.rng.choice((f"{first}.{last}", f"{first[0]}{last}")).lower()
            email = None if self.rng.random() < 0.03 else f"{local}@{_domain(company)}"
            phone = None if self.rng.random() < 0.10 else self._unique_phone(phones)
            if i in recent:
                created = self.clock.ago(20 * MINUTE, 23 * HOUR)
            else:
                created = self.clock.ago(26 * HOUR, 120 * DAY)
            updated = created if statuses[i] == "new" else self.clock.between(created, self.now)
            lead = Lead(
                id=demo_id("lead", f"{org.key}:{i + 1}"), org_id=org.id, owner_id=owners[i].id,
                name=f"{first} {last}", email=email, phone=phone, company=company,
                title=self.rng.choice(JOB_TITLES), status=statuses[i],
                source=self.rng.choice(SOURCES),
                tags=self.rng.sample(tag_names, k=self.rng.choice((0, 0, 1, 1, 2))),
                created_at=created, updated_at=updated,
            )
            if i in recent:
                self.recent.add(lead.id)
            rows.append(lead)
        self.leads[org.id] = rows
        return rows

    def _special_lead(self, org: OrgPlan, spec: SpecialLead) -> Lead:
        created = self.now - timedelta(hours=spec.hours_ago)
        updated = created if spec.status == "new" else created + (self.now - created) / 2
        lead = Lead(
            id=demo_id("lead", f"{org.key}:{spec.slug}"), org_id=org.id,
            owner_id=self.users[spec.owner].id, name=spec.name, email=spec.email,
            phone=spec.phone, company=spec.company, title=spec.title, status=spec.status,
            source=spec.source, tags=list(spec.tags), created_at=created, updated_at=updated,
        )
        self.special[(org.key, spec.slug)] = lead
        self.special_ids.add(lead.id)
        if spec.hours_ago < 24:
            self.recent.add(lead.id)
        return lead

    def _unique_name(self, taken: set[str]) -> tuple[str, str]:
        while True:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            if f"{first} {last}" not in taken:
                taken.add(f"{first} {last}")
                return first, last

    def _unique_phone(self, taken: set[str]) -> str:
        """A fictional +1-555-0NN-NNNN number not used by any other lead."""
        while True:
            phone = f"+1-555-0{self.rng.randint(10, 99)}-{self.rng.randint(1000, 9999)}"
            if phone not in taken:
                taken.add(phone)
                return phone

    # -- mailboxes

    def email_accounts(self, org: OrgPlan) -> list[Base]:
        """Two mailboxes per user: the work one (default) and a second, e.g. a shared alias."""
        rows: list[Base] = []
        for user in self.org_users(org):
            slug = slug_of(user)
            domain = user.email.split("@")[1].replace(".example", "-mail.example")
            first, last = user.name.lower().split()
            work, second = org.mailbox_providers
            boxes = [
                EmailAccount(id=demo_id("email_account", f"{slug}:primary"), user_id=user.id,
                             email=user.email, display_name=user.name, provider=work,
                             is_default=True),
                EmailAccount(id=demo_id("email_account", f"{slug}:secondary"), user_id=user.id,
                             email=f"{first}.{last}@{domain}",
                             display_name=f"{user.name} ({user.org_name})", provider=second,
                             is_default=False),
            ]
            self.mailboxes[user.id] = boxes
            rows.extend(boxes)
        return rows

    # -- deals, sequences, enrollments

    def opportunities(self, org: OrgPlan) -> list[Opportunity]:
        """Deals across all stages; the first few open ones on old leads are left stale.

        Every other open deal gets a recent call (see `calls`), so the stale ones are exactly
        those chosen here and the daily summary has a short, deliberate list to report.
        """
        rows: list[Opportunity] = []
        for spec in org.special_leads:
            if spec.deal is not None:
                lead = self.special[(org.key, spec.slug)]
                name, value, stage, close_in = spec.deal
                rows.append(self._deal(org, len(rows) + 1, lead, name, value, stage,
                                       self.clock.today + timedelta(days=close_in)))
        candidates = [
            lead for lead in self.leads[org.id]
            if lead.status in ("contacted", "qualified", "customer")
            and not self.is_special(lead) and lead.id not in self.recent
        ]
        count = org.opportunities - len(rows)
        stages = spread(self.rng, STAGE_MIX, count)
        stale = 0
        for lead, stage in zip(self.rng.sample(candidates, count), stages, strict=True):
            value = float(self.rng.randrange(2000, 250_001, 250))
            product = self.rng.choice(PRODUCTS)
            name = f"{lead.company} - {product[0].upper()}{product[1:]}"
            if stage in OPEN_STAGES:
                no_date = self.rng.random() < 0.15
                close = None if no_date else self.clock.today + self.rng.randint(0, 90) * DAY
            else:
                close = self.clock.today - self.rng.randint(1, 60) * DAY
            deal = self._deal(org, len(rows) + 1, lead, name, value, stage, close)
            quiet_enough = lead.created_at < self.now - 30 * DAY
            if stage in OPEN_STAGES and quiet_enough and stale < org.stale_deals:
                stale += 1
                self.stale.add(lead.id)
                deal.updated_at = self.clock.ago(15 * DAY, 28 * DAY)
                deal.created_at = max(lead.created_at, deal.updated_at - 10 * DAY)
            rows.append(deal)
        leads = {lead.id: lead for lead in self.leads[org.id]}
        self.live_deals[org.id] = [
            leads[deal.lead_id] for deal in rows
            if deal.stage in OPEN_STAGES and deal.lead_id not in self.stale
        ]
        return rows

    def _deal(self, org: OrgPlan, n: int, lead: Lead, name: str, value: float, stage: str,
              close: date | None) -> Opportunity:
        created = self.clock.between(lead.created_at, self.now - DAY)
        return Opportunity(
            id=demo_id("opportunity", f"{org.key}:{n}"), org_id=org.id, lead_id=lead.id,
            owner_id=lead.owner_id, name=name, value=value, currency="USD", stage=stage,
            expected_close_date=close, created_at=created,
            updated_at=self.clock.between(created, self.now - HOUR),
        )

    def sequences(self, org: OrgPlan) -> list[SequenceRow]:
        return [
            SequenceRow(id=demo_id("sequence", f"{org.key}:{i + 1}"), org_id=org.id, name=name,
                        description=description, status=status, step_count=steps,
                        created_at=self.now - (140 - 10 * i) * DAY)
            for i, (name, description, steps, status) in enumerate(org.sequences)
        ]

    def enrollments(self, org: OrgPlan, sequence: SequenceRow) -> list[Base]:
        """A few random new/contacted leads in the org's first sequence (never a named one,
        so enrolling Jane Smith or an Acme lead in a demo does not hit a duplicate)."""
        pool = [
            lead for lead in self.leads[org.id]
            if lead.status in ("new", "contacted") and not self.is_special(lead)
            and lead.id not in self.recent and lead.id not in self.stale
        ]
        return [
            Enrollment(id=demo_id("enrollment", f"{org.key}:{i + 1}"), sequence_id=sequence.id,
                       lead_id=lead.id, status="active",
                       enrolled_at=max(lead.created_at + HOUR, self.clock.ago(DAY, 20 * DAY)))
            for i, lead in enumerate(self.rng.sample(pool, org.enrollments))
        ]
