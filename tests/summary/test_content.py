"""Content against the sandbox demo data: what the person's day really holds."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import httpx

from coworker.crm import EmbeddedSandbox
from coworker.dialsheet.client import DialsheetClient
from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from coworker.runtime import Runtime
from coworker.sandbox.seed import DEMO_USERS
from coworker.summary.gather import CLOSED_STAGES, gather
from coworker.summary.render import render_offline, render_with_model, suggested_actions
from tests.summary.conftest import RuntimeFactory
from tests.support.pages import every


async def _all_tasks(runtime: Runtime) -> list[dict[str, Any]]:
    assert isinstance(runtime.backend, EmbeddedSandbox)
    transport = httpx.ASGITransport(app=runtime.backend.app)
    async with DialsheetClient("http://sandbox", DEMO_USERS[0].key, transport=transport) as c:
        return await every(c, "list_tasks", "tasks")


async def test_due_today_and_overdue_appear_completed_ones_do_not(
    make_runtime: RuntimeFactory,
) -> None:
    runtime = await make_runtime()
    user = await runtime.local_user()
    # Just after midnight: the demo's tasks for today (business hours) are all still ahead,
    # whatever the time of day the test runs at; "overdue" is due before `now`.
    now = datetime.combine(datetime.now(UTC).date(), time(0, 5), UTC)
    data = await gather(runtime.coworker.crm_for(user), timezone="UTC", now=now, person="Alex")

    tasks = await _all_tasks(runtime)
    today = now.date()

    def due(t: dict[str, Any]) -> datetime:
        return datetime.fromisoformat(t["due_date"])

    dated = [t for t in tasks if t["due_date"]]
    open_today = {
        t["id"] for t in dated if not t["completed"] and due(t).date() == today and due(t) >= now
    }
    open_overdue = {t["id"] for t in dated if not t["completed"] and due(t) < now}
    completed = {t["id"] for t in tasks if t["completed"]}
    assert open_today and open_overdue and completed  # the demo data has all three
    assert {t.id for t in data.due_today} == open_today
    assert {t.id for t in data.overdue} == open_overdue
    shown = {t.id for t in (*data.due_today, *data.overdue)}
    assert not shown & completed

    text = render_offline(data)
    assert "Follow up with Jane Smith about pricing" in text  # a high-priority task due today
    completed_titles = {t["title"] for t in tasks if t["completed"]} - {
        t.title for t in (*data.due_today, *data.overdue)
    }
    for title in completed_titles:
        assert title not in text
    assert [t.priority for t in data.due_today] == sorted(
        (t.priority for t in data.due_today), key=["high", "medium", "low"].index
    )


async def test_pipeline_stale_deals_new_leads_and_yesterday(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    user = await runtime.local_user()
    data = await gather(runtime.coworker.crm_for(user), timezone="UTC", now=datetime.now(UTC))
    assert data.new_leads, "the demo has leads created in the last 24 hours"
    assert data.stale_deals, "the demo has open deals on quiet leads"
    assert all(d.stage not in CLOSED_STAGES for d in data.stale_deals)
    assert {s.stage for s in data.pipeline} >= {"proposal", "negotiation"}
    assert data.calls.count > 0 and data.emails.count > 0 and data.sms.count > 0

    actions = suggested_actions(data)
    assert len(actions) == 3
    assert data.overdue[0].title in actions[0]
    assert data.stale_deals[0].name in actions[1]
    assert data.new_leads[0].name in actions[2]
    assert "### Suggested next actions" in render_offline(data)


async def test_a_model_writes_it_in_exactly_one_call(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    user = await runtime.local_user()
    data = await gather(runtime.coworker.crm_for(user), timezone="UTC", now=datetime.now(UTC))
    seen: list[ModelRequest] = []

    def reply(request: ModelRequest) -> ModelTurn:
        seen.append(request)
        return ModelTurn([{"type": "text", "text": "Your day, written by a model."}], "end_turn")

    text = await render_with_model(ScriptedModel([reply]), data, "the prompt")
    assert text == "Your day, written by a model."
    assert len(seen) == 1
    assert seen[0].system == "the prompt" and seen[0].tools == []
    assert '"tasks_due_today"' in seen[0].messages[0]["content"][0]["text"]


async def test_the_offline_model_renders_without_a_call(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    user = await runtime.local_user()
    data = await gather(runtime.coworker.crm_for(user), timezone="UTC", now=datetime.now(UTC))
    assert runtime.model.name == "offline"
    assert await render_with_model(runtime.model, data) == render_offline(data)
