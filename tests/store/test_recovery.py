"""Recovering actions left `executing` by a process that died (agent/recovery.py): one
conditional UPDATE past the lease, with its audit event, each action to exactly one caller."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from coworker.store.facade import Store
from coworker.store.records import ActionRecord, ConversationRecord
from tests.support.store_queries import list_audit

CLAIMED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=8)
AFTER_LEASE = CLAIMED + LEASE + timedelta(seconds=1)
SMS = {"lead_id": "l1", "message": "Running late"}


@pytest.fixture
async def conversation(store: Store) -> ConversationRecord:
    user = await store.ensure_user("local")
    return await store.get_or_create_conversation(user.id, "web", "w1")


async def executing(
    store: Store, conversation: ConversationRecord, tool_use_id: str, *, at: datetime = CLAIMED
) -> ActionRecord:
    action = await store.create_action(
        conversation.id,
        conversation.user_id,
        tool_use_id,
        "send_sms",
        SMS,
        at + timedelta(hours=1),
    )
    claimed = await store.claim_action(
        action.id, decided_by=conversation.user_id, edits={"message": "Late!"}, now=at
    )
    assert claimed is not None
    return claimed


async def recover(store: Store, now: datetime, action_id: str | None = None) -> list[ActionRecord]:
    return await store.recover_actions(
        claimed_before=now - LEASE, now=now, error="the process stopped", action_id=action_id
    )


async def test_only_executing_actions_past_their_lease_are_recovered(
    store: Store, conversation: ConversationRecord
) -> None:
    old = await executing(store, conversation, "toolu_old")
    recent = await executing(store, conversation, "toolu_recent", at=CLAIMED + LEASE)
    pending = await store.create_action(
        conversation.id, conversation.user_id, "toolu_p", "send_sms", SMS, CLAIMED
    )
    done = await executing(store, conversation, "toolu_done")
    await store.finish_action(done.id, status="succeeded", result={"sms": {}})

    (recovered,) = await recover(store, AFTER_LEASE)

    assert recovered.id == old.id and recovered.status == "unknown"
    assert recovered.error == "the process stopped"
    # What the person approved is kept: the claim's decision and edits stay as they were.
    assert (recovered.decided_at, recovered.decided_by) == (old.decided_at, old.decided_by)
    assert recovered.edits == {"message": "Late!"}
    assert recovered.updated_at == AFTER_LEASE
    statuses = {a.id: a.status for a in await store.list_actions()}
    assert statuses[recent.id] == "executing", "inside its lease: it may still be running"
    assert statuses[pending.id] == "pending"
    assert statuses[done.id] == "succeeded"
    (audit,) = await list_audit(store, action_id=old.id)
    assert (audit.kind, audit.conversation_id, audit.at) == (
        "action.recovered",
        conversation.id,
        AFTER_LEASE,
    )
    assert audit.data == {"claimed_at": CLAIMED.isoformat()}
    assert await recover(store, AFTER_LEASE) == [], "a recovered action is not recovered again"


async def test_one_action_can_be_recovered_alone(
    store: Store, conversation: ConversationRecord
) -> None:
    first = await executing(store, conversation, "toolu_1")
    second = await executing(store, conversation, "toolu_2")
    assert [a.id for a in await recover(store, AFTER_LEASE, second.id)] == [second.id]
    assert [a.id for a in await recover(store, CLAIMED, first.id)] == [], "inside its lease"
    assert (await store.get_action(first.id) or first).status == "executing"


async def test_replicas_recovering_at_once_recover_each_action_exactly_once(
    store: Store, replicas: list[Store], conversation: ConversationRecord
) -> None:
    """Twenty stores on their own connections (twenty replicas' sweeps at the same moment):
    each action comes back to exactly one of them, with exactly one audit event."""
    actions = [await executing(store, conversation, f"toolu_{i}") for i in range(5)]
    swept = await asyncio.gather(*(recover(replica, AFTER_LEASE) for replica in replicas))
    recovered = sorted(a.id for batch in swept for a in batch)
    assert recovered == sorted(a.id for a in actions)
    for action in actions:
        kinds = [a.kind for a in await list_audit(store, action_id=action.id)]
        assert kinds.count("action.recovered") == 1
