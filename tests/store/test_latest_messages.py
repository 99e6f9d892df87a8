"""The newest messages of a conversation, a page at a time, read from the index backwards:
what a turn and the conversation display read instead of the whole transcript."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from coworker.store.facade import Store
from coworker.store.records import ConversationRecord, StoredMessage


def text(role: str, value: str) -> dict[str, Any]:
    return {"role": role, "content": [{"type": "text", "text": value}]}


async def _conversation(store: Store, key: str = "w1") -> ConversationRecord:
    user = await store.ensure_user("local")
    return await store.get_or_create_conversation(user.id, "web", key)


async def test_newest_first_then_older_by_seq(store: Store) -> None:
    conversation = await _conversation(store)
    other = await _conversation(store, "w2")
    roles = ["user", "assistant"]
    await store.append_messages(conversation.id, [text(roles[n % 2], f"m{n}") for n in range(7)])
    await store.append_messages(other.id, [text("user", "elsewhere")])

    newest = await store.load_latest_messages(conversation.id, 3)
    assert newest == [
        StoredMessage(5, "user", [{"type": "text", "text": "m4"}]),
        StoredMessage(6, "assistant", [{"type": "text", "text": "m5"}]),
        StoredMessage(7, "user", [{"type": "text", "text": "m6"}]),
    ]
    assert newest[0].as_message() == text("user", "m4")
    older = await store.load_latest_messages(conversation.id, 3, before=newest[0].seq)
    assert [m.seq for m in older] == [2, 3, 4]
    oldest = await store.load_latest_messages(conversation.id, 3, before=older[0].seq)
    assert [m.seq for m in oldest] == [1]
    assert await store.load_latest_messages(conversation.id, 3, before=1) == []
    everything = await store.load_latest_messages(conversation.id, 100)
    assert [m.as_message() for m in everything] == await store.load_messages(conversation.id)
    assert await store.load_latest_messages("nope", 5) == []


async def test_sqlite_reads_the_index_backwards_without_sorting(tmp_path: Any) -> None:
    """The cost must not depend on the conversation's length: a range scan of the unique
    (conversation_id, seq) index, in its order, stopped by LIMIT; no sort of all rows."""
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'plan.db'}")
    try:
        conversation = await _conversation(store)
        await store.append_messages(conversation.id, [text("user", f"m{n}") for n in range(50)])
        seen: list[tuple[str, Any]] = []

        def capture(conn: Any, cursor: Any, statement: str, params: Any, *args: Any) -> None:
            if "FROM messages" in statement:
                seen.append((statement, params))

        assert store.sync_engine is not None
        engines = [store.sync_engine]
        for engine in engines:
            event.listen(engine, "before_cursor_execute", capture)
        try:
            await store.load_latest_messages(conversation.id, 10)
        finally:
            for engine in engines:
                event.remove(engine, "before_cursor_execute", capture)
        ((statement, params),) = seen
        with store.sync_engine.connect() as connection:
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
        details = " | ".join(str(row[-1]) for row in plan)
        assert "USING INDEX" in details and "seq<" in details.replace(" ", ""), details
        assert "TEMP B-TREE" not in details, details
    finally:
        await store.close()
