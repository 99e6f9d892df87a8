"""The offline dev set: every case against the sandbox demo data; accuracy must be >= 95%.

Two backends run the same cases: the stand-in loop in `driver.py` (fast, independent of
the store), and the real stack (`open_runtime` with the OfflineModel, an in-memory store
and the in-process sandbox, driven through `Coworker.chat/approve/reject`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coworker.llm.offline import OfflineModel
from tests.offline.devset import Case, Observed, load_cases, score
from tests.offline.driver import Driver, sandbox_executor

THRESHOLD = 0.95
MIN_UTTERANCES = 150


async def driver_backend(case: Case) -> tuple[list[Observed], datetime]:
    async with sandbox_executor() as executor:
        now = datetime.now(UTC).astimezone(ZoneInfo(case.timezone)).replace(second=0, microsecond=0)
        driver = Driver(executor, OfflineModel(), timezone=case.timezone, now=now)
        observed = []
        for turn in case.turns:
            if turn.say is not None:
                seen = await driver.say(turn.say)
            else:
                seen = await driver.decide(approve=turn.decide == "approve", reason=turn.reason)
            observed.append(
                Observed(seen.calls, seen.text, [p.use["name"] for p in driver.pending])
            )
        return observed, now


def test_devset_is_big_enough() -> None:
    cases = load_cases()
    utterances = sum(c.utterances for c in cases)
    assert utterances >= MIN_UTTERANCES, f"only {utterances} utterances"
    assert len({c.id for c in cases}) == len(cases), "case ids must be unique"


async def test_devset_accuracy_on_driver() -> None:
    result = await score(load_cases(), driver_backend)
    print("\n" + result.report("the driver loop"))
    assert result.accuracy >= THRESHOLD, result.report("the driver loop")


async def service_backend(case: Case, tmp_path: Path) -> tuple[list[Observed], datetime]:
    from coworker.agent.events import (
        ActionDecided,
        ConfirmationRequired,
        TextDelta,
        ToolStarted,
        TurnDone,
    )
    from coworker.config import Settings
    from coworker.runtime import open_runtime

    settings = Settings(
        data_dir=tmp_path,
        database_url="sqlite+aiosqlite://",
        sandbox_database_url="sqlite+aiosqlite://",
    )
    runtime = await open_runtime(settings, model=OfflineModel())
    try:
        user = await runtime.local_user()
        if case.timezone != "UTC":
            user = await runtime.store.update_user(user.id, timezone=case.timezone)
        coworker = runtime.coworker
        now = coworker.clock().astimezone(ZoneInfo(case.timezone)).replace(second=0, microsecond=0)
        conversation = await coworker.start_conversation(user, channel="test")
        pending: list[str] = []
        pending_tools: list[str] = []
        observed = []
        for turn in case.turns:
            if turn.say is not None:
                events = coworker.chat(user, turn.say, conversation_id=conversation)
            elif turn.decide == "approve":
                events = coworker.approve(user, pending.pop(0), None)
                pending_tools.pop(0)
            else:
                events = coworker.reject(user, pending.pop(0), turn.reason)
                pending_tools.pop(0)
            calls: list[tuple[str, dict[str, object]]] = []
            text = ""
            async for event in events:  # a card waits through new messages (#15 item 3)
                if isinstance(event, ActionDecided) and event.action.id in pending:
                    at = pending.index(event.action.id)  # superseded by a new proposal
                    del pending[at], pending_tools[at]
                if isinstance(event, ToolStarted):
                    calls.append((event.name, dict(event.input)))
                elif isinstance(event, ConfirmationRequired):
                    calls.append((event.action.tool, dict(event.action.input)))
                    pending.append(event.action.id)
                    pending_tools.append(event.action.tool)
                elif isinstance(event, TextDelta):
                    text += event.text
                elif isinstance(event, TurnDone) and not text:
                    text = event.text
            observed.append(Observed(_in_order(calls), text, list(pending_tools)))
        return observed, now
    finally:
        await runtime.aclose()


def _in_order(calls: list[tuple[str, dict[str, object]]]) -> list[tuple[str, dict[str, object]]]:
    return calls


async def test_devset_accuracy_on_the_real_service(tmp_path: Path) -> None:
    pytest.importorskip("coworker.runtime")
    cases = load_cases()

    async def backend(case: Case) -> tuple[list[Observed], datetime]:
        return await service_backend(case, tmp_path / case.id)

    result = await score(cases, backend)
    print("\n" + result.report("the real service"))
    assert result.accuracy >= THRESHOLD, result.report("the real service")
