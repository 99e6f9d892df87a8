"""Daily summaries for many people against the in-process sandbox CRM.

    PYTHONPATH=. .venv/bin/python -m bench.summary_many [--people 1000] [--model counting|offline]

N store users share the four demo users' Dialsheet keys round-robin (each gets an encrypted
key, as a real install would). One scheduler tick at everyone's summary time sends them all,
through the real claim -> gather -> render -> deliver path. Reports total time, CRM requests
per person (counted around each person's client), model calls per person (a tiny counting
model stands in for Claude; the offline model makes none) and peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
import tracemalloc
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coworker.config import Settings
from coworker.llm.base import Model, ModelEvent, ModelRequest, ModelTurn, Usage
from coworker.runtime import open_runtime
from coworker.sandbox.seed import DEMO_USERS
from coworker.store.records import UserRecord
from coworker.summary.runs import SummaryService
from coworker.summary.schedule import Scheduler
from coworker.tools.executor import CrmCaller


class CountingModel(Model):
    """Answers every request with a short summary and counts the calls."""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    async def stream(self, request: ModelRequest) -> AsyncIterator[ModelEvent]:
        self.calls += 1
        text = f"Summary from {len(request.messages[0]['content'][0]['text'])} bytes of data."
        yield ModelTurn([{"type": "text", "text": text}], "end_turn", Usage(), self.name)


class CountingCrm:
    def __init__(self, inner: CrmCaller, counter: list[int]) -> None:
        self.inner, self.counter = inner, counter

    async def call(self, operation_id: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        self.counter[0] += 1
        return await self.inner.call(operation_id, arguments)


async def main(people: int, model_name: str, concurrency: int) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="summary-bench-"))
    settings = Settings(
        data_dir=data_dir,
        database_url=f"sqlite+aiosqlite:///{data_dir / 'store.db'}",
        sandbox_database_url="sqlite+aiosqlite://",
        scheduler_enabled=False,
    )
    counting = CountingModel()
    runtime = await open_runtime(settings, model=counting if model_name == "counting" else None)
    try:
        for n in range(people):
            user = await runtime.store.ensure_user(f"bench:{n}", display_name=f"Rep {n}")
            key = DEMO_USERS[n % len(DEMO_USERS)].key
            await runtime.store.update_user(
                user.id,
                dialsheet_key_encrypted=runtime.backend.vault.encrypt(key),
                summary_time="00:00",
                summary_weekdays="mon,tue,wed,thu,fri,sat,sun",
            )
        requests = [0]
        plain = runtime.coworker.crm_for

        def crm_for(user: UserRecord) -> CrmCaller:
            return CountingCrm(plain(user), requests)

        service = SummaryService.from_runtime(runtime)
        service.crm_for = crm_for
        scheduler = Scheduler(service, concurrency=concurrency)
        tracemalloc.start()
        started = time.perf_counter()
        results = await scheduler.tick()
        elapsed = time.perf_counter() - started
        _, peak_traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        delivered = sum(r.outcome == "delivered" for r in results)
        return {
            "people": people,
            "delivered": delivered,
            "model": runtime.model.name,
            "concurrency": concurrency,
            "total_s": round(elapsed, 2),
            "per_person_ms": round(elapsed / max(people, 1) * 1000, 2),
            "crm_requests_per_person": round(requests[0] / max(people, 1), 2),
            "model_calls_per_person": round(counting.calls / max(people, 1), 3),
            "peak_traced_mb": round(peak_traced / 1e6, 1),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    finally:
        await runtime.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--model", choices=("counting", "offline"), default="counting")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.people, args.model, args.concurrency)), indent=2))
