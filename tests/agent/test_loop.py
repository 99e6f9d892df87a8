"""The agent loop with a scripted model against the real sandbox and store."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest

from coworker.agent.events import ErrorEvent, TextDelta, ToolFinished, ToolStarted
from coworker.errors import MessageTooLong, ModelError
from coworker.llm.base import Model, ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from tests.agent.conftest import (
    WorldFactory,
    assert_valid_transcript,
    done_of,
    result_json,
    tool_results,
)

S = ScriptedModel


async def test_multi_step_lookup_uses_real_results(make_world: WorldFactory) -> None:
    seen: dict[str, Any] = {}

    def open_jane(request: ModelRequest) -> ModelTurn:
        leads = result_json(request)["leads"]
        seen["search"] = leads
        jane = next(lead for lead in leads if lead["name"] == "Jane Smith")
        return S.tool_calls(("get_lead", {"lead_id": jane["id"]}))

    def answer(request: ModelRequest) -> ModelTurn:
        lead = result_json(request)["lead"]
        seen["detail"] = lead
        return S.text(f"{lead['name']} works at {lead['company']}.")

    world = await make_world(
        [S.tool_calls(("search_leads", {"search": "jane smith"})), open_jane, answer]
    )
    cid = await world.conversation()
    events = await world.say("Who is Jane Smith?", cid)
    assert done_of(events).text == "Jane Smith works at Acme Corp."
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == done_of(events).text
    assert [e.name for e in events if isinstance(e, ToolStarted)] == ["search_leads", "get_lead"]
    assert seen["detail"]["email"] == "jane@acme.com"
    assert any("Jane Smith" in task["title"] for task in seen["detail"]["open_tasks"])
    messages = await world.transcript(cid)
    assert_valid_transcript(messages)
    assert len(messages) == 6  # user, tool call, results, tool call, results, answer


async def test_independent_calls_run_concurrently(make_world: WorldFactory) -> None:
    world = await make_world(
        [
            S.tool_calls(
                ("search_leads", {"status": "new"}),
                ("list_tasks", {"completed": False}),
                ("list_opportunities", {"stage": "proposal"}),
            ),
            lambda request: S.text(f"{len(tool_results(request))} results"),
        ]
    )
    # Count calls in flight at the CRM: concurrency shows as more than one at once.
    in_flight = 0
    peak = 0
    make_crm = world.coworker.crm_for

    class Watched:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        async def call(self, operation_id: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                await asyncio.sleep(0.05)
                result: dict[str, Any] = await self.inner.call(operation_id, arguments)
                return result
            finally:
                in_flight -= 1

    world.coworker.crm_for = lambda user: Watched(make_crm(user))
    cid = await world.conversation()
    events = await world.say("status check", cid)
    assert done_of(events).text == "3 results"
    assert peak == 3
    results = tool_results(world.model.requests[-1])  # type: ignore[attr-defined]
    uses = [b for b in (await world.transcript(cid))[1]["content"] if b["type"] == "tool_use"]
    assert [r["tool_use_id"] for r in results] == [u["id"] for u in uses], "results keep call order"


async def test_invalid_input_and_unknown_tool_steer_the_model(make_world: WorldFactory) -> None:
    def retry(request: ModelRequest) -> ModelTurn:
        results = tool_results(request)
        assert all(r.get("is_error") for r in results)
        assert "Invalid input for get_lead" in results[0]["content"]
        assert "lead_id" in results[0]["content"]
        assert "There is no tool named 'find_lead'" in results[1]["content"]
        return S.text("Let me search instead.")

    world = await make_world(
        [S.tool_calls(("get_lead", {"id": "jane"}), ("find_lead", {"q": "jane"})), retry]
    )
    cid = await world.conversation()
    events = await world.say("find jane", cid)
    assert done_of(events).text == "Let me search instead."
    assert [e.is_error for e in events if isinstance(e, ToolFinished)] == [True, True]
    assert_valid_transcript(await world.transcript(cid))


async def test_crm_errors_become_results_that_say_what_to_do(make_world: WorldFactory) -> None:
    def read(request: ModelRequest) -> ModelTurn:
        result = tool_results(request)[0]
        assert result["is_error"] and "HTTP 404" in result["content"]
        assert "never guess ids" in result["content"]
        return S.text("No such lead.")

    world = await make_world(
        [S.tool_calls(("get_lead", {"lead_id": "00000000-0000-4000-8000-000000000000"})), read]
    )
    cid = await world.conversation()
    assert done_of(await world.say("open that lead", cid)).text == "No such lead."


async def test_step_limit_ends_with_a_plain_explanation(make_world: WorldFactory) -> None:
    world = await make_world([S.tool_calls(("list_tags", {})) for _ in range(3)], max_steps=3)
    cid = await world.conversation()
    events = await world.say("loop forever", cid)
    done = done_of(events)
    assert done.stop_reason == "step_limit"
    assert "stopped after 3 steps" in done.text
    messages = await world.transcript(cid)
    assert_valid_transcript(messages)
    assert messages[-1]["role"] == "assistant"


class FailingModel(Model):
    """Fails its first turn (after streaming a little), then answers."""

    name = "failing"

    def __init__(self) -> None:
        self.calls = 0

    async def stream(self, request: ModelRequest):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.calls == 1:
            yield TextDelta("Let me")
            raise ModelError("overloaded", status=529, retryable=True)
        yield S.text("Back again.")


async def test_model_failure_mid_turn_leaves_a_valid_transcript(make_world: WorldFactory) -> None:
    world = await make_world(model=FailingModel())
    cid = await world.conversation()
    events = await world.say("hello", cid)
    errors = [e for e in events if isinstance(e, ErrorEvent)]
    assert errors and "overloaded" in errors[0].message
    assert done_of(events).stop_reason == "error"
    second = await world.say("hello again", cid)
    assert done_of(second).text == "Back again."
    messages = await world.transcript(cid)
    assert_valid_transcript(messages)
    assert [b["text"] for b in messages[0]["content"]] == ["hello", "hello again"]


async def test_a_message_over_the_limit_is_refused_and_nothing_is_stored(
    make_world: WorldFactory,
) -> None:
    world = await make_world([], max_message_chars=100)
    cid = await world.conversation()
    with pytest.raises(MessageTooLong) as refused:
        await world.say("x" * 101, cid)
    assert refused.value.limit == 100
    assert await world.transcript(cid) == []


async def test_empty_message_gets_an_answer_without_the_model(make_world: WorldFactory) -> None:
    world = await make_world([])
    cid = await world.conversation()
    events = await world.say("   ", cid)
    assert "didn't get any text" in done_of(events).text


@pytest.mark.parametrize(
    ("stop_reason", "expected"),
    [
        ("max_tokens", "cut off"),
        ("refusal", "can't help"),
        ("model_context_window_exceeded", "too long"),
        ("end_turn", "plain"),
        ("stop_sequence", "plain"),
    ],
)
async def test_every_stop_reason_has_an_outcome(
    make_world: WorldFactory, stop_reason: str, expected: str
) -> None:
    text = "plain" if stop_reason in {"end_turn", "stop_sequence"} else ""
    content = [{"type": "text", "text": text}] if text else []
    if stop_reason == "max_tokens":
        content.append({"type": "tool_use", "id": "toolu_cut", "name": "list_tags", "input": {}})
    world = await make_world([ModelTurn(content=content, stop_reason=stop_reason)])
    cid = await world.conversation()
    done = done_of(await world.say("hi", cid))
    assert expected in done.text.lower() or expected in "".join(done.text)
    assert_valid_transcript(await world.transcript(cid))


async def test_pause_turn_continues_the_same_turn(make_world: WorldFactory) -> None:
    world = await make_world(
        [ModelTurn([{"type": "text", "text": "Working"}], "pause_turn"), S.text("…done.")]
    )
    cid = await world.conversation()
    done = done_of(await world.say("go", cid))
    assert done.text == "Working…done."


async def test_a_crashing_model_is_an_error_event_not_a_crash(make_world: WorldFactory) -> None:
    world = await make_world([])  # the scripted model raises: it has no turns
    cid = await world.conversation()
    events = await world.say("hello", cid)
    assert [e.kind for e in events if isinstance(e, ErrorEvent)] == ["model"]
    assert done_of(events).stop_reason == "error"
    messages = await world.transcript(cid)
    assert_valid_transcript(messages)
