"""How derived tools read the CRM: paged, under a shared semaphore, counted, and memoised.

A derived tool answers from a handful of list calls, never one call per record: lists are
walked newest-first (or soonest-due-first) and the walk stops as soon as the records are
older than the window asked about, or at a page cap, so a tool's cost has a ceiling however
big the CRM is (the issue's budget: at most 8 calls for a rep with ~200 leads). One reader
serves one question; the daily summary shares one reader across the tools it asks, so a
list two of them need is read once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

PAGE_LIMIT = 100  # the contract's maximum
Record = dict[str, Any]


class CrmReader(Protocol):
    """What a derived tool needs of the CRM: the same shape as the executor's `CrmCaller`
    (declared here so the catalog can know derived tools without importing the executor)."""

    async def call(self, operation_id: str, arguments: Mapping[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Moment:
    """Where and when the person asks: "today", "yesterday" and "overdue" are theirs."""

    timezone: str
    now: datetime  # aware

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.zone)

    @property
    def today(self) -> date:
        return self.local_now.date()

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0), self.zone)

    def local(self, at: datetime) -> datetime:
        return at.astimezone(self.zone)


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from the API's ISO 8601 text (naive values are taken as UTC)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo("UTC"))


def newer_than(field_name: str, cutoff: datetime) -> Callable[[Record], bool]:
    """A walk's stop rule for a newest-first list: keep records at or after `cutoff`."""

    def check(item: Record) -> bool:
        at = parse_time(item.get(field_name))
        return at is None or at >= cutoff

    return check


@dataclass(frozen=True, slots=True)
class Walked:
    items: list[Record]
    complete: bool  # False when the page cap stopped the walk before the list or window ended


class Reader:
    """Pages through list operations for one question: bounded, counted, memoised."""

    def __init__(self, crm: CrmReader, *, concurrency: int = 4) -> None:
        self.crm = crm
        self.gate = asyncio.Semaphore(concurrency)
        self.calls = 0  # CRM requests made: what the budget counts
        self.me: str | None = None  # the person's CRM user id, once a read revealed it
        self._memo: dict[str, asyncio.Future[dict[str, Any]]] = {}

    async def call(self, operation: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """One CRM call; the same call asked twice (by two tools of one summary) runs once."""
        key = operation + repr(sorted(arguments.items()))
        known = self._memo.get(key)
        if known is not None:
            return await asyncio.shield(known)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._memo[key] = future
        try:
            async with self.gate:
                self.calls += 1
                data = await self.crm.call(operation, arguments)
        except BaseException as error:
            del self._memo[key]
            future.set_exception(error)
            future.exception()  # retrieved: a failure nobody else awaited is not "never seen"
            raise
        future.set_result(data)
        return data

    async def walk(
        self,
        operation: str,
        key: str,
        arguments: Mapping[str, Any],
        *,
        max_pages: int,
        keep_going: Callable[[Record], bool] = lambda _: True,
    ) -> Walked:
        """Records of a list, page by page, until one fails `keep_going` (the list's order
        makes every later one fail too), the list ends, or `max_pages` is reached."""
        found: list[Record] = []
        for page in range(1, max_pages + 1):
            data = await self.call(operation, {**arguments, "page": page, "limit": PAGE_LIMIT})
            items = data.get(key)
            if not isinstance(items, list):
                return Walked(found, True)
            for item in items:
                if not keep_going(item):
                    return Walked(found, True)
                found.append(item)
            total = data.get("total")
            if len(items) < PAGE_LIMIT or (isinstance(total, int) and page * PAGE_LIMIT >= total):
                return Walked(found, True)
        return Walked(found, False)


async def my_user_id(reader: Reader, tasks: list[Record] | None = None) -> str | None:
    """The person's CRM user id. The API has no "who am I", but tasks are always the key
    holder's own, so any task's owner is the person (from `tasks` if already read, else one
    call for a single task). None when they have no task at all: "mine" cannot be told from
    the team's then, and the tools say so."""
    if reader.me is not None:
        return reader.me
    for task in tasks or ():
        if task.get("owner_id"):
            reader.me = str(task["owner_id"])
            return reader.me
    if tasks:
        return None
    data = await reader.call("list_tasks", {"page": 1, "limit": 1})
    first = next(iter(data.get("tasks") or []), None)
    if first and first.get("owner_id"):
        reader.me = str(first["owner_id"])
    return reader.me


def days_between(earlier: datetime, later: datetime) -> int:
    return max(0, (later - earlier) // timedelta(days=1))
