"""A turn loads the recent end of a conversation, and the model is sent exactly what it was
sent when the whole history was loaded.

The equivalence is the point: `load_recent` reads a suffix of the transcript, and for any
transcript and anything a turn then appends or merges, `window()` over that suffix must be
`window()` over the whole (same start, same cut first message), and the open calls must be
the same. A property test builds transcripts the way the agent does (person's text, tool
calls answered in the next user message, results merged with new text, approvals answered
by results alone, pause_turn's back-to-back assistant messages) and checks it at small
window sizes, where every boundary case is close. Then, on the real stack: a turn at 10 and
at 2,000 messages reads the same bounded number of rows, never the whole transcript, and
sends the model the window of the whole.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlalchemy.engine import Engine

from coworker.agent.context import MAX_WINDOW_MESSAGES, window
from coworker.agent.transcript import Transcript, load_recent
from coworker.llm.base import Message
from coworker.llm.scripted import ScriptedModel
from coworker.store.facade import Store
from coworker.store.records import StoredMessage
from tests.agent.conftest import WorldFactory

S = ScriptedModel


class ListStore:
    """A transcript in a list, read the way the real store reads it; counts rows read."""

    def __init__(self, messages: list[Message]) -> None:
        self.messages = messages
        self.rows_read = 0

    async def load_messages(self, conversation_id: str) -> list[dict[str, Any]]:
        self.rows_read += len(self.messages)
        return list(self.messages)

    async def load_latest_messages(
        self, conversation_id: str, limit: int, *, before: int | None = None
    ) -> list[StoredMessage]:
        end = len(self.messages) if before is None else before - 1
        start = max(0, end - limit)
        self.rows_read += end - start
        return [
            StoredMessage(seq + 1, m["role"], m["content"])
            for seq, m in enumerate(self.messages[start:end], start)
        ]

    async def append_messages(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("not saved here")

    async def replace_last_message(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("not saved here")


# One step of building a transcript, as the agent takes them; calls and their results come
# up more often than the person's text, so long stretches without a place a window may
# start at (chains of approvals) are common.
_STEPS = st.sampled_from(
    ["text", "calls", "calls", "results", "results", "answer", "pause", "approve_one"]
)


def _apply(transcript: Transcript, step: str, counter: list[int]) -> None:
    """Apply `step` where the transcript rules allow it (else nothing): a call is answered
    in the user message right after it, results and later text merge into that message."""
    open_uses = transcript.unanswered_tool_uses()
    last = transcript.messages[-1]["role"] if transcript.messages else None
    if step == "text":
        transcript.add_user_blocks([{"type": "text", "text": f"say {counter[0]}"}])
    elif step in ("calls", "pause", "answer") and last == "user" and not open_uses:
        if step == "calls":
            uses = [
                {"type": "tool_use", "id": f"tu_{counter[0]}_{n}", "name": "search_leads"}
                for n in range(1 + counter[0] % 2)
            ]
            transcript.add_assistant(uses)
        elif step == "pause":
            transcript.add_assistant([{"type": "text", "text": "thinking"}])
            transcript.add_assistant([{"type": "text", "text": "still thinking"}])
        else:
            transcript.add_assistant([{"type": "text", "text": f"answer {counter[0]}"}])
    elif step in ("results", "approve_one") and open_uses:
        chosen = open_uses if step == "results" else open_uses[:1]
        transcript.add_user_blocks(
            [{"type": "tool_result", "tool_use_id": u["id"], "content": "ok"} for u in chosen]
        )
    counter[0] += 1


def _built(steps: list[str]) -> list[Message]:
    transcript = Transcript(ListStore([]), "c", [])
    counter = [0]
    for step in steps:
        _apply(transcript, step, counter)
    return transcript.messages


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    history=st.lists(_STEPS, max_size=120),
    turn=st.lists(_STEPS, max_size=12),
    keep=st.integers(min_value=1, max_value=9),
)
@example(history=["text", *["calls", "results"] * 4], turn=[], keep=2)  # a chain of results
@example(history=["text", "calls", "text", "results"], turn=["answer"], keep=1)
def test_the_model_sees_the_same_window_as_from_the_whole_history(
    history: list[str], turn: list[str], keep: int
) -> None:
    full = _built(history)
    store = ListStore(full)
    loaded = asyncio.run(load_recent(store, "c", keep))
    assert loaded == full[len(full) - len(loaded) :], "a suffix of the transcript"

    whole = Transcript(ListStore([]), "c", [dict(m) for m in full])
    recent = Transcript(ListStore([]), "c", loaded)
    assert window(recent.messages, keep) == window(whole.messages, keep)
    assert recent.unanswered_tool_uses() == whole.unanswered_tool_uses()
    counter_whole, counter_recent = [10_000], [10_000]
    for step in turn:  # the same turn on both: every step's request is the same
        _apply(whole, step, counter_whole)
        _apply(recent, step, counter_recent)
        assert window(recent.messages, keep) == window(whole.messages, keep)
        assert recent.unanswered_tool_uses() == whole.unanswered_tool_uses()


def _chat(exchanges: int) -> list[Message]:
    """A plain chat: text, and every third exchange a call answered by its result."""
    messages: list[Message] = []
    for n in range(exchanges):
        messages.append({"role": "user", "content": [{"type": "text", "text": f"q{n}"}]})
        if n % 3 == 0:
            use = {"type": "tool_use", "id": f"tu{n}", "name": "search_leads", "input": {}}
            messages.append({"role": "assistant", "content": [use]})
            result = {"type": "tool_result", "tool_use_id": f"tu{n}", "content": "{}"}
            messages.append({"role": "user", "content": [result]})
        messages.append({"role": "assistant", "content": [{"type": "text", "text": f"a{n}"}]})
    return messages


@pytest.mark.parametrize("exchanges", [5, 50, 5_000])
async def test_one_read_of_a_bounded_size_whatever_the_length(exchanges: int) -> None:
    store = ListStore(_chat(exchanges))
    loaded = await load_recent(store, "c")
    assert store.rows_read <= 2 * MAX_WINDOW_MESSAGES + 1
    assert window(loaded) == window(store.messages)


async def test_a_long_chain_of_approvals_reads_back_as_far_as_the_window_reaches() -> None:
    """No message a window may start at in the last 300 (each approval is answered by its
    result alone): the window reaches back to the person's last words, so the load does."""
    messages = _chat(3)
    for n in range(150):
        use = {"type": "tool_use", "id": f"ap{n}", "name": "send_email", "input": {}}
        messages.append({"role": "assistant", "content": [use]})
        result = {"type": "tool_result", "tool_use_id": f"ap{n}", "content": "sent"}
        messages.append({"role": "user", "content": [result]})
    store = ListStore(messages)
    loaded = await load_recent(store, "c")
    assert window(loaded) == window(messages)
    assert loaded[0]["content"] == [{"type": "text", "text": "q2"}]


