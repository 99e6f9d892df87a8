"""Gather one person's day from the CRM: deterministic, read-only, bounded concurrency.

Everything the summary says comes from here, so that the model only writes prose around
facts it was handed (and the offline renderer can say the same thing without a model).
Lists are walked newest-first (or soonest-due-first for tasks) and the walk stops as soon
as the records are older than the window we care about, so a person's summary costs a
handful of requests however big the CRM is.

Whose data: tasks, emails and SMS come back as the key holder's own; leads, deals, notes and
calls are organisation-wide, so they are narrowed to the person's own CRM user id, which the
owner of their tasks reveals (the API has no "who am I"). Without any task to learn it from,
the organisation's records are used unfiltered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from coworker.tools.executor import CrmCaller

STALE_DAYS = 14
CLOSED_STAGES = frozenset({"closed_won", "closed_lost"})
STAGE_ORDER = (
    "prospecting",
    "qualification",
    "proposal",
    "negotiation",
    "closed_won",
    "closed_lost",
)
PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}
PAGE_LIMIT = 100  # the contract's maximum
MAX_PAGES = 20  # a hard stop per list, whatever the CRM answers
ITEMS_PER_KIND = 5  # yesterday's calls, emails and SMS shown by example


@dataclass(frozen=True, slots=True)
class TaskItem:
    id: str
    title: str
    priority: str
    due: datetime  # in the person's timezone
    lead_id: str | None


@dataclass(frozen=True, slots=True)
class LeadItem:
    id: str
    name: str
    company: str | None
    status: str | None
    source: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DealItem:
    id: str
    name: str
    stage: str
    value: float
    currency: str
    lead_id: str
    last_activity: datetime | None  # the lead's latest note or call, if within reach


@dataclass(frozen=True, slots=True)
class StageTotal:
    stage: str
    count: int
    value: float


@dataclass(frozen=True, slots=True)
class Activity:
    """Yesterday's calls, emails or SMS: the count, and a few lines to show."""

    count: int
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SummaryData:
    person: str | None
    timezone: str
    local_date: date
    generated_at: datetime
    since: datetime  # new leads are counted from here
    stale_days: int
    due_today: tuple[TaskItem, ...]
    overdue: tuple[TaskItem, ...]
    new_leads: tuple[LeadItem, ...]
    stale_deals: tuple[DealItem, ...]
    pipeline: tuple[StageTotal, ...]
    calls: Activity
    emails: Activity
    sms: Activity

    def as_json(self) -> dict[str, Any]:
        """A compact, model-friendly form (dates as ISO strings, no empty sections)."""

        def task(t: TaskItem) -> dict[str, Any]:
            return {"title": t.title, "priority": t.priority, "due": t.due.isoformat()}

        return {
            "person": self.person,
            "timezone": self.timezone,
            "date": self.local_date.isoformat(),
            "weekday": self.local_date.strftime("%A"),
            "new_leads_since": self.since.isoformat(),
            "tasks_due_today": [task(t) for t in self.due_today],
            "tasks_overdue": [task(t) for t in self.overdue],
            "new_leads": [
                {"name": lead.name, "company": lead.company, "source": lead.source}
                for lead in self.new_leads
            ],
            "stale_deals": [
                {
                    "name": d.name,
                    "stage": d.stage,
                    "value": d.value,
                    "currency": d.currency,
                    "last_activity": d.last_activity.date().isoformat()
                    if d.last_activity
                    else None,
                }
                for d in self.stale_deals
            ],
            "stale_after_days": self.stale_days,
            "pipeline": [
                {"stage": s.stage, "count": s.count, "value": s.value} for s in self.pipeline
            ],
            "yesterday": {
                "calls": {"count": self.calls.count, "examples": list(self.calls.examples)},
                "emails": {"count": self.emails.count, "examples": list(self.emails.examples)},
                "sms": {"count": self.sms.count, "examples": list(self.sms.examples)},
            },
        }


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from the API's ISO 8601 text (naive values are taken as UTC)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo("UTC"))


