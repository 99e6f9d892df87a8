from __future__ import annotations

import pytest

from coworker.llm.base import ModelRequest, ModelTurn, TextDelta
from coworker.llm.scripted import ScriptedModel


def ask(text: str) -> ModelRequest:
    return ModelRequest(
        system="sys", messages=[{"role": "user", "content": [{"type": "text", "text": text}]}]
    )


async def test_text_streams_in_chunks_then_the_turn() -> None:
    model = ScriptedModel([ScriptedModel.text("Three deals close this week.")])

    events = [event async for event in model.stream(ask("deals?"))]

    deltas = [e.text for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 1
    assert "".join(deltas) == "Three deals close this week."
    turn = events[-1]
    assert isinstance(turn, ModelTurn)
    assert turn.stop_reason == "end_turn"
    assert turn.content == [{"type": "text", "text": "Three deals close this week."}]


async def test_tool_calls_have_unique_ids_and_stop_for_tools() -> None:
    first = ScriptedModel.tool_calls(
        ("search_leads", {"search": "acme"}), ("list_tasks", {}), text="Looking."
    )
    second = ScriptedModel.tool_calls(("search_leads", {"search": "globex"}))

    assert first.stop_reason == "tool_use"
    assert first.content[0] == {"type": "text", "text": "Looking."}
    calls = [b for b in first.content + second.content if b["type"] == "tool_use"]
    assert [c["name"] for c in calls] == ["search_leads", "list_tasks", "search_leads"]
    assert calls[0]["input"] == {"search": "acme"}
    ids = [c["id"] for c in calls]
    assert len(set(ids)) == 3
    assert all(i.startswith("toolu_") for i in ids)


async def test_a_callable_step_sees_the_request_and_requests_are_recorded() -> None:
    def answer(request: ModelRequest) -> ModelTurn:
        result = request.messages[-1]["content"][0]
        return ScriptedModel.text(f"got {result['content']}")

    model = ScriptedModel([ScriptedModel.tool_calls(("search_leads", {"search": "acme"})), answer])
    first = await model.complete(ask("find acme"))
    tool_use_id = first.content[0]["id"]
    follow_up = ask("find acme")
    follow_up.messages += [
        {"role": "assistant", "content": first.content},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": tool_use_id, "content": "1 lead"}],
        },
    ]

    second = await model.complete(follow_up)
    follow_up.messages.clear()  # the recorded copy must not change with the caller's objects

    assert second.content == [{"type": "text", "text": "got 1 lead"}]
    assert len(model.requests) == 2
    assert len(model.requests[1].messages) == 3
    assert model.remaining == 0


async def test_running_out_of_turns_fails_the_test() -> None:
    model = ScriptedModel([ScriptedModel.text("only one")])
    await model.complete(ask("a"))

    with pytest.raises(AssertionError, match="ScriptedModel ran out of turns"):
        await model.complete(ask("b"))
    assert len(model.requests) == 2


async def test_a_turn_played_back_is_a_copy() -> None:
    turn = ScriptedModel.text("hi")
    model = ScriptedModel([turn])

    played = await model.complete(ask("a"))
    played.content.append({"type": "text", "text": "changed"})

    assert turn.content == [{"type": "text", "text": "hi"}]