@contextmanager
def _message_reads(store: Store) -> Iterator[list[str]]:
    """Every SQL statement that reads the messages table, as run on the store's engine."""
    seen: list[str] = []
    engine = store.sync_engine
    assert engine is not None  # SQLite: statements run on the sync engine

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM messages" in statement:
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", before)


@pytest.mark.parametrize("exchanges", [4, 800])
async def test_a_turn_reads_a_bounded_window_and_sends_the_whole_historys_window(
    make_world: WorldFactory, exchanges: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world([S.text("Done.")])
    store: Store = world.runtime.store
    cid = await world.conversation()
    await store.append_messages(cid, _chat(exchanges))
    assert len(await store.load_messages(cid)) >= 10

    rows: list[int] = []
    latest = store.load_latest_messages

    async def counted(*args: Any, **kwargs: Any) -> list[StoredMessage]:
        found = await latest(*args, **kwargs)
        rows.append(len(found))
        return found

    async def whole(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a turn must not load the whole transcript")

    monkeypatch.setattr(store, "load_latest_messages", counted)
    monkeypatch.setattr(store, "load_messages", whole)
    with _message_reads(store) as statements:
        await world.say("Anything new?", cid)
    monkeypatch.undo()

    assert sum(rows) <= 2 * MAX_WINDOW_MESSAGES + 1
    assert statements and all("LIMIT" in s for s in statements), statements
    stored = await store.load_messages(cid)
    assert isinstance(world.model, ScriptedModel)
    (request,) = world.model.requests
    assert request.messages == window(stored[:-1])  # all but the reply it gave
