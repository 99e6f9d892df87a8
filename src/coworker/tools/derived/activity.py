"""activity_report: what was done in a period (calls, emails, SMS, notes, tasks done and
created, deals moved), for yesterday, today, this or last week, or a date range, in the
person's timezone.

Whose: calls, notes and deals are organisation-wide in the API and carry their rep, so
"mine" narrows them to the person; emails, SMS and tasks are only ever the key holder's own,
so they are the person's whatever `whose` says, and the result says so. At most 8 calls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from coworker.dialsheet.contract import parse_day
from coworker.dialsheet.words import inline, word
from coworker.errors import ToolInputError
from coworker.tools.derived.reader import (
    Moment,
    Reader,
    Record,
    my_user_id,
    newer_than,
    parse_time,
)

PERIODS = ("yesterday", "today", "this_week", "last_week", "range")
EXAMPLES = 5
MAX_RANGE_DAYS = 92
KINDS = ("calls", "emails", "sms", "notes", "tasks_done", "tasks_created", "deals_moved")


@dataclass(frozen=True, slots=True)
class Window:
    period: str
    first_day: date
    last_day: date  # inclusive
    start: datetime
    end: datetime  # exclusive

    def holds(self, at: datetime | None) -> bool:
        return at is not None and self.start <= at < self.end


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of activity in the window: how many, and a few lines to show."""

    count: int
    examples: tuple[str, ...]
    lead_ids: tuple[str, ...] = ()  # the leads of the examples, to name them (calls have no name)


@dataclass(frozen=True, slots=True)
class ActivityReport:
    window: Window
    whose: str
    me: str | None
    kinds: dict[str, Kind]
    by_day: tuple[tuple[date, dict[str, int]], ...]
    complete: bool

    def __getitem__(self, kind: str) -> Kind:
        return self.kinds[kind]

    def as_json(self) -> dict[str, Any]:
        team = self.whose == "team"
        result: dict[str, Any] = {
            "report": "activity",
            "period": self.window.period,
            "from": self.window.first_day.isoformat(),
            "to": self.window.last_day.isoformat(),
            "whose": "the team's (everyone, you included)" if team else "yours",
            "counts": {kind: self.kinds[kind].count for kind in KINDS},
            "examples": {k: list(v.examples) for k, v in self.kinds.items() if v.examples},
            "example_lead_ids": {k: list(v.lead_ids) for k, v in self.kinds.items() if v.lead_ids},
            "by_day": [{"date": d.isoformat(), **counts} for d, counts in self.by_day],
        }
        if team:
            result["yours_only"] = (
                "emails, sms, tasks_done and tasks_created are yours only: the CRM shows each "
                "person just their own"
            )
        if self.me is None and not team:
            result["note"] = (
                "Could not tell the person's own calls, notes and deals from the team's (they "
                "have no task to learn their CRM user from); those counts are the team's."
            )
        if not self.complete:
            result["note_more"] = "Busy period: counts cover the newest records read."
        return result


def window_of(
    moment: Moment, period: str, since: str | None = None, until: str | None = None
) -> Window:
    """The period as local days: weeks start on Monday; a range's days are inclusive."""
    today = moment.today
    if period == "yesterday":
        first = last = today - timedelta(days=1)
    elif period == "today":
        first = last = today
    elif period == "this_week":
        first, last = today - timedelta(days=today.weekday()), today
    elif period == "last_week":
        first = today - timedelta(days=today.weekday() + 7)
        last = first + timedelta(days=6)
    elif period == "range":
        first_day, last_day = parse_day(since), parse_day(until) if until else today
        if first_day is None or last_day is None:
            raise ToolInputError("A range needs `since` (and optionally `until`) as YYYY-MM-DD.")
        if last_day < first_day:
            raise ToolInputError("`until` is before `since`; give the earlier date first.")
        if (last_day - first_day).days >= MAX_RANGE_DAYS:
            raise ToolInputError(f"A range can span at most {MAX_RANGE_DAYS} days.")
        first, last = first_day, last_day
    else:
        raise ToolInputError(f"period must be one of {', '.join(PERIODS)}.")
    return Window(
        period, first, last, moment.start_of(first), moment.start_of(last + timedelta(days=1))
    )


