"""Transcript writes are made where they must be durable, and nothing a person relies on is
ever ahead of them.

The store here is made slow on purpose, so a write still running is easy to catch: a side
effect must not start before its tool_use is stored, a turn must not be reported done
before its messages are, and the next turn must not load the conversation half written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from coworker.agent.events import ToolStarted, TurnDone
from coworker.agent.transcript import Transcript
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import demo_id
from tests.agent.conftest import WorldFactory, assert_valid_transcript, done_of

S = ScriptedModel
JANE = demo_id("lead", "northwind:jane-smith")
WRITE_DELAY = 0.05


class SlowStore:
    """A MessageStore that takes its time and remembers the order writes landed in."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.messages: list[dict[str, Any]] = []
        self.landed: list[str] = []
        self.usages: list[dict[str, Any] | None] = []
        self.fail_on = fail_on

    async def load_messages(self, conversation_id: str) -> list[dict[str, Any]]:
        return list(self.messages)

    async def append_messages(
        self,
        conversation_id: str,
        messages: list[dict[str, Any]],
        usages: Sequence[dict[str, Any] | None] | None = None,
        *,
        title: str | None = None,
    ) -> None:
        await self._land("append")
        self.messages.extend(messages)
        self.usages.extend(usages or [None] * len(messages))

    async def replace_last_message(self, conversation_id: str, message: dict[str, Any]) -> None:
        await self._land("replace")
        self.messages[-1] = message

    async def _land(self, kind: str) -> None:
        await asyncio.sleep(WRITE_DELAY / 5)
        if self.fail_on is not None and len(self.landed) == self.fail_on:
            self.landed.append(f"{kind} failed")
            raise RuntimeError("disk full")
        self.landed.append(kind)


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


async def test_changes_are_in_memory_at_once_and_stored_when_saved() -> None:
    store = SlowStore()
    transcript = Transcript(store, "c1", [])
    transcript.add_user_blocks([text("hi")])
    use = {"type": "tool_use", "id": "t1", "name": "search_leads", "input": {}}
    transcript.add_assistant([use], usage={"output_tokens": 3})
    transcript.add_user_blocks([{"type": "tool_result", "tool_use_id": "t1", "content": "[]"}])
    transcript.add_user_blocks([text("and then?")])
    assert len(transcript.messages) == 3 and store.messages == []

    await transcript.save()
    assert store.landed == ["append"]  # one transaction for the three
    assert store.usages == [None, {"output_tokens": 3}, None]
    assert store.messages == transcript.messages
    kinds = [b["type"] for b in store.messages[-1]["content"]]
    assert kinds == ["tool_result", "text"]

    transcript.add_user_blocks([text("one more thing")])  # into a message already stored
    transcript.add_assistant([text("Sure.")])
    await transcript.save()
    assert store.landed == ["append", "replace", "append"]
    assert store.messages == transcript.messages


async def test_a_failed_write_is_raised_and_the_next_save_catches_up_in_order() -> None:
    store = SlowStore(fail_on=1)
    transcript = Transcript(store, "c1", [])
    transcript.add_user_blocks([text("one")])
    await transcript.save()
    transcript.add_assistant([text("two")])
    with pytest.raises(RuntimeError, match="disk full"):
        await transcript.save()
    assert store.messages == [{"role": "user", "content": [text("one")]}]
    transcript.add_user_blocks([text("three")])
    await transcript.settle()  # quiet: for a finally that only lets go of a lock
    assert store.messages == transcript.messages, "nothing lost, nothing out of order"


async def test_a_failed_settle_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    store = SlowStore(fail_on=0)
    transcript = Transcript(store, "c1", [])
    transcript.add_user_blocks([text("hi")])
    await transcript.settle()
    assert "could not be saved (RuntimeError)" in caplog.text


async def test_cancelling_the_waiter_still_waits_for_the_writes() -> None:
    store = SlowStore()
    transcript = Transcript(store, "c1", [])
    for index in range(5):
        transcript.add_user_blocks([text(f"m{index}")])
        transcript.add_assistant([text(f"r{index}")])
    waiter = asyncio.create_task(transcript.settle())
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert store.landed == ["append"] and len(store.messages) == 10, (
        "the cancelled waiter returned before the write was in"
    )


def slow_writes(world: Any) -> list[str]:
    """Make the world's store slow to write; returns the log of writes as they land."""
    store = world.runtime.store
    landed: list[str] = []
    append, replace = store.append_messages, store.replace_last_message

    async def slow_append(
        conversation_id: str, messages: list[Any], usages: Any = None, *, title: Any = None
    ) -> None:
        await asyncio.sleep(WRITE_DELAY)
        await append(conversation_id, messages, usages, title=title)
        landed.append("append")

    async def slow_replace(conversation_id: str, message: dict[str, Any]) -> None:
        await asyncio.sleep(WRITE_DELAY)
        await replace(conversation_id, message)
        landed.append("replace")

    store.append_messages, store.replace_last_message = slow_append, slow_replace
    return landed


