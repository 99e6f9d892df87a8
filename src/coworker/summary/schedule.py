"""Who is due now, and the loop inside `coworker serve` that sends their summaries.

A person is due when, in their own timezone (zoneinfo, so DST is handled by the calendar,
not by offsets we keep), today is one of their weekdays and the wall clock has reached their
summary time. The run for that local date then happens once (see `runs`); each tick simply
asks again, so a restart, a missed minute or a second replica changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from coworker.store.records import UserRecord
from coworker.summary.preferences import WEEKDAYS
from coworker.summary.runs import RunResult, SummaryService, retry_due

log = logging.getLogger("coworker.summary")

TICK_SECONDS = 60.0


def local_now(user: UserRecord, now: datetime) -> datetime:
    """`now` on the person's wall clock (UTC if their timezone is somehow unknown)."""
    try:
        return now.astimezone(ZoneInfo(user.timezone))
    except (KeyError, ValueError):
        return now.astimezone(UTC)


def due_date(user: UserRecord, now: datetime) -> date | None:
    """The local date whose summary is due at `now`, or None (off, wrong day, too early)."""
    if not user.summary_enabled:
        return None
    local = local_now(user, now)
    if WEEKDAYS[local.weekday()] not in user.summary_weekdays.split(","):
        return None
    return local.date() if f"{local:%H:%M}" >= user.summary_time else None


class Scheduler:
    """Checks every `interval` seconds who is due and runs them, `concurrency` at a time."""

    def __init__(
        self,
        service: SummaryService,
        *,
        interval: float = TICK_SECONDS,
        concurrency: int = 8,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.service = service
        self.interval = interval
        self.concurrency = concurrency
        self.sleep = sleep

    async def due_now(self) -> list[tuple[UserRecord, date]]:
        now = self.service.clock()
        candidates = [
            (user, day)
            for user in await self.service.store.summary_users()
            if (day := due_date(user, now)) is not None
        ]
        if not candidates:
            return []
        runs = await self.service.store.summary_runs_since(min(day for _, day in candidates))
        due = []
        for user, day in candidates:
            run = runs.get((user.id, day))
            if run is None or retry_due(run, now):
                due.append((user, day))
        return due

    async def tick(self) -> list[RunResult]:
        """One pass: run everyone due now (each at most once per local date)."""
        gate = asyncio.Semaphore(self.concurrency)

        async def one(user: UserRecord, day: date) -> RunResult:
            async with gate:
                return await self.service.run(user, day)

        return list(await asyncio.gather(*(one(u, d) for u, d in await self.due_now())))

    async def run_forever(self) -> None:
        """Tick now, then every `interval` until cancelled; a failing tick is logged and the
        next one tries again. Ticks are not aligned to the minute: summary times are whole
        minutes, so a summary is at most one interval late, and a server that lives for less
        than a minute (tests, a quick restart) sees only its start-up tick."""
        while True:
            try:
                results = await self.tick()
                sent = sum(r.outcome == "delivered" for r in results)
                if results:
                    log.info("daily summaries: %d delivered, %d attempted", sent, len(results))
            except Exception:
                log.exception("daily summary tick failed; retrying next tick")
            await self.sleep(self.interval)
