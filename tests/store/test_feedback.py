"""The feedback table on SQLite and PostgreSQL: one row per person and reply whatever the
races, each press audited in the same transaction, read newest first from a date on."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from coworker.store.facade import Store
from coworker.store.feedback import FEEDBACK_RECORDED, NewFeedback
from tests.support.store_queries import list_audit


async def _entry(store: Store, external_id: str = "web:alice", seq: int = 2) -> NewFeedback:
    user = await store.ensure_user(external_id)
    conversation = await store.get_or_create_conversation(user.id, "web", f"k-{external_id}")
    return NewFeedback(
        user_id=user.id,
        user_external_id=external_id,
        conversation_id=conversation.id,
        reply_seq=seq,
        rating="down",
        channel="web",
        model="claude:claude-sonnet-4-5",
        tools=["search_leads", "get_lead"],
        reply="Jane is at Acme.",
    )


async def test_a_press_is_kept_with_its_turn_and_audited(store: Store) -> None:
    entry = await _entry(store)
    stored = await store.record_feedback(entry)
    assert (stored.user_id, stored.conversation_id, stored.reply_seq) == (
        entry.user_id,
        entry.conversation_id,
        2,
    )
    assert (stored.rating, stored.channel, stored.model) == ("down", "web", entry.model)
    assert stored.tools == ["search_leads", "get_lead"] and stored.reply == "Jane is at Acme."
    assert stored.user_external_id == "web:alice"
    assert stored.created_at == stored.updated_at and stored.created_at.tzinfo is not None
    assert await store.list_feedback() == [stored]
    audit = await list_audit(store, conversation_id=entry.conversation_id)
    assert [(e.kind, e.actor) for e in audit] == [(FEEDBACK_RECORDED, entry.user_id)]
    assert audit[0].data["feedback_id"] == stored.id


async def test_a_second_press_replaces_the_rating_not_the_turn(store: Store) -> None:
    entry = await _entry(store)
    first = await store.record_feedback(entry)
    again = replace(entry, rating="up", channel="slack", model="other", reply="changed")
    second = await store.record_feedback(again)
    assert second.id == first.id and second.created_at == first.created_at
    assert (second.rating, second.channel) == ("up", "slack")
    assert (second.model, second.reply) == (first.model, first.reply)  # as first recorded
    assert await store.list_feedback() == [second]
    audit = await list_audit(store, conversation_id=entry.conversation_id)
    assert [e.data["rating"] for e in audit] == ["down", "up"]


async def test_presses_racing_on_one_reply_leave_one_row(
    store: Store, replicas: list[Store]
) -> None:
    entry = await _entry(store)
    presses = [replace(entry, rating="up" if n % 2 else "down") for n in range(10)]
    stored = await asyncio.gather(
        *(r.record_feedback(press) for r, press in zip(replicas, presses, strict=False))
    )
    assert len({s.id for s in stored}) == 1
    rows = await store.list_feedback()
    assert len(rows) == 1 and rows[0].rating in {"up", "down"}
    audit = await list_audit(store, conversation_id=entry.conversation_id)
    assert len(audit) == 10  # every press audited


async def test_newest_first_since_and_by_rating(store: Store) -> None:
    alice = await _entry(store, "web:alice")
    bob = await _entry(store, "slack:T1:U2")
    a2 = await store.record_feedback(alice)
    b2 = await store.record_feedback(replace(bob, rating="up"))
    a4 = await store.record_feedback(replace(alice, reply_seq=4))
    assert [f.id for f in await store.list_feedback()] == [a4.id, b2.id, a2.id]
    assert [f.id for f in await store.list_feedback(rating="down")] == [a4.id, a2.id]
    assert [f.user_external_id for f in await store.list_feedback(rating="up")] == ["slack:T1:U2"]
    assert [f.id for f in await store.list_feedback(since=b2.updated_at)] == [a4.id, b2.id]
    later = a4.updated_at + timedelta(seconds=1)
    assert await store.list_feedback(since=later) == []
