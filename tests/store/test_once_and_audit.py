"""Once-only markers (Slack event ids, daily summary runs) and the audit trail."""

from __future__ import annotations

import asyncio
from datetime import date

from coworker.store.facade import Store
from tests.support.store_queries import list_audit

DAY = date(2026, 3, 2)


async def test_mark_event_processed_once(store: Store) -> None:
    assert await store.mark_event_processed("Ev01", "slack") is True
    assert await store.mark_event_processed("Ev01", "slack") is False
    assert await store.mark_event_processed("Ev02", "slack") is True


async def test_mark_event_processed_concurrently(replicas: list[Store]) -> None:
    """A Slack retry arriving at ten replicas at once is handled by exactly one."""
    results = await asyncio.gather(*(r.mark_event_processed("Ev9", "slack") for r in replicas[:10]))
    assert results.count(True) == 1 and results.count(False) == 9


async def test_claim_summary_run_once_then_retry_failed(
    store: Store, replicas: list[Store]
) -> None:
    user = await store.ensure_user("local")
    claims = await asyncio.gather(*(r.claim_summary_run(user.id, DAY) for r in replicas[:10]))
    assert claims.count(True) == 1
    run = await store.get_summary_run(user.id, DAY)
    assert run is not None and (run.status, run.attempts, run.run_date) == ("claimed", 1, DAY)
    assert await store.retry_failed_summary_run(user.id, DAY) is False  # not failed

    await store.finish_summary_run(user.id, DAY, "failed", error="CRM unavailable")
    run = await store.get_summary_run(user.id, DAY)
    assert run is not None and (run.status, run.error) == ("failed", "CRM unavailable")
    retries = await asyncio.gather(
        *(r.retry_failed_summary_run(user.id, DAY) for r in replicas[:10])
    )
    assert retries.count(True) == 1
    run = await store.get_summary_run(user.id, DAY)
    assert run is not None and (run.status, run.attempts, run.error) == ("claimed", 2, None)

    await store.finish_summary_run(user.id, DAY, "sent")
    assert await store.claim_summary_run(user.id, DAY) is False
    assert await store.retry_failed_summary_run(user.id, DAY) is False
    assert await store.claim_summary_run(user.id, date(2026, 3, 3)) is True
    assert await store.get_summary_run(user.id, date(2026, 3, 4)) is None


async def test_audit_in_order_with_filters(store: Store) -> None:
    kinds = ["action.created", "action.approved", "action.executing", "action.succeeded"]
    for kind in kinds:
        await store.add_audit(kind, actor="u1", action_id="a1", conversation_id="c1")
    other = await store.add_audit("action.created", action_id="a2", data={"tool": "send_sms"})
    assert other.data == {"tool": "send_sms"} and other.actor is None
    assert other.at.tzinfo is not None

    trail = await list_audit(store, action_id="a1")
    assert [e.kind for e in trail] == kinds
    assert [e.id for e in trail] == sorted(e.id for e in trail)
    assert all(e.data == {} and e.actor == "u1" for e in trail)
    assert [e.kind for e in await list_audit(store, conversation_id="c1")] == kinds
    assert len(await list_audit(store)) == 5
    assert await list_audit(store, action_id="a2", conversation_id="c1") == []