def call_line(call: Record) -> str:
    return (
        f"{inline(call.get('direction') or 'outbound')} call, "
        f"{inline(call.get('outcome') or 'unknown')}"
        + (f": {call['summary']}" if call.get("summary") else "")
    )


def email_line(email: Record) -> str:
    return f"to {email.get('to_email')}: {email.get('subject')}"


def sms_line(sms: Record) -> str:
    return f"to {sms.get('to_phone')}: {sms.get('message')}"


def _note_line(note: Record) -> str:
    outcome = f" ({inline(note['outcome'])})" if note.get("outcome") else ""
    return f"note{outcome}: {str(note.get('content') or '')[:120]}"


def _deal_line(deal: Record) -> str:
    return f"{deal.get('name')}: now {word(str(deal.get('stage') or 'prospecting'))}"


async def activity_report(
    reader: Reader,
    moment: Moment,
    *,
    period: str = "yesterday",
    since: str | None = None,
    until: str | None = None,
    whose: str = "mine",
) -> ActivityReport:
    window = window_of(moment, period, since, until)
    walks = {
        "calls": ("list_calls", "calls", "started_at", 2),
        "notes": ("list_notes", "notes", "created_at", 2),
        "emails": ("list_emails", "emails", "sent_at", 1),
        "sms": ("list_sms", "sms", "sent_at", 1),
        "deals": ("list_opportunities", "opportunities", "updated_at", 1),
    }
    tasks_walk, *walked = await asyncio.gather(
        reader.walk("list_tasks", "tasks", {}, max_pages=1),
        *(
            reader.walk(op, key, {}, max_pages=pages, keep_going=newer_than(at, window.start))
            for op, key, at, pages in walks.values()
        ),
    )
    lists = dict(zip(walks, walked, strict=True))
    me = await my_user_id(reader, tasks_walk.items)
    narrow = whose == "mine" and me is not None

    def kept(name: str, at_field: str, owner_field: str | None) -> list[Record]:
        return [
            item
            for item in lists[name].items
            if window.holds(parse_time(item.get(at_field)))
            and (not narrow or owner_field is None or item.get(owner_field) == me)
        ]

    def done(task: Record) -> bool:
        return bool(task.get("completed")) and window.holds(parse_time(task.get("completed_at")))

    chosen: dict[str, tuple[list[Record], str, Callable[[Record], str] | None]] = {
        "calls": (kept("calls", "started_at", "user_id"), "started_at", call_line),
        "emails": (kept("emails", "sent_at", None), "sent_at", email_line),
        "sms": (kept("sms", "sent_at", None), "sent_at", sms_line),
        "notes": (kept("notes", "created_at", "author_id"), "created_at", _note_line),
        "tasks_done": ([t for t in tasks_walk.items if done(t)], "completed_at", None),
        "tasks_created": (
            [t for t in tasks_walk.items if window.holds(parse_time(t.get("created_at")))],
            "created_at",
            None,
        ),
        "deals_moved": (kept("deals", "updated_at", "owner_id"), "updated_at", _deal_line),
    }
    kinds: dict[str, Kind] = {}
    days: dict[date, dict[str, int]] = {}
    day = window.first_day
    while day <= window.last_day:
        days[day] = dict.fromkeys(KINDS, 0)
        day += timedelta(days=1)
    for kind, (items, at_field, line) in chosen.items():
        examples = tuple(line(i) for i in items[:EXAMPLES]) if line else ()
        if kind.startswith("tasks"):
            examples = tuple(str(t.get("title")) for t in items[:EXAMPLES])
        lead_ids = tuple(
            dict.fromkeys(str(i["lead_id"]) for i in items[:EXAMPLES] if i.get("lead_id"))
        )
        kinds[kind] = Kind(len(items), examples, lead_ids)
        for item in items:
            at = parse_time(item.get(at_field))
            if at is not None and (local := moment.local(at).date()) in days:
                days[local][kind] += 1
    return ActivityReport(
        window=window,
        whose=whose,
        me=me,
        kinds=kinds,
        by_day=tuple(days.items()),
        complete=all(w.complete for w in walked) and tasks_walk.complete,
    )