class _Reader:
    """Pages through list operations under a shared semaphore (the bounded concurrency)."""

    def __init__(self, crm: CrmCaller, concurrency: int) -> None:
        self.crm = crm
        self.gate = asyncio.Semaphore(concurrency)

    async def walk(
        self,
        operation: str,
        key: str,
        arguments: Mapping[str, Any],
        keep_going: Callable[[dict[str, Any]], bool] = lambda _: True,
    ) -> list[dict[str, Any]]:
        """Records of a list, page by page, until one record fails `keep_going` (the list's
        order makes every later one fail too), the list ends, or `MAX_PAGES` is reached."""
        found: list[dict[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            async with self.gate:
                data = await self.crm.call(
                    operation, {**arguments, "page": page, "limit": PAGE_LIMIT}
                )
            items = data.get(key)
            if not isinstance(items, list):
                return found
            for item in items:
                if not keep_going(item):
                    return found
                found.append(item)
            total = data.get("total")
            if len(items) < PAGE_LIMIT or (isinstance(total, int) and page * PAGE_LIMIT >= total):
                return found
        return found


async def gather(
    crm: CrmCaller,
    *,
    timezone: str,
    now: datetime,
    since: datetime | None = None,
    person: str | None = None,
    stale_days: int = STALE_DAYS,
    concurrency: int = 4,
) -> SummaryData:
    """Read everything the summary needs for the person's local day containing `now`.

    `since` is when the previous summary went out (new leads are counted from there);
    without one, the last 24 hours.
    """
    zone = ZoneInfo(timezone)
    local_now = now.astimezone(zone)
    today = local_now.date()
    day_start = datetime.combine(today, time(0), zone)
    yesterday_start = datetime.combine(today - timedelta(days=1), time(0), zone)
    since = since or now - timedelta(hours=24)
    activity_from = min(now - timedelta(days=stale_days), yesterday_start)
    reader = _Reader(crm, concurrency)

    def due_by_today(task: dict[str, Any]) -> bool:
        due = parse_time(task.get("due_date"))
        return due is not None and due.astimezone(zone).date() <= today

    def newer_than(field_name: str, cutoff: datetime) -> Callable[[dict[str, Any]], bool]:
        def check(item: dict[str, Any]) -> bool:
            at = parse_time(item.get(field_name))
            return at is None or at >= cutoff

        return check

    tasks, leads, deals, notes, calls, emails, sms = await asyncio.gather(
        reader.walk("list_tasks", "tasks", {"completed": False}, due_by_today),
        reader.walk("search_leads", "leads", {}, newer_than("created_at", since)),
        reader.walk("list_opportunities", "opportunities", {}),
        reader.walk("list_notes", "notes", {}, newer_than("created_at", activity_from)),
        reader.walk("list_calls", "calls", {}, newer_than("started_at", activity_from)),
        reader.walk("list_emails", "emails", {}, newer_than("sent_at", yesterday_start)),
        reader.walk("list_sms", "sms", {}, newer_than("sent_at", yesterday_start)),
    )
    me = next((t.get("owner_id") for t in tasks if t.get("owner_id")), None)

    def mine(record: dict[str, Any], owner_field: str) -> bool:
        return me is None or record.get(owner_field) == me

    due_today: list[TaskItem] = []
    overdue: list[TaskItem] = []
    for raw in tasks:
        due = parse_time(raw.get("due_date"))
        if raw.get("completed") or due is None:
            continue
        item = TaskItem(
            id=str(raw.get("id")),
            title=str(raw.get("title") or "(untitled task)"),
            priority=str(raw.get("priority") or "medium"),
            due=due.astimezone(zone),
            lead_id=raw.get("lead_id"),
        )
        (due_today if item.due >= day_start else overdue).append(item)

    def by_priority(t: TaskItem) -> tuple[int, datetime]:
        return PRIORITY_RANK.get(t.priority, 1), t.due

    new_leads = [
        LeadItem(
            id=str(raw.get("id")),
            name=str(raw.get("name") or "(no name)"),
            company=raw.get("company"),
            status=raw.get("status"),
            source=raw.get("source"),
            created_at=created,
        )
        for raw in leads
        if mine(raw, "owner_id")
        and (created := parse_time(raw.get("created_at"))) is not None
        and created >= since
    ]

    last_touch: dict[str, datetime] = {}
    for raw, at_field in [*((n, "created_at") for n in notes), *((c, "started_at") for c in calls)]:
        at, lead_id = parse_time(raw.get(at_field)), raw.get("lead_id")
        if at is not None and isinstance(lead_id, str):
            if lead_id not in last_touch or at > last_touch[lead_id]:
                last_touch[lead_id] = at
    quiet_since = now - timedelta(days=stale_days)

    my_deals = [d for d in deals if mine(d, "owner_id")]
    totals: dict[str, tuple[int, float]] = {}
    stale: list[DealItem] = []
    for raw in my_deals:
        stage = str(raw.get("stage") or "prospecting")
        value = float(raw.get("value") or 0)
        count, total = totals.get(stage, (0, 0.0))
        totals[stage] = (count + 1, total + value)
        lead_id = str(raw.get("lead_id") or "")
        touched = last_touch.get(lead_id)
        if stage not in CLOSED_STAGES and (touched is None or touched < quiet_since):
            stale.append(
                DealItem(
                    id=str(raw.get("id")),
                    name=str(raw.get("name") or "(unnamed deal)"),
                    stage=stage,
                    value=value,
                    currency=str(raw.get("currency") or "USD"),
                    lead_id=lead_id,
                    last_activity=touched,
                )
            )

    def stage_rank(stage: str) -> tuple[int, str]:
        return (STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER), stage)

    pipeline = [StageTotal(stage, *totals[stage]) for stage in sorted(totals, key=stage_rank)]

    def yesterdays(
        items: list[dict[str, Any]], at_field: str, line: Callable[[dict[str, Any]], str]
    ) -> Activity:
        kept = [
            item
            for item in items
            if (at := parse_time(item.get(at_field))) is not None
            and yesterday_start <= at < day_start
        ]
        return Activity(len(kept), tuple(line(item) for item in kept[:ITEMS_PER_KIND]))

    my_calls = [c for c in calls if mine(c, "user_id")]
    return SummaryData(
        person=person,
        timezone=timezone,
        local_date=today,
        generated_at=now,
        since=since,
        stale_days=stale_days,
        due_today=tuple(sorted(due_today, key=by_priority)),
        overdue=tuple(sorted(overdue, key=by_priority)),
        new_leads=tuple(sorted(new_leads, key=lambda lead: lead.created_at, reverse=True)),
        stale_deals=tuple(sorted(stale, key=lambda d: d.value, reverse=True)),
        pipeline=tuple(pipeline),
        calls=yesterdays(
            my_calls,
            "started_at",
            lambda c: (
                f"{c.get('direction', 'outbound')} call, {c.get('outcome', 'unknown')}"
                + (f": {c['summary']}" if c.get("summary") else "")
            ),
        ),
        emails=yesterdays(
            emails, "sent_at", lambda e: f"to {e.get('to_email')}: {e.get('subject')}"
        ),
        sms=yesterdays(sms, "sent_at", lambda s: f"to {s.get('to_phone')}: {s.get('message')}"),
    )
