"""SQLite transactions run in the store's worker thread, never on the event loop.

A large query (a 20,000-action listing) or a write waiting for another process's lock
stalls only that thread: the loop goes on serving everyone else. The WAL stays small
without the store's help (SQLite checkpoints it on commit).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from coworker.store.facade import Store


@pytest.fixture
async def file_store(tmp_path: Path) -> AsyncIterator[tuple[Store, Path]]:
    path = tmp_path / "coworker.db"
    store = await Store.open(f"sqlite+aiosqlite:///{path}")
    yield store, path
    await store.close()


def _thread(connection: Connection) -> int:
    return threading.get_ident()


async def test_a_transaction_never_runs_on_the_loop(file_store: tuple[Store, Path]) -> None:
    store, _ = file_store
    assert await store._tx.run(_thread) != threading.get_ident()


async def test_a_slow_transaction_does_not_stall_the_loop(file_store: tuple[Store, Path]) -> None:
    store, _ = file_store
    started, release = threading.Event(), threading.Event()

    def slow(connection: Connection) -> None:
        started.set()
        release.wait(5)  # a large query, as far as the loop can tell

    query = asyncio.create_task(store._tx.run(slow))
    try:
        assert await asyncio.to_thread(started.wait, 5)
        ticks = 0
        for _ in range(10):
            await asyncio.sleep(0.01)
            ticks += 1
        assert ticks == 10 and not query.done(), "the loop should go on while the query runs"
    finally:
        release.set()
    await asyncio.wait_for(query, timeout=5)


async def test_a_locked_database_is_waited_for_in_the_worker_not_on_the_loop(
    file_store: tuple[Store, Path],
) -> None:
    store, path = file_store
    user = await store.ensure_user("alex", "Alex")
    conversation = await store.get_or_create_conversation(user.id, "test", "k")
    other_process = sqlite3.connect(path, isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")  # holds the write lock, as a CLI command might
    try:
        write = asyncio.create_task(
            store.append_messages(conversation.id, [{"role": "user", "content": "hi"}])
        )
        ticks = 0
        for _ in range(20):
            await asyncio.sleep(0.01)
            ticks += 1
        assert ticks == 20 and not write.done(), "the write should wait, and the loop go on"
    finally:
        other_process.execute("ROLLBACK")
        other_process.close()
    await asyncio.wait_for(write, timeout=5)
    assert await store.load_messages(conversation.id) == [
        {"role": "user", "content": [{"type": "text", "text": "hi"}]}
    ]


async def test_the_wal_stays_small(tmp_path: Path) -> None:
    path = tmp_path / "coworker.db"
    store = await Store.open(f"sqlite+aiosqlite:///{path}")
    try:
        user = await store.ensure_user("alex", "Alex")
        conversation = await store.get_or_create_conversation(user.id, "test", "k")
        body = "x" * 3000
        for index in range(400):
            message = {"role": "user" if index % 2 == 0 else "assistant", "content": body}
            await store.append_messages(conversation.id, [message])
        wal = path.with_name(path.name + "-wal").stat().st_size
    finally:
        await store.close()
    assert wal < 5_000_000, f"the WAL grew to {wal} bytes"
