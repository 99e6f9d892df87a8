"""One source of truth (#18 item 5): the daily summary says what the derived read tools
say for the same person at the same moment, and reads each list it shares with them once."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from coworker.dialsheet.words import word
from coworker.summary.gather import gather
from coworker.tools.executor import CrmCaller, ToolExecutor
from tests.summary.conftest import RuntimeFactory


class CountingCrm:
    def __init__(self, inner: CrmCaller) -> None:
        self.inner = inner
        self.calls: list[tuple[str, str]] = []

    async def call(self, operation_id: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        self.calls.append((operation_id, json.dumps(dict(arguments), sort_keys=True)))
        return await self.inner.call(operation_id, arguments)


async def test_the_summary_is_what_the_derived_tools_answer(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    user = await runtime.local_user()
    crm = runtime.coworker.crm_for(user)
    now = datetime.now(UTC)
    counting = CountingCrm(crm)
    data = await gather(counting, timezone="Europe/Berlin", now=now, person="Alex")
    assert len(counting.calls) == len(set(counting.calls)), "a shared list is read once"

    executor = ToolExecutor(
        runtime.coworker.catalog, crm, timezone="Europe/Berlin", clock=lambda: now
    )

    async def tool(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        outcome = await executor.call_tool(name, arguments)
        assert not outcome.is_error, outcome.content
        result: dict[str, Any] = json.loads(outcome.content)
        return result

    pipeline = await tool("pipeline_report", {"whose": "mine"})
    assert [(s["stage"], s["deals"], s["value"]) for s in pipeline["yours"]["by_stage"]] == [
        (word(s.stage), s.count, round(s.value, 2)) for s in data.pipeline
    ]
    yesterday = await tool("activity_report", {"period": "yesterday"})
    assert yesterday["counts"]["calls"] == data.calls.count
    assert yesterday["counts"]["emails"] == data.emails.count
    assert yesterday["counts"]["sms"] == data.sms.count
    assert yesterday["examples"].get("calls", []) == list(data.calls.examples)

    ranked = await tool("next_best_actions", {"limit": 25})
    overdue = [a["task_id"] for a in ranked["actions"] if a["kind"] == "overdue_task"]
    assert overdue == [t.id for t in data.overdue][: len(overdue)] and overdue
    quiet = {a["deal_id"] for a in ranked["actions"] if a["kind"] == "quiet_deal"}
    assert quiet <= {d.id for d in data.stale_deals}
