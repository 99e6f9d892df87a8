"""Gather one person's day for the daily summary, through the derived tools.

One source of truth: the summary's sections are what the derived read tools
(`tools/derived/`) compute for the same person at the same moment: tasks, new leads and
quiet deals from the agenda `next_best_actions` ranks, the pipeline from `pipeline_report`,
yesterday from `activity_report`. They share one reader, so a list two of them need is read
once, and the model only writes prose around facts it was handed (the offline renderer says
the same thing without a model).

Whose data: tasks, emails and SMS come back as the key holder's own; leads, deals, notes and
calls are organisation-wide, so they are narrowed to the person's own CRM user id, which the
owner of their tasks reveals (the API has no "who am I"). Without any task to learn it from,
the organisation's records are used unfiltered.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from coworker.dialsheet.words import inline, word
from coworker.tools.derived.activity import Kind, activity_report
from coworker.tools.derived.agenda import STALE_DAYS, agenda
from coworker.tools.derived.items import CLOSED_STAGES, DealItem, LeadItem, TaskItem
from coworker.tools.derived.pipeline import StageTotal, pipeline_report
from coworker.tools.derived.reader import CrmReader, Moment, Reader, parse_time

# Yesterday's calls, emails or SMS: the count, and a few lines to show.
Activity = Kind

__all__ = [
    "CLOSED_STAGES",
    "STALE_DAYS",
    "Activity",
    "DealItem",
    "LeadItem",
    "StageTotal",
    "SummaryData",
    "TaskItem",
    "gather",
    "parse_time",
]


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
        """A compact, model-friendly form (dates as ISO strings, no empty sections); codes
        are given as the words a person reads (`dialsheet/words.py`), so the model's prose
        says "Closed won", never `closed_won`."""

        def task(t: TaskItem) -> dict[str, Any]:
            return {"title": t.title, "priority": inline(t.priority), "due": t.due.isoformat()}

        return {
            "person": self.person,
            "timezone": self.timezone,
            "date": self.local_date.isoformat(),
            "weekday": self.local_date.strftime("%A"),
            "new_leads_since": self.since.isoformat(),
            "tasks_due_today": [task(t) for t in self.due_today],
            "tasks_overdue": [task(t) for t in self.overdue],
            "new_leads": [
                {
                    "name": lead.name,
                    "company": lead.company,
                    "source": word(lead.source) if lead.source else None,
                }
                for lead in self.new_leads
            ],
            "stale_deals": [
                {
                    "name": d.name,
                    "stage": word(d.stage),
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
                {"stage": word(s.stage), "count": s.count, "value": s.value} for s in self.pipeline
            ],
            "yesterday": {
                "calls": {"count": self.calls.count, "examples": list(self.calls.examples)},
                "emails": {"count": self.emails.count, "examples": list(self.emails.examples)},
                "sms": {"count": self.sms.count, "examples": list(self.sms.examples)},
            },
        }


async def gather(
    crm: CrmReader,
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
    moment = Moment(timezone, now)
    since = since or now - timedelta(hours=24)
    reader = Reader(crm, concurrency=concurrency)
    # The agenda first: its read of the person's tasks tells the other two who they are.
    plan = await agenda(reader, moment, stale_days=stale_days)
    pipeline, yesterday = await asyncio.gather(
        pipeline_report(reader, moment, whose="mine"),
        activity_report(reader, moment, period="yesterday", whose="mine"),
    )
    return SummaryData(
        person=person,
        timezone=timezone,
        local_date=moment.today,
        generated_at=now,
        since=since,
        stale_days=stale_days,
        due_today=plan.due_today,
        overdue=plan.overdue,
        new_leads=tuple(lead for lead in plan.leads if lead.created_at >= since),
        stale_deals=tuple(plan.stale_deals()),
        pipeline=pipeline.mine,
        calls=yesterday["calls"],
        emails=yesterday["emails"],
        sms=yesterday["sms"],
    )
