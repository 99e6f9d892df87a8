"""The typed records derived tools compute with, shared with the daily summary.

Built once from the API's raw JSON here, so the tools and the summary read a task, a lead
or a deal the same way (one place that knows the field names).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from coworker.dialsheet.contract import parse_day
from coworker.dialsheet.words import enum_codes
from coworker.tools.derived.reader import Moment, Record, parse_time

CLOSED_STAGES = frozenset({"closed_won", "closed_lost"})
STAGE_ORDER = enum_codes("OpportunityStage")
PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}


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
    owner_id: str | None = None


@dataclass(frozen=True, slots=True)
class DealItem:
    id: str
    name: str
    stage: str
    value: float
    currency: str
    lead_id: str
    last_activity: datetime | None  # the lead's latest note or call, if within reach
    owner_id: str | None = None
    expected_close: date | None = None
    created_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.stage not in CLOSED_STAGES


def task_item(raw: Record, moment: Moment) -> TaskItem | None:
    due = parse_time(raw.get("due_date"))
    if raw.get("completed") or due is None:
        return None
    return TaskItem(
        id=str(raw.get("id")),
        title=str(raw.get("title") or "(untitled task)"),
        priority=str(raw.get("priority") or "medium"),
        due=moment.local(due),
        lead_id=raw.get("lead_id"),
    )


def lead_item(raw: Record) -> LeadItem | None:
    created = parse_time(raw.get("created_at"))
    if created is None:
        return None
    return LeadItem(
        id=str(raw.get("id")),
        name=str(raw.get("name") or "(no name)"),
        company=raw.get("company"),
        status=raw.get("status"),
        source=raw.get("source"),
        created_at=created,
        owner_id=raw.get("owner_id"),
    )


def deal_item(raw: Record, last_activity: datetime | None = None) -> DealItem:
    return DealItem(
        id=str(raw.get("id")),
        name=str(raw.get("name") or "(unnamed deal)"),
        stage=str(raw.get("stage") or "prospecting"),
        value=float(raw.get("value") or 0),
        currency=str(raw.get("currency") or "USD"),
        lead_id=str(raw.get("lead_id") or ""),
        last_activity=last_activity,
        owner_id=raw.get("owner_id"),
        expected_close=parse_day(raw.get("expected_close_date")),
        created_at=parse_time(raw.get("created_at")),
    )


def by_priority(task: TaskItem) -> tuple[int, datetime]:
    return PRIORITY_RANK.get(task.priority, 1), task.due


def stage_rank(stage: str) -> tuple[int, str]:
    return (STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER), stage)


def last_touches(notes: list[Record], calls: list[Record]) -> dict[str, datetime]:
    """Each lead's latest note or call: what "touched" and "quiet" are measured by."""
    last: dict[str, datetime] = {}
    for raw, at_field in [*((n, "created_at") for n in notes), *((c, "started_at") for c in calls)]:
        at, lead_id = parse_time(raw.get(at_field)), raw.get("lead_id")
        if (
            at is not None
            and isinstance(lead_id, str)
            and (lead_id not in last or at > last[lead_id])
        ):
            last[lead_id] = at
    return last


def whose_label(owner_id: str | None, me: str | None) -> str:
    """Whose a record is, in words the model repeats: "you" or "a teammate"."""
    if me is None or owner_id is None:
        return "unknown"
    return "you" if owner_id == me else "a teammate"