async def test_a_write_tool_runs_only_once_its_tool_use_is_stored(
    make_world: WorldFactory,
) -> None:
    world = await make_world(
        [S.tool_calls(("create_task", {"title": "Call Jane", "lead_id": JANE})), S.text("Done.")]
    )
    slow_writes(world)
    cid = await world.conversation()
    stored_at_call: list[list[dict[str, Any]]] = []
    make_crm = world.coworker.crm_for

    class Watching:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        async def call(self, operation_id: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
            if operation_id == "create_task":
                stored_at_call.append(await world.transcript(cid))
            result: dict[str, Any] = await self.inner.call(operation_id, arguments)
            return result

    world.coworker.crm_for = lambda user: Watching(make_crm(user))
    done_of(await world.say("remind me to call Jane", cid))

    (stored,) = stored_at_call
    uses = [b for m in stored for b in m["content"] if b.get("type") == "tool_use"]
    assert [u["name"] for u in uses] == ["create_task"], stored


async def test_an_approval_waits_only_after_its_tool_use_is_stored(
    make_world: WorldFactory,
) -> None:
    email = {"lead_id": JANE, "subject": "Hi", "body_text": "Hello Jane."}
    world = await make_world([S.tool_calls(("send_email", email))])
    slow_writes(world)
    cid = await world.conversation()
    events = world.coworker.chat(world.user, "email Jane", conversation_id=cid)
    async for event in events:
        if type(event).__name__ == "ConfirmationRequired":
            stored = await world.transcript(cid)
            assert any(b.get("type") == "tool_use" for m in stored for b in m["content"]), (
                "a pending action whose tool_use is not stored could never be resumed"
            )
    assert_valid_transcript(await world.transcript(cid), open_ok=True)


async def test_a_turn_is_reported_done_only_once_it_is_stored(make_world: WorldFactory) -> None:
    world = await make_world(
        [S.tool_calls(("search_leads", {"search": "jane"})), S.text("Jane Smith, Northwind.")]
    )
    slow_writes(world)
    cid = await world.conversation()
    async for event in world.coworker.chat(world.user, "who is Jane?", conversation_id=cid):
        if isinstance(event, TurnDone):
            stored = await world.transcript(cid)
            assert stored[-1] == {"role": "assistant", "content": [text("Jane Smith, Northwind.")]}
            assert_valid_transcript(stored)


async def test_a_client_that_leaves_mid_turn_leaves_a_whole_transcript(
    make_world: WorldFactory,
) -> None:
    world = await make_world(
        [
            S.tool_calls(("search_leads", {"search": "jane"})),
            S.text("Jane Smith."),
            S.text("Still here."),
        ]
    )
    landed = slow_writes(world)
    cid = await world.conversation()
    events = world.coworker.chat(world.user, "who is Jane?", conversation_id=cid)
    async for event in events:
        if isinstance(event, ToolStarted):
            break
    await events.aclose()  # the lock is let go only once the queued writes are in
    assert landed == ["append", "append"]  # the question and the tool call

    done_of(await world.say("hello?", cid))
    assert_valid_transcript(await world.transcript(cid))


async def test_a_read_only_turn_takes_two_writes(make_world: WorldFactory) -> None:
    """The person's message at once; the read, its result and the answer together."""
    world = await make_world(
        [S.tool_calls(("search_leads", {"search": "jane"})), S.text("Jane Smith, Northwind.")]
    )
    landed = slow_writes(world)
    cid = await world.conversation()
    done_of(await world.say("who is Jane?", cid))
    assert landed == ["append", "append"]
    stored = await world.transcript(cid)
    assert [m["role"] for m in stored] == ["user", "assistant", "user", "assistant"]
    assert_valid_transcript(stored)


async def test_a_write_tools_result_is_stored_before_the_next_model_call_ends(
    make_world: WorldFactory,
) -> None:
    """A crash while the model thinks must not leave a done write looking 'maybe run'."""
    world = await make_world(
        [S.tool_calls(("create_task", {"title": "Call Jane", "lead_id": JANE})), S.text("Done.")]
    )
    cid = await world.conversation()
    seen: list[list[dict[str, Any]]] = []
    model = world.model
    inner_stream = model.stream

    async def watching_stream(request: Any) -> Any:
        if len(request.messages) > 1:  # the call after the tool ran
            await asyncio.sleep(WRITE_DELAY)  # a model takes its time; the save goes on
            seen.append(await world.transcript(cid))
        async for item in inner_stream(request):
            yield item

    model.stream = watching_stream  # type: ignore[method-assign]
    done_of(await world.say("remind me to call Jane", cid))
    (stored,) = seen
    results = [b for m in stored for b in m["content"] if b.get("type") == "tool_result"]
    assert len(results) == 1, stored
