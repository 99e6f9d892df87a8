"""The transcript: ordered content blocks, appended atomically."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from coworker.store.facade import Store
from coworker.store.records import ConversationRecord, RecordNotFound
from coworker.store.tables import Message


@pytest.fixture
async def conversation(store: Store) -> ConversationRecord:
    user = await store.ensure_user("local")
    return await store.get_or_create_conversation(user.id, "web", "w1")


def text(role: str, value: str) -> dict[str, Any]:
    return {"role": role, "content": [{"type": "text", "text": value}]}


async def _seqs(store: Store, conversation_id: str) -> list[tuple[int, str, Any]]:
    async with store.sessions() as session:
        rows = await session.execute(
            select(Message.seq, Message.role, Message.usage)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.id)
        )
        return [tuple(row) for row in rows.all()]


async def test_append_and_load_in_order(store: Store, conversation: ConversationRecord) -> None:
    assert await store.load_messages(conversation.id) == []
    tool_use = {"type": "tool_use", "id": "tu_1", "name": "search_leads", "input": {"q": "acme"}}
    await store.append_messages(conversation.id, [text("user", "find acme")])
    await store.append_messages(
        conversation.id,
        [{"role": "assistant", "content": [tool_use]}, text("user", "(results)")],
        usages=[{"input_tokens": 12, "output_tokens": 7}, None],
    )
    await store.append_messages(conversation.id, [])  # nothing to do
    assert await store.load_messages(conversation.id) == [
        text("user", "find acme"),
        {"role": "assistant", "content": [tool_use]},
        text("user", "(results)"),
    ]
    # seq counts from 1; usage is on the message it was given for
    assert await _seqs(store, conversation.id) == [
        (1, "user", None),
        (2, "assistant", {"input_tokens": 12, "output_tokens": 7}),
        (3, "user", None),
    ]
    with pytest.raises(ValueError, match="2 usages for 1 messages"):
        await store.append_messages(conversation.id, [text("user", "x")], usages=[None, None])


async def test_string_content_becomes_a_text_block(
    store: Store, conversation: ConversationRecord
) -> None:
    await store.append_messages(conversation.id, [{"role": "user", "content": "hi"}])
    assert await store.load_messages(conversation.id) == [text("user", "hi")]


async def test_replace_last_message(store: Store, conversation: ConversationRecord) -> None:
    with pytest.raises(RecordNotFound):
        await store.replace_last_message(conversation.id, text("user", "x"))
    await store.append_messages(conversation.id, [text("user", "a")])
    await store.append_messages(conversation.id, [text("user", "b")], usages=[{"output_tokens": 1}])
    merged = {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "tu_1", "content": "done"},
            {"type": "text", "text": "b"},
        ],
    }
    await store.replace_last_message(conversation.id, merged)
    assert await store.load_messages(conversation.id) == [text("user", "a"), merged]
    assert (await _seqs(store, conversation.id))[-1] == (2, "user", {"output_tokens": 1})


async def test_a_failed_transaction_leaves_nothing_behind(
    store: Store, conversation: ConversationRecord
) -> None:
    before = await store.get_conversation(conversation.id)
    with pytest.raises(RecordNotFound):  # after its touch of the conversation
        await store.replace_last_message(conversation.id, text("user", "x"))
    assert await store.get_conversation(conversation.id) == before  # the touch rolled back


async def test_concurrent_appends_are_serialized(
    store: Store, replicas: list[Store], conversation: ConversationRecord
) -> None:
    """Two writers on one conversation: every batch lands whole, on consecutive seqs.

    Appends take the conversation's lock (row lock on PostgreSQL, the write lock on SQLite)
    before reading max(seq), so they run one after the other instead of colliding."""

    async def writer(writer_store: Store, name: str) -> None:
        for i in range(10):
            batch = [text("assistant", f"{name}{i}a"), text("user", f"{name}{i}b")]
            await writer_store.append_messages(conversation.id, batch)

    await asyncio.gather(writer(replicas[0], "x"), writer(replicas[1], "y"))
    seqs = [seq for seq, _, _ in await _seqs(store, conversation.id)]
    assert sorted(seqs) == list(range(1, 41))
    texts = [m["content"][0]["text"] for m in await store.load_messages(conversation.id)]
    pairs = [(texts[i], texts[i + 1]) for i in range(0, 40, 2)]
    assert all(a[:-1] == b[:-1] and (a[-1], b[-1]) == ("a", "b") for a, b in pairs)
    for name in ("x", "y"):
        own = [a[:-1] for a, _ in pairs if a.startswith(name)]
        assert own == [f"{name}{i}" for i in range(10)]


async def test_append_to_a_missing_conversation(store: Store) -> None:
    with pytest.raises(RecordNotFound):
        await store.append_messages("nope", [text("user", "hi")])
