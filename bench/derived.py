"""The derived read tools for a rep with ~200 leads, against the in-process sandbox CRM.

    PYTHONPATH=. .venv/bin/python -m bench.derived [--runs 50] [--leads 200]

The demo user's leads are topped up to `--leads` (the rest of the demo team keeps its own),
then each tool runs `--runs` times through the real executor (validation, dispatch,
compaction) on the sandbox called in-process. Reports per tool the CRM calls one answer
takes (counted as they reach the CRM client; the issue's budget: at most 8) and latency
p50/p99 (target: p50 at most 150 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.harness import summary_ms
from coworker.config import Settings
from coworker.runtime import open_runtime
from coworker.tools.executor import CrmCaller, ToolExecutor

CASES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("next_best_actions", {}),
    ("prep_brief", {"name": "Jane Smith"}),
    ("activity_report", {"period": "yesterday"}),
    ("activity_report_week_team", {"period": "this_week", "whose": "team"}),
    ("pipeline_report", {}),
)


class CountingCrm:
    def __init__(self, inner: CrmCaller) -> None:
        self.inner, self.calls = inner, 0

    async def call(self, operation_id: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        self.calls += 1
        return await self.inner.call(operation_id, arguments)


async def _top_up(crm: CrmCaller, leads: int) -> int:
    me = (await crm.call("list_tasks", {"limit": 1}))["tasks"][0]["owner_id"]
    owned, page = 0, 1
    while True:
        data = await crm.call("search_leads", {"page": page, "limit": 100})
        owned += sum(1 for lead in data["leads"] if lead["owner_id"] == me)
        if page * 100 >= data["total"]:
            break
        page += 1
    for n in range(max(0, leads - owned)):
        await crm.call("create_lead", {"name": f"Bench Lead {n}", "company": "Benchco"})
    return max(owned, leads)


async def main(runs: int, leads: int) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="derived-bench-"))
    settings = Settings(
        data_dir=data_dir,
        database_url="sqlite+aiosqlite://",
        sandbox_database_url="sqlite+aiosqlite://",
        scheduler_enabled=False,
    )
    runtime = await open_runtime(settings)
    try:
        user = await runtime.local_user()
        crm = runtime.coworker.crm_for(user)
        owned = await _top_up(crm, leads)
        results: dict[str, Any] = {"leads_of_the_rep": owned, "runs": runs}
        for label, arguments in CASES:
            name = label.removesuffix("_week_team")
            samples: list[float] = []
            calls: list[int] = []
            for _ in range(runs + 2):  # two warm-up runs, not measured
                counting = CountingCrm(crm)
                executor = ToolExecutor(runtime.coworker.catalog, counting, timezone="UTC")
                started = time.perf_counter()
                outcome = await executor.call_tool(name, arguments)
                samples.append(time.perf_counter() - started)
                calls.append(counting.calls)
                if outcome.is_error:
                    raise SystemExit(f"{label} failed: {outcome.content}")
            results[label] = {"crm_calls": max(calls[2:]), **summary_ms(samples[2:])}
        results["max_crm_calls"] = max(results[label]["crm_calls"] for label, _ in CASES)
        results["max_p50_ms"] = max(results[label]["p50_ms"] for label, _ in CASES)
        results["at"] = datetime.now(UTC).isoformat(timespec="seconds")
        return results
    finally:
        await runtime.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--leads", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.runs, args.leads)), indent=2))
