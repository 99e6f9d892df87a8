"""What is on the person's plate: open tasks due by today, their leads and deals, and when
each lead was last touched. One read shared by next_best_actions and the daily summary.

Reads (concurrently, at most 8 calls): open tasks due by today (1 page; tasks come soonest
due first), the newest 200 leads, up to 100 deals, the newest 100 notes and 200 calls (for
"last touched" and the latest call outcome), and, only when the person has no open task,
one task to learn who they are. Leads, deals, notes and calls are organisation-wide, so
they are narrowed to the person's CRM user (`reader.my_user_id`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from coworker.tools.derived.items import (
    DealItem,
    LeadItem,
    TaskItem,
    by_priority,
    deal_item,
    last_touches,
    lead_item,
    task_item,
)
from coworker.tools.derived.reader import Moment, Reader, Record, my_user_id, newer_than, parse_time

STALE_DAYS = 14
LOOKBACK_DAYS = 90  # how far back touches and outcomes are read
LEAD_PAGES = 2
DEAL_PAGES = 1
NOTE_PAGES = 1
CALL_PAGES = 2
WARM_OUTCOMES = frozenset({"interested", "callback", "meeting_booked"})


@dataclass(frozen=True, slots=True)
class Agenda:
    moment: Moment
    me: str | None
    stale_days: int
    overdue: tuple[TaskItem, ...]  # due before now, where the person is
    due_today: tuple[TaskItem, ...]
    leads: tuple[LeadItem, ...]  # the person's, newest first, within reach
    lead_names: dict[str, str]  # every lead read (anyone's), for naming tasks and deals
    deals: tuple[DealItem, ...]  # the person's, with each lead's last touch
    touched: dict[str, datetime]  # lead id -> latest note or call
    outcome: dict[str, tuple[str, datetime]]  # lead id -> latest call/note outcome and when
    complete: bool

    @property
    def quiet_since(self) -> datetime:
        return self.moment.now - timedelta(days=self.stale_days)

    def stale_deals(self) -> list[DealItem]:
        """Open deals on leads with no note or call in `stale_days`, biggest first."""
        quiet = [
            d
            for d in self.deals
            if d.open and (d.last_activity is None or d.last_activity < self.quiet_since)
        ]
        return sorted(quiet, key=lambda d: (-d.value, d.name))


def _latest_outcomes(notes: list[Record], calls: list[Record]) -> dict[str, tuple[str, datetime]]:
    latest: dict[str, tuple[str, datetime]] = {}
    for raw, at_field in [*((n, "created_at") for n in notes), *((c, "started_at") for c in calls)]:
        at, lead_id, said = parse_time(raw.get(at_field)), raw.get("lead_id"), raw.get("outcome")
        if at is None or not isinstance(lead_id, str) or not isinstance(said, str):
            continue
        if lead_id not in latest or at > latest[lead_id][1]:
            latest[lead_id] = (said, at)
    return latest


async def agenda(reader: Reader, moment: Moment, *, stale_days: int = STALE_DAYS) -> Agenda:
    today = moment.today

    def due_by_today(task: Record) -> bool:
        due = parse_time(task.get("due_date"))
        return due is not None and moment.local(due).date() <= today

    back = newer_than("created_at", moment.now - timedelta(days=LOOKBACK_DAYS))
    back_calls = newer_than("started_at", moment.now - timedelta(days=LOOKBACK_DAYS))
    tasks, leads, deals, notes, calls = await asyncio.gather(
        reader.walk(
            "list_tasks", "tasks", {"completed": False}, max_pages=1, keep_going=due_by_today
        ),
        reader.walk("search_leads", "leads", {}, max_pages=LEAD_PAGES),
        reader.walk("list_opportunities", "opportunities", {}, max_pages=DEAL_PAGES),
        reader.walk("list_notes", "notes", {}, max_pages=NOTE_PAGES, keep_going=back),
        reader.walk("list_calls", "calls", {}, max_pages=CALL_PAGES, keep_going=back_calls),
    )
    me = await my_user_id(reader, tasks.items)

    def mine(record: Record) -> bool:
        return me is None or record.get("owner_id") == me

    overdue: list[TaskItem] = []
    due_today: list[TaskItem] = []
    for raw in tasks.items:
        task = task_item(raw, moment)
        if task is not None:
            (due_today if task.due >= moment.local_now else overdue).append(task)
    touched = last_touches(notes.items, calls.items)
    lead_items = [item for raw in leads.items if (item := lead_item(raw)) is not None]
    return Agenda(
        moment=moment,
        me=me,
        stale_days=stale_days,
        overdue=tuple(sorted(overdue, key=by_priority)),
        due_today=tuple(sorted(due_today, key=by_priority)),
        leads=tuple(
            sorted(
                (lead for lead in lead_items if me is None or lead.owner_id == me),
                key=lambda lead: lead.created_at,
                reverse=True,
            )
        ),
        lead_names={lead.id: lead.name for lead in lead_items},
        deals=tuple(
            deal_item(raw, touched.get(str(raw.get("lead_id") or "")))
            for raw in deals.items
            if mine(raw)
        ),
        touched=touched,
        outcome=_latest_outcomes(notes.items, calls.items),
        complete=all(w.complete for w in (leads, deals, notes, calls)),
    )
