"""The derived read tools against the in-process sandbox: right answers, the person's own
records, their timezone, the catalog's validation, and at most 8 CRM calls each (counted
as the calls reach the CRM client, for a rep with ~200 leads)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from coworker.runtime import Runtime, open_runtime
from coworker.tools.derived.reader import parse_time
from coworker.tools.executor import CrmCaller, ToolExecutor
from coworker.tools.policy import Risk
from tests.agent.conftest import settings_for
from tests.support.pages import every

BUDGET = 8


class CountingCrm:
    """Counts every call that reaches the CRM client."""

    def __init__(self, inner: CrmCaller) -> None:
        self.inner = inner
        self.calls: list[str] = []

    async def call(self, operation_id: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        self.calls.append(operation_id)
        return await self.inner.call(operation_id, arguments)


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    opened = await open_runtime(settings_for(tmp_path))
    yield opened
    await opened.aclose()


async def _crm(runtime: Runtime) -> CrmCaller:
    return runtime.coworker.crm_for(await runtime.local_user())


def _executor(
    runtime: Runtime, crm: CrmCaller, timezone: str = "UTC", now: datetime | None = None
) -> ToolExecutor:
    at = now or datetime.now(UTC)
    return ToolExecutor(runtime.coworker.catalog, crm, timezone=timezone, clock=lambda: at)


async def _run(executor: ToolExecutor, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    outcome = await executor.call_tool(name, arguments)
    assert not outcome.is_error, outcome.content
    result: dict[str, Any] = json.loads(outcome.content)
    assert outcome.data == result
    return result


async def _me(crm: CrmCaller) -> str:
    return str((await crm.call("list_tasks", {"limit": 1}))["tasks"][0]["owner_id"])


async def test_they_are_read_tools_in_the_same_catalog_validated_the_same_way(
    runtime: Runtime,
) -> None:
    catalog = runtime.coworker.catalog
    names = ("next_best_actions", "prep_brief", "activity_report", "pipeline_report")
    for name in names:
        tool = catalog.get(name)
        assert tool is not None and tool.derived and tool.risk is Risk.READ
        assert name in {d["name"] for d in catalog.definitions()}
    executor = _executor(runtime, CountingCrm(await _crm(runtime)))
    for name, arguments, said in (
        ("activity_report", {"period": "last_month"}, "is not one of"),
        ("activity_report", {"whose": "everyone"}, "is not one of"),
        ("activity_report", {"period": "range", "since": "2026-13-01"}, "is not a 'date'"),
        ("activity_report", {"period": "range"}, "needs `since`"),
        (
            "activity_report",
            {"period": "range", "since": "2026-03-04", "until": "2026-03-01"},
            "before",
        ),
        ("next_best_actions", {"limit": 0}, "less than the minimum"),
        ("pipeline_report", {"stage": "x"}, "Additional properties"),
        ("prep_brief", {}, "non-empty"),
        ("prep_brief", {"lead_id": "not-a-uuid"}, "is not a 'uuid'"),
        ("prep_brief", {"lead_id": "00000000-0000-4000-8000-000000000000"}, "No lead with id"),
        ("prep_brief", {"name": "zzz-nobody"}, "No lead matches"),
    ):
        outcome = await executor.call_tool(name, arguments)
        assert outcome.is_error and said in outcome.content, (name, outcome.content)


async def test_next_best_actions_ranks_the_persons_own_work_with_reasons(
    runtime: Runtime,
) -> None:
    crm = await _crm(runtime)
    counting = CountingCrm(crm)
    now = datetime.now(UTC)
    result = await _run(_executor(runtime, counting, now=now), "next_best_actions", {"limit": 25})
    assert len(counting.calls) <= BUDGET, counting.calls

    me = await _me(crm)
    tasks = await every(crm, "list_tasks", "tasks", {"completed": False})
    overdue = {
        t["id"] for t in tasks if (due := parse_time(t["due_date"])) is not None and due < now
    }
    actions = result["actions"]
    assert result["whose"] == "yours" and actions
    kinds = [a["kind"] for a in actions]
    order = [
        "overdue_task",
        "task_due_today",
        "deal_past_close",
        "quiet_deal",
        "warm_lead",
        "new_lead",
    ]
    assert kinds == sorted(kinds, key=order.index), kinds
    shown_overdue = {a["task_id"] for a in actions if a["kind"] == "overdue_task"}
    assert shown_overdue <= overdue and shown_overdue
    assert all(a["reason"] and a["suggested_action"] for a in actions)
    leads = {lead["id"]: lead for lead in await every(crm, "search_leads", "leads")}
    deals = {d["id"]: d for d in await every(crm, "list_opportunities", "opportunities")}
    for action in actions:
        if action["kind"] in ("warm_lead", "new_lead"):
            assert leads[action["lead_id"]]["owner_id"] == me, "a teammate's lead"
        if "deal_id" in action:
            assert deals[action["deal_id"]]["owner_id"] == me, "a teammate's deal"
    lead_ids = [a["lead_id"] for a in actions if "lead_id" in a]
    assert len(lead_ids) == len(set(lead_ids)), "one entry per lead"
    # Her high-priority pricing task is due today: before its hour it leads the tasks due
    # today, after it the overdue ones come first and it is among them, near the top.
    jane = next(a for a in actions if a.get("lead") == "Jane Smith")
    if jane["kind"] == "overdue_task":
        assert jane in actions[:3], actions[:3]
    else:
        assert jane == next(a for a in actions if a["kind"] == "task_due_today"), actions


async def test_pipeline_report_keeps_mine_apart_from_the_teams(runtime: Runtime) -> None:
    crm = await _crm(runtime)
    counting = CountingCrm(crm)
    result = await _run(_executor(runtime, counting), "pipeline_report", {})
    assert len(counting.calls) <= BUDGET
    me = await _me(crm)
    deals = await every(crm, "list_opportunities", "opportunities")
    mine = [d for d in deals if d["owner_id"] == me]
    assert 0 < len(mine) < len(deals), "the demo team has two reps with deals"
    assert sum(s["deals"] for s in result["yours"]["by_stage"]) == len(mine)
    assert sum(s["deals"] for s in result["team"]["by_stage"]) == len(deals)
    open_mine = [d for d in mine if d["stage"] not in ("closed_won", "closed_lost")]
    assert result["yours"]["open_value"] == pytest.approx(sum(d["value"] for d in open_mine))
    assert result["whose"] == "yours"
    assert [s["stage"] for s in result["yours"]["by_stage"]][:2] == ["Prospecting", "Qualification"]

    # A deal of mine whose close date has passed is slipping; a teammate's is not "mine".
    theirs = next(d for d in deals if d["owner_id"] != me and d["stage"] == "proposal")
    late = (datetime.now(UTC) - timedelta(days=10)).date().isoformat()
    ours = next(d for d in open_mine)
    for deal in (ours, theirs):
        await crm.call("update_opportunity", {"id": deal["id"], "expected_close_date": late})
    again = await _run(_executor(runtime, CountingCrm(crm)), "pipeline_report", {})
    slipping = {d["deal_id"]: d for d in again["slipping_deals"]}
    assert ours["id"] in slipping and theirs["id"] not in slipping
    assert slipping[ours["id"]]["owner"] == "you" and slipping[ours["id"]]["days_overdue"] >= 9
    team = await _run(_executor(runtime, CountingCrm(crm)), "pipeline_report", {"whose": "team"})
    team_slipping = {d["deal_id"]: d["owner"] for d in team["slipping_deals"]}
    assert team_slipping[theirs["id"]] == "a teammate" and team_slipping[ours["id"]] == "you"


@pytest.mark.parametrize("timezone", ["UTC", "Pacific/Kiritimati", "America/Los_Angeles"])
async def test_activity_report_counts_the_persons_yesterday_where_they_are(
    runtime: Runtime, timezone: str
) -> None:
    crm = await _crm(runtime)
    counting = CountingCrm(crm)
    now = datetime.now(UTC)
    executor = _executor(runtime, counting, timezone=timezone, now=now)
    result = await _run(executor, "activity_report", {"period": "yesterday"})
    assert len(counting.calls) <= BUDGET

    zone = ZoneInfo(timezone)
    yesterday = now.astimezone(zone).date() - timedelta(days=1)
    assert result["from"] == result["to"] == yesterday.isoformat()

    def on_yesterday(value: str) -> bool:
        at = parse_time(value)
        return at is not None and at.astimezone(zone).date() == yesterday

    me = await _me(crm)
    calls = await every(crm, "list_calls", "calls")
    emails = await every(crm, "list_emails", "emails")
    notes = await every(crm, "list_notes", "notes")
    counts = result["counts"]
    assert counts["calls"] == sum(
        1 for c in calls if c["user_id"] == me and on_yesterday(c["started_at"])
    )
    assert counts["emails"] == sum(1 for e in emails if on_yesterday(e["sent_at"]))
    assert counts["notes"] == sum(
        1 for n in notes if n["author_id"] == me and on_yesterday(n["created_at"])
    )
    assert sum(day["calls"] for day in result["by_day"]) == counts["calls"]

    team = await _run(executor, "activity_report", {"period": "yesterday", "whose": "team"})
    assert team["counts"]["calls"] == sum(1 for c in calls if on_yesterday(c["started_at"]))
    assert "yours only" in team["yours_only"]


async def test_activity_report_for_this_week_and_a_range(runtime: Runtime) -> None:
    crm = await _crm(runtime)
    now = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)  # a Thursday
    executor = _executor(runtime, CountingCrm(crm), now=now)
    week = await _run(executor, "activity_report", {"period": "this_week"})
    assert (week["from"], week["to"]) == ("2026-03-02", "2026-03-05")
    assert [d["date"] for d in week["by_day"]] == [
        "2026-03-02",
        "2026-03-03",
        "2026-03-04",
        "2026-03-05",
    ]
    last = await _run(executor, "activity_report", {"period": "last_week"})
    assert (last["from"], last["to"]) == ("2026-02-23", "2026-03-01")
    span = await _run(
        executor,
        "activity_report",
        {"period": "range", "since": "2026-02-01", "until": "2026-02-03"},
    )
    assert (span["from"], span["to"]) == ("2026-02-01", "2026-02-03") and len(span["by_day"]) == 3


async def test_prep_brief_for_jane_smith_by_name_and_by_id(runtime: Runtime) -> None:
    crm = await _crm(runtime)
    counting = CountingCrm(crm)
    executor = _executor(runtime, counting)
    brief = await _run(executor, "prep_brief", {"name": "Jane Smith"})
    assert len(counting.calls) <= BUDGET
    assert brief["who"]["company"] == "Acme Corp" and brief["who"]["owner"] == "you"
    assert any("pricing" in t["title"] for t in brief["open_tasks"])
    assert brief["suggested_next_step"]
    by_id = await _run(executor, "prep_brief", {"lead_id": brief["lead_id"]})
    assert by_id == brief

    await crm.call("send_sms", {"lead_id": brief["lead_id"], "message": "See you at 3."})
    latest = await _run(_executor(runtime, crm), "prep_brief", {"lead_id": brief["lead_id"]})
    assert latest["recent_sms"][0]["text"] == "See you at 3."

    chris = await _run(executor, "prep_brief", {"name": "Chris"})
    assert {c["name"] for c in chris["choose_one"]} == {"Chris Johnson", "Chris Parker"}


async def test_each_tool_stays_within_8_calls_for_a_rep_with_200_leads(
    runtime: Runtime,
) -> None:
    crm = await _crm(runtime)
    me = await _me(crm)
    owned = sum(1 for lead in await every(crm, "search_leads", "leads") if lead["owner_id"] == me)
    for n in range(200 - owned):
        await crm.call("create_lead", {"name": f"Bulk Lead {n}", "company": "Bulkco"})
    leads = await every(crm, "search_leads", "leads")
    assert sum(1 for lead in leads if lead["owner_id"] == me) >= 200
    for name, arguments in (
        ("next_best_actions", {}),
        ("prep_brief", {"name": "Jane Smith"}),
        ("activity_report", {"period": "this_week", "whose": "team"}),
        ("pipeline_report", {"whose": "team"}),
    ):
        counting = CountingCrm(crm)
        await _run(_executor(runtime, counting), name, arguments)
        assert len(counting.calls) <= BUDGET, (name, counting.calls)
    counting = CountingCrm(crm)
    nba = await _run(_executor(runtime, counting), "next_best_actions", {"limit": 25})
    assert any(
        a["kind"] == "new_lead" and a["lead"].startswith("Bulk Lead") for a in nba["actions"]
    )


async def test_the_service_runs_them_in_the_persons_timezone(runtime: Runtime) -> None:
    user = await runtime.local_user()
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):  # UTC+14 and UTC-11
        user = await runtime.store.update_user(user.id, timezone=zone)
        outcome = await runtime.coworker.executor(user).call_tool("activity_report", {})
        result = json.loads(outcome.content)
        local_today = runtime.coworker.clock().astimezone(ZoneInfo(zone)).date()
        assert result["from"] == (local_today - timedelta(days=1)).isoformat()
