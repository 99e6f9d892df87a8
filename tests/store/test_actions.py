"""Pending actions: bound to their input, claimed at most once, expired on time."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError, StatementError

from coworker.store.facade import Store
from coworker.store.records import ActionRecord, ConversationRecord, RecordNotFound
from tests.support.store_queries import expire_actions

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EMAIL = {"lead_id": "l1", "subject": "Hi", "body": "Hello Jane", "to": "jane@acme.com"}


@pytest.fixture
async def conversation(store: Store) -> ConversationRecord:
    user = await store.ensure_user("local")
    return await store.get_or_create_conversation(user.id, "web", "w1")


async def new_action(
    store: Store, conversation: ConversationRecord, *, expires_at: datetime | None = None
) -> ActionRecord:
    return await store.create_action(
        conversation.id,
        conversation.user_id,
        "toolu_1",
        "send_email",
        EMAIL,
        expires_at or NOW + timedelta(minutes=30),
    )


async def test_create_action(store: Store, conversation: ConversationRecord) -> None:
    action = await new_action(store, conversation)
    assert action.status == "pending"
    assert (action.tool_use_id, action.tool_name, action.input) == ("toolu_1", "send_email", EMAIL)
    canonical = '{"body":"Hello Jane","lead_id":"l1","subject":"Hi","to":"jane@acme.com"}'
    assert action.input_hash == hashlib.sha256(canonical.encode()).hexdigest()
    reordered = await store.create_action(
        conversation.id,
        conversation.user_id,
        "toolu_2",
        "send_email",
        dict(reversed(EMAIL.items())),
        NOW,
    )
    assert reordered.input_hash == action.input_hash
    assert action.expires_at == NOW + timedelta(minutes=30)
    assert (action.edits, action.reason, action.result, action.error) == (None, None, None, None)
    assert (action.decided_at, action.decided_by) == (None, None)
    assert await store.get_action(action.id) == action
    assert await store.get_action("nope") is None


async def test_exactly_one_of_twenty_concurrent_claims_wins(
    store: Store, replicas: list[Store], conversation: ConversationRecord
) -> None:
    """Twenty approvals at once (double clicks, Slack retries, several replicas), each on its
    own connection: one conditional UPDATE each, so exactly one wins."""
    action = await new_action(store, conversation)
    results = await asyncio.gather(
        *(
            replica.claim_action(action.id, decided_by=f"clicker-{i}", now=NOW)
            for i, replica in enumerate(replicas)
        )
    )
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and results.count(None) == 19
    won = winners[0]
    assert won.status == "executing" and won.decided_at == NOW
    assert await store.get_action(action.id) == won


async def test_concurrent_claims_through_one_store(
    store: Store, conversation: ConversationRecord
) -> None:
    action = await new_action(store, conversation)
    results = await asyncio.gather(
        *(store.claim_action(action.id, decided_by="u", now=NOW) for _ in range(20))
    )
    assert sum(r is not None for r in results) == 1


async def test_claim_records_the_decision(store: Store, conversation: ConversationRecord) -> None:
    action = await new_action(store, conversation)
    edits = {"subject": "Hi Jane"}
    claimed = await store.claim_action(
        action.id, decided_by=conversation.user_id, edits=edits, now=NOW
    )
    assert claimed is not None
    assert (claimed.status, claimed.decided_by, claimed.edits) == (
        "executing",
        conversation.user_id,
        edits,
    )
    assert claimed.input == EMAIL  # the request stays as asked; edits are kept beside it


async def test_claim_on_a_non_pending_action_returns_none(
    store: Store, conversation: ConversationRecord
) -> None:
    action = await new_action(store, conversation)
    rejected = await store.claim_action(
        action.id, to_status="rejected", decided_by="u", reason="wrong lead", now=NOW
    )
    assert rejected is not None and (rejected.status, rejected.reason) == ("rejected", "wrong lead")
    assert await store.claim_action(action.id, decided_by="u", now=NOW) is None
    assert await store.claim_action("nope", decided_by="u", now=NOW) is None
    assert (await store.get_action(action.id)) == rejected


async def test_finish_action(store: Store, conversation: ConversationRecord) -> None:
    action = await new_action(store, conversation)
    await store.claim_action(action.id, decided_by="u", now=NOW)
    done = await store.finish_action(action.id, status="succeeded", result={"email": {"id": "e1"}})
    assert (done.status, done.result, done.error) == ("succeeded", {"email": {"id": "e1"}}, None)
    other = await new_action(store, conversation)
    await store.claim_action(other.id, decided_by="u", now=NOW)
    unknown = await store.finish_action(other.id, status="unknown", error="timed out")
    assert (unknown.status, unknown.result, unknown.error) == ("unknown", None, "timed out")
    # an unknown outcome is reconciled later, from "unknown" only
    reconciled = await store.claim_action(
        other.id, from_status="unknown", to_status="succeeded", decided_by=None, now=NOW
    )
    assert reconciled is not None and reconciled.status == "succeeded"
    with pytest.raises(RecordNotFound):
        await store.finish_action("nope", status="failed")


async def test_expire_actions_only_touches_due_pending_ones(
    store: Store, conversation: ConversationRecord
) -> None:
    due = await new_action(store, conversation, expires_at=NOW - timedelta(seconds=1))
    exactly_now = await new_action(store, conversation, expires_at=NOW)
    later = await new_action(store, conversation, expires_at=NOW + timedelta(seconds=1))
    decided = await new_action(store, conversation, expires_at=NOW - timedelta(hours=1))
    await store.claim_action(decided.id, decided_by="u", now=NOW - timedelta(hours=2))

    expired = await expire_actions(store, NOW)
    assert {a.id for a in expired} == {due.id, exactly_now.id}
    assert all(a.status == "expired" and a.decided_at == NOW for a in expired)
    assert (await store.get_action(later.id)).status == "pending"  # type: ignore[union-attr]
    assert (await store.get_action(decided.id)).status == "executing"  # type: ignore[union-attr]
    assert await expire_actions(store, NOW) == []  # already done
    # an expired action can no longer be approved
    assert await store.claim_action(due.id, decided_by="u", now=NOW) is None


async def test_list_actions_filters_newest_first(
    store: Store, conversation: ConversationRecord
) -> None:
    other_user = await store.ensure_user("web:other")
    elsewhere = await store.get_or_create_conversation(other_user.id, "web", "w2")
    first = await new_action(store, conversation)
    second = await new_action(store, conversation)
    theirs = await new_action(store, elsewhere)
    await store.claim_action(first.id, to_status="rejected", decided_by="u", now=NOW)

    assert [a.id for a in await store.list_actions()] == [theirs.id, second.id, first.id]
    mine = await store.list_actions(user_id=conversation.user_id)
    assert [a.id for a in mine] == [second.id, first.id]
    assert [a.id for a in await store.list_actions(conversation_id=elsewhere.id)] == [theirs.id]
    pending = await store.list_actions(user_id=conversation.user_id, status="pending")
    assert [a.id for a in pending] == [second.id]


async def test_datetimes_round_trip_as_aware_utc(
    store: Store, conversation: ConversationRecord
) -> None:
    paris = timezone(timedelta(hours=1))
    local = datetime(2026, 3, 2, 10, 0, 0, 123456, tzinfo=paris)
    action = await new_action(store, conversation, expires_at=local)
    stored = await store.get_action(action.id)
    assert stored is not None
    assert stored.expires_at == local
    assert stored.expires_at.tzinfo is UTC
    assert stored.expires_at == datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)
    for value in (stored.created_at, stored.updated_at, conversation.created_at):
        assert value.tzinfo is UTC
    with pytest.raises(StatementError, match="naive datetime"):
        await new_action(store, conversation, expires_at=datetime(2026, 3, 2))  # noqa: DTZ001


async def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(IntegrityError):
        await store.create_action("no-conversation", "no-user", "t", "send_sms", {}, NOW)
