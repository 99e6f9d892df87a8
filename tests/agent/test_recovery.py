"""Actions left `executing` by a process that died are recovered (agent/recovery.py).

The real stack in-process (store, sandbox CRM, gate); the claim of a process that died is
made directly, as the approval of that process left it. The end-to-end case, a real server
killed mid-send and restarted, is tests/replicas/test_crash_recovery.py.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from datetime import datetime, timedelta
from typing import Any

import pytest

from coworker.agent.recovery import (
    BACKOFF_MAX_SECONDS,
    CALLS_PER_EXECUTION,
    ActionRecovery,
    ActionStillExecuting,
    executing_lease,
    worst_case_call,
)
from coworker.config import Settings
from coworker.dialsheet.client import DialsheetClient
from coworker.errors import ActionNotPending, DialsheetKeyMissing
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import demo_id
from tests.agent.conftest import World, WorldFactory, assert_valid_transcript, collect, pending_of
from tests.support.store_queries import list_audit

S = ScriptedModel
JANE = demo_id("lead", "northwind:jane-smith")
SMS = {"lead_id": JANE, "message": "Running ten minutes late, sorry!"}
LEASE = timedelta(minutes=8)


def test_the_default_lease_outlasts_the_slowest_execution() -> None:
    settings = Settings(_env_file=None)
    worst = worst_case_call(settings)
    # 4 attempts of 30 s, and 3 backoffs of at most 8 s between them
    assert worst == timedelta(seconds=4 * 30 + 3 * 8)
    assert executing_lease(settings) == timedelta(seconds=492)
    assert executing_lease(settings) > CALLS_PER_EXECUTION * worst
    faster = Settings(_env_file=None, dialsheet_timeout_seconds=10, dialsheet_max_retries=0)
    assert executing_lease(faster) == timedelta(seconds=3 * 10 + 60)
    chosen = Settings(_env_file=None, executing_lease_seconds=5)
    assert executing_lease(chosen) == timedelta(seconds=5)


def test_the_backoff_it_assumes_is_the_clients() -> None:
    backoff = inspect.signature(DialsheetClient.__init__).parameters["backoff_max"].default
    assert backoff == BACKOFF_MAX_SECONDS


def test_the_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COWORKER_EXECUTING_LEASE_SECONDS", "900")
    monkeypatch.setenv("COWORKER_RECOVERY_INTERVAL_SECONDS", "15")
    settings = Settings(_env_file=None)
    assert (settings.executing_lease_seconds, settings.recovery_interval_seconds) == (900, 15)


async def left_executing(world: World, *, ago: timedelta) -> tuple[str, Any]:
    """A conversation whose approved SMS was claimed `ago`, by a process that then died."""
    cid = await world.conversation()
    (action,) = pending_of(await world.say("text Jane I'm late", cid))
    now = world.coworker.clock()
    claimed = await world.runtime.store.claim_action(
        action.id, decided_by=world.user.id, now=now - ago
    )
    assert claimed is not None and claimed.status == "executing"
    return cid, claimed


def recovery_of(world: World, **overrides: Any) -> ActionRecovery:
    options: dict[str, Any] = {"lease": LEASE, "interval": 60.0, **overrides}
    return ActionRecovery(world.coworker, **options)


def tool_result_for(messages: list[Any], tool_use_id: str) -> dict[str, Any]:
    (result,) = [
        block
        for message in messages
        for block in message["content"]
        if block.get("type") == "tool_result" and block["tool_use_id"] == tool_use_id
    ]
    return dict(result)


async def test_a_sweep_recovers_and_reconciles_a_send_the_crm_shows(
    make_world: WorldFactory,
) -> None:
    world = await make_world([S.tool_calls(("send_sms", SMS)), S.text("Glad it went out.")])
    cid, action = await left_executing(world, ago=LEASE + timedelta(seconds=1))
    await world.crm("send_sms", **SMS)  # the send reached the CRM; its answer never came back

    (settled,) = await recovery_of(world).sweep()

    assert (settled.id, settled.status) == (action.id, "succeeded")
    assert settled.result is not None and settled.result["sms"]["message"] == SMS["message"]
    kinds = [a.kind for a in await list_audit(world.runtime.store, action_id=action.id)]
    assert kinds == ["action.created", "action.recovered", "action.reconciled"]
    assert await recovery_of(world).sweep() == [], "once"
    sms = await world.crm("list_sms", lead_id=JANE)
    assert [s["message"] for s in sms["sms"]].count(SMS["message"]) == 1, "never sent again"
    with pytest.raises(ActionNotPending) as refused:
        await collect(world.coworker.approve(world.user, action.id))
    assert refused.value.status == "succeeded"
    # The tool_use its approval never answered gets its result when the person goes on.
    await world.say("thanks", cid)
    messages = await world.transcript(cid)
    assert_valid_transcript(messages)
    assert "it was done" in tool_result_for(messages, action.tool_use_id)["content"]


async def test_a_recovered_send_the_crm_does_not_show_stays_unknown(
    make_world: WorldFactory,
) -> None:
    world = await make_world([S.tool_calls(("send_sms", SMS)), S.text("I'll tell them.")])
    cid, action = await left_executing(world, ago=LEASE + timedelta(seconds=1))

    (settled,) = await recovery_of(world).sweep()

    assert settled.status == "unknown"
    assert settled.error is not None and "stopped" in settled.error
    kinds = [a.kind for a in await list_audit(world.runtime.store, action_id=action.id)]
    assert kinds == ["action.created", "action.recovered"]
    await world.say("did it go?", cid)
    messages = await world.transcript(cid)
    assert_valid_transcript(messages)
    result = tool_result_for(messages, action.tool_use_id)
    assert result["is_error"] and "unknown" in result["content"]
    assert "NOT retried" in result["content"]


async def test_an_action_inside_its_lease_is_left_alone(make_world: WorldFactory) -> None:
    world = await make_world([S.tool_calls(("send_sms", SMS))])
    _, action = await left_executing(world, ago=LEASE - timedelta(seconds=30))
    assert await recovery_of(world).sweep() == []
    assert (await world.runtime.store.get_action(action.id) or action).status == "executing"


async def test_when_the_crm_cannot_be_asked_it_stays_unknown_and_the_sweep_goes_on(
    make_world: WorldFactory, caplog: pytest.LogCaptureFixture
) -> None:
    world = await make_world([S.tool_calls(("send_sms", SMS))])
    _, action = await left_executing(world, ago=LEASE * 2)

    def no_key(_: Any) -> Any:
        raise DialsheetKeyMissing("connect your Dialsheet API key first")

    world.coworker.crm_for = no_key
    with caplog.at_level(logging.INFO, logger="coworker.recovery"):
        (settled,) = await recovery_of(world).sweep()
    assert settled.status == "unknown"
    said = " ".join(r.getMessage() for r in caplog.records)
    assert f"action {action.id} recovered: executing -> unknown" in said
    assert "DialsheetKeyMissing" in said and "coworker actions reconcile" in said


async def test_the_periodic_sweep_survives_failures_and_stops_when_cancelled(
    make_world: WorldFactory, caplog: pytest.LogCaptureFixture
) -> None:
    world = await make_world()
    recovery = recovery_of(world, interval=0.001)
    calls: list[datetime] = []
    done = asyncio.Event()

    async def flaky(**arguments: Any) -> list[Any]:
        calls.append(arguments["now"])
        if len(calls) == 3:
            done.set()
        if len(calls) == 1:
            raise ConnectionError("the database went away")
        return []

    recovery.store.recover_actions = flaky  # type: ignore[method-assign]
    with caplog.at_level(logging.INFO, logger="coworker.recovery"):
        task = asyncio.create_task(recovery.run_forever())
        await asyncio.wait_for(done.wait(), timeout=30)
        assert not task.done(), "a failing sweep does not end the loop"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert any("action recovery failed" in r.getMessage() for r in caplog.records)


async def test_reconcile_recovers_past_the_lease_and_refuses_inside_it(
    make_world: WorldFactory,
) -> None:
    world = await make_world([S.tool_calls(("send_sms", SMS))])
    _, action = await left_executing(world, ago=timedelta(minutes=1))
    with pytest.raises(ActionStillExecuting, match="still executing"):
        await recovery_of(world).reconcile(world.user.id, (), action.id)
    await world.crm("send_sms", **SMS)
    later: datetime = world.coworker.clock() + LEASE

    def clock() -> datetime:
        return later

    shown = await recovery_of(world, clock=clock).reconcile(world.user.id, (), action.id)
    assert shown.status == "succeeded"
    kinds = [a.kind for a in await list_audit(world.runtime.store, action_id=action.id)]
    assert kinds == ["action.created", "action.recovered", "action.reconciled"]
    # Asked again, it is already settled: nothing moves.
    again = await recovery_of(world, clock=clock).reconcile(world.user.id, (), action.id)
    assert again.status == "succeeded"
