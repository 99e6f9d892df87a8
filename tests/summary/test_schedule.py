"""The schedule under time travel: local time, weekends, DST, exactly once, retries."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from coworker.runtime import Runtime, open_runtime
from coworker.store.records import UserRecord
from coworker.summary.deliver import RenderedSummary
from coworker.summary.runs import RETRY_BASE, SummaryService
from coworker.summary.schedule import Scheduler, due_date
from tests.agent.conftest import assert_valid_transcript, settings_for
from tests.summary.conftest import RuntimeFactory, service_of, summaries_delivered
from tests.support.databases import shared_database
from tests.support.store_queries import list_conversations

NY = ZoneInfo("America/New_York")


async def _person(runtime: Runtime, name: str = "ny", **fields: object) -> UserRecord:
    user = await runtime.store.ensure_user(f"test:{name}", display_name=name)
    return await runtime.store.update_user(
        user.id, timezone="America/New_York", **{"summary_time": "08:30", **fields}
    )


async def _tick_at(scheduler: Scheduler, local: datetime) -> list[str]:
    with time_machine.travel(local, tick=False):
        return [r.outcome for r in await scheduler.tick()]


async def test_due_at_0830_local_not_before_and_once(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    user = await _person(runtime)
    scheduler = Scheduler(service_of(runtime))
    monday = datetime(2026, 3, 2, 8, 29, tzinfo=NY)
    assert await _tick_at(scheduler, monday) == []
    assert await _tick_at(scheduler, monday.replace(minute=30)) == ["delivered"]
    assert await _tick_at(scheduler, monday.replace(minute=31)) == []
    assert await _tick_at(scheduler, monday.replace(hour=17)) == []
    texts = await summaries_delivered(runtime.store, user.id)
    assert len(texts) == 1 and "Suggested next actions" in texts[0]


async def test_weekends_are_skipped_by_default(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    user = await _person(runtime)
    scheduler = Scheduler(service_of(runtime))
    for day in (7, 8):  # Saturday and Sunday, 7-8 March 2026
        assert await _tick_at(scheduler, datetime(2026, 3, day, 9, 0, tzinfo=NY)) == []
    assert due_date(user, datetime(2026, 3, 9, 9, 0, tzinfo=NY)) == date(2026, 3, 9)


@pytest.mark.parametrize("first_day", [date(2026, 3, 6), date(2026, 10, 30)])
async def test_dst_changes_keep_0830_local_once_a_day(
    make_runtime: RuntimeFactory, first_day: date
) -> None:
    """Across 8 March and 1 November 2026 (New York changes clocks) the summary still comes
    at 08:30 local, once per local date."""
    runtime = await make_runtime()
    user = await _person(runtime, summary_weekdays="mon,tue,wed,thu,fri,sat,sun")
    scheduler = Scheduler(service_of(runtime))
    days = [first_day + timedelta(days=n) for n in range(5)]
    for day in days:
        at = datetime(day.year, day.month, day.day, 8, 30, tzinfo=NY)
        assert await _tick_at(scheduler, at - timedelta(minutes=1)) == [], day
        assert await _tick_at(scheduler, at) == ["delivered"], day
        # The UTC hour moves with DST; local time does not.
        assert await _tick_at(scheduler, at + timedelta(hours=1)) == [], day
    assert len(await summaries_delivered(runtime.store, user.id)) == len(days)
    for day in days:
        run = await runtime.store.get_summary_run(user.id, day)
        assert run is not None and run.status == "delivered" and run.attempts == 1


async def test_failed_delivery_is_retried_later_never_twice(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    user = await _person(runtime)
    service = service_of(runtime)
    web = service.channels["web"]

    class Flaky:
        name = "web"
        failures = 1

        def reaches(self, person: UserRecord) -> bool:
            return True

        async def deliver(self, person: UserRecord, summary: RenderedSummary) -> None:
            if self.failures:
                self.failures -= 1
                raise ConnectionError("web delivery down")
            await web.deliver(person, summary)

    service.channels["web"] = Flaky()
    scheduler = Scheduler(service)
    start = datetime(2026, 3, 3, 8, 30, tzinfo=NY)
    assert await _tick_at(scheduler, start) == ["failed"]
    assert await _tick_at(scheduler, start + timedelta(minutes=1)) == []  # backing off
    assert await _tick_at(scheduler, start + RETRY_BASE + timedelta(minutes=1)) == ["delivered"]
    assert await _tick_at(scheduler, start + 4 * RETRY_BASE) == []
    run = await runtime.store.get_summary_run(user.id, date(2026, 3, 3))
    assert run is not None and run.status == "delivered" and run.attempts == 2
    with time_machine.travel(start + 5 * RETRY_BASE, tick=False):
        again = await service.run(user, date(2026, 3, 3))
    assert again.outcome == "already_done"
    assert len(await summaries_delivered(runtime.store, user.id)) == 1


async def test_replying_continues_the_summary_conversation(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    user = await _person(runtime)
    service = service_of(runtime)
    for day in (2, 3):
        with time_machine.travel(datetime(2026, 3, day, 8, 30, tzinfo=NY), tick=False):
            assert (await service.run(user, date(2026, 3, day))).outcome == "delivered"
    (record,) = await list_conversations(runtime.store, user.id)
    assert record.title == "Daily summary"
    events = runtime.coworker.chat(user, "what's due today?", conversation_id=record.id)
    async for _ in events:
        pass
    messages = await runtime.store.load_messages(record.id)
    assert_valid_transcript(messages)
    assert messages[0]["content"][0]["text"].startswith("Daily summary for Monday")
    assert len(messages) >= 6 and messages[-1]["role"] == "assistant"


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_two_schedulers_on_one_database_deliver_once(backend: str, tmp_path: Path) -> None:
    """Two replicas (two runtimes, two stores, one database) tick at the same moment."""
    async with shared_database(backend, tmp_path, purpose="summary") as url:
        runtimes: list[Runtime] = []
        try:
            for _ in range(2):
                runtimes.append(await open_runtime(settings_for(tmp_path, database_url=url)))
            people = [await _person(runtimes[0], f"p{n}") for n in range(12)]
            schedulers = [Scheduler(SummaryService.from_runtime(r)) for r in runtimes]
            with time_machine.travel(datetime(2026, 3, 4, 8, 45, tzinfo=NY), tick=False):
                results = await asyncio.gather(*(s.tick() for s in schedulers))
                again = await asyncio.gather(*(s.tick() for s in schedulers))
            outcomes = [r.outcome for batch in results for r in batch]
            assert outcomes.count("delivered") == len(people)
            assert all(r == [] for r in again)
            for person in people:
                assert len(await summaries_delivered(runtimes[1].store, person.id)) == 1
        finally:
            for runtime in runtimes:
                await runtime.aclose()
