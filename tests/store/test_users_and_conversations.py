"""Users and conversations: created once, whoever gets there first."""

from __future__ import annotations

import asyncio

import pytest

from coworker.store.facade import Store
from coworker.store.records import RecordNotFound
from tests.support.store_queries import list_conversations, touch_conversation


async def test_ensure_user_is_idempotent_under_concurrency(
    store: Store, replicas: list[Store]
) -> None:
    users = await asyncio.gather(*(r.ensure_user("slack:T1:U1", "Alex") for r in replicas[:10]))
    assert len({user.id for user in users}) == 1
    user = users[0]
    assert (user.external_id, user.display_name) == ("slack:T1:U1", "Alex")
    assert (user.timezone, user.summary_enabled, user.summary_time) == ("UTC", True, "08:30")
    assert (user.summary_weekdays, user.summary_channel) == ("mon,tue,wed,thu,fri", "web")
    assert user.dialsheet_key_encrypted is None
    assert await store.ensure_user("slack:T1:U1") == user  # found again, not renamed
    assert await store.get_user(user.id) == user
    assert await store.get_user("no-such-user") is None


async def test_update_user(store: Store) -> None:
    user = await store.ensure_user("web:abc")
    updated = await store.update_user(
        user.id, timezone="Europe/Paris", summary_enabled=False, dialsheet_key_encrypted="gAAA"
    )
    assert (updated.timezone, updated.summary_enabled) == ("Europe/Paris", False)
    assert updated.dialsheet_key_encrypted == "gAAA"
    assert updated.updated_at >= user.updated_at
    assert updated.created_at == user.created_at
    assert await store.get_user(user.id) == updated
    with pytest.raises(TypeError, match="external_id"):
        await store.update_user(user.id, external_id="web:other")
    with pytest.raises(RecordNotFound):
        await store.update_user("no-such-user", timezone="UTC")


async def test_conversation_is_unique_per_channel_and_key(
    store: Store, replicas: list[Store]
) -> None:
    user = await store.ensure_user("local")
    conversations = await asyncio.gather(
        *(r.get_or_create_conversation(user.id, "slack", "T1:C1:1.0", "hi") for r in replicas[:10])
    )
    assert len({c.id for c in conversations}) == 1
    first = conversations[0]
    assert (first.user_id, first.channel, first.external_key, first.title) == (
        user.id,
        "slack",
        "T1:C1:1.0",
        "hi",
    )
    # the same key on another channel is another conversation
    web = await store.get_or_create_conversation(user.id, "web", "T1:C1:1.0")
    assert web.id != first.id and web.title is None
    assert await store.get_conversation(first.id) == first
    assert await store.get_conversation("nope") is None


async def test_list_conversations_newest_activity_first(store: Store) -> None:
    user = await store.ensure_user("local")
    other = await store.ensure_user("web:someone-else")
    a = await store.get_or_create_conversation(user.id, "cli", "a")
    b = await store.get_or_create_conversation(user.id, "cli", "b")
    await store.get_or_create_conversation(other.id, "cli", "c")
    assert [c.id for c in await list_conversations(store, user.id)] == [b.id, a.id]
    await touch_conversation(store, a.id)
    assert [c.id for c in await list_conversations(store, user.id)] == [a.id, b.id]
    await store.append_messages(b.id, [{"role": "user", "content": "hello"}])
    assert [c.id for c in await list_conversations(store, user.id)] == [b.id, a.id]
    assert [c.id for c in await list_conversations(store, user.id, limit=1)] == [b.id]
    with pytest.raises(RecordNotFound):
        await touch_conversation(store, "nope")
