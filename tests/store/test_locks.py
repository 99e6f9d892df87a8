"""Conversation locks: one turn at a time per conversation, across stores (replicas) on
PostgreSQL, within a process on SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from coworker.store.facade import Store
from coworker.store.locks import AdvisoryLocks, LocalLocks, advisory_key
from tests.support.databases import shared_database

SETTLE_S = 0.3  # long enough for a wrongly granted lock to show itself


async def _until_waiting(store: Store, conversation_id: str) -> None:
    """Until a second holder is really queued: on PostgreSQL an ungranted advisory lock, in
    a process a waiter on the conversation's asyncio lock (not a fixed sleep)."""
    for _ in range(500):
        if isinstance(store.locks, AdvisoryLocks):
            async with store.engine.connect() as conn:
                waiting = await conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                    )
                )
            if waiting:
                return
        elif isinstance(store.locks, LocalLocks) and store.locks.lock(conversation_id)._waiters:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the second holder never started waiting")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def two_stores(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[Store, Store]]:
    async with shared_database(request.param, tmp_path, purpose="locks") as url:
        first = await Store.open(url)
        second = first if request.param == "sqlite" else await Store.open(url)
        try:
            yield first, second
        finally:
            await first.close()
            if second is not first:
                await second.close()


async def _waits(store: Store, conversation_id: str, got: asyncio.Event) -> None:
    async with store.locks.hold(conversation_id):
        got.set()


async def test_a_second_turn_waits_until_the_first_is_done(two_stores: tuple[Store, Store]) -> None:
    first, second = two_stores
    got = asyncio.Event()
    async with first.locks.hold("conversation-a"):
        waiting = asyncio.create_task(_waits(second, "conversation-a", got))
        await _until_waiting(second, "conversation-a")
        await asyncio.sleep(SETTLE_S)
        assert not got.is_set()
        other = asyncio.Event()
        await _waits(second, "conversation-b", other)  # another conversation: no wait
        assert other.is_set()
    await asyncio.wait_for(waiting, timeout=10)
    assert got.is_set()


async def test_a_waiter_cancelled_leaves_no_lock_behind(two_stores: tuple[Store, Store]) -> None:
    first, second = two_stores
    async with first.locks.hold("conversation-c"):
        waiting = asyncio.create_task(_waits(second, "conversation-c", asyncio.Event()))
        await _until_waiting(second, "conversation-c")
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
    got = asyncio.Event()
    await asyncio.wait_for(_waits(second, "conversation-c", got), timeout=10)
    await asyncio.wait_for(_waits(first, "conversation-c", got), timeout=10)
    assert got.is_set()


async def test_a_turn_that_fails_releases_its_lock(two_stores: tuple[Store, Store]) -> None:
    first, second = two_stores
    with pytest.raises(RuntimeError):
        async with first.locks.hold("conversation-d"):
            raise RuntimeError("the model fell over")
    got = asyncio.Event()
    await asyncio.wait_for(_waits(second, "conversation-d", got), timeout=10)
    assert got.is_set()


async def test_sqlite_gets_process_locks(tmp_path: Path) -> None:
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    try:
        assert isinstance(store.locks, LocalLocks)
    finally:
        await store.close()
    assert advisory_key("a") != advisory_key("b")
    assert -(2**63) <= advisory_key("a") < 2**63


@pytest.mark.postgres
async def test_postgres_gets_advisory_locks(tmp_path: Path) -> None:
    async with shared_database("postgresql", tmp_path, purpose="locks") as url:
        store = await Store.open(url)
        try:
            assert isinstance(store.locks, AdvisoryLocks)
        finally:
            await store.close()


async def test_a_turn_cancelled_mid_way_releases_its_lock(two_stores: tuple[Store, Store]) -> None:
    first, second = two_stores
    inside = asyncio.Event()

    async def turn() -> None:
        async with first.locks.hold("conversation-e"):
            inside.set()
            await asyncio.sleep(60)

    running = asyncio.create_task(turn())
    await asyncio.wait_for(inside.wait(), timeout=10)
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    got = asyncio.Event()
    await asyncio.wait_for(_waits(second, "conversation-e", got), timeout=10)
    assert got.is_set()


@pytest.mark.postgres
async def test_a_lost_lock_connection_does_not_fail_the_turn(tmp_path: Path) -> None:
    async with shared_database("postgresql", tmp_path, purpose="locks") as url:
        first, second = await Store.open(url), await Store.open(url)
        try:
            async with first.locks.hold("conversation-f"):
                async with second.engine.connect() as conn:  # the lock's session goes away
                    await conn.execute(
                        text(
                            "SELECT pg_terminate_backend(pid) FROM pg_locks"
                            " WHERE locktype = 'advisory' AND granted"
                        )
                    )
            got = asyncio.Event()  # the turn ended normally; the lock is free
            await asyncio.wait_for(_waits(second, "conversation-f", got), timeout=10)
            assert got.is_set()
        finally:
            await first.close()
            await second.close()
