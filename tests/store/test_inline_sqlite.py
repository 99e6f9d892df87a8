"""SQLite file transactions run on the event loop, and never make it wait.

When no other connection holds the write lock, a transaction runs right on the loop. When
another process holds it, the transaction goes to the store's worker thread and waits
there, while the loop goes on serving everyone else. Inline commits don't checkpoint the
WAL; the worker does, so the WAL stays small.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from coworker.store import queries
from coworker.store.queries import Store


@pytest.fixture
async def file_store(tmp_path: Path) -> AsyncIterator[tuple[Store, Path]]:
    path = tmp_path / "coworker.db"
    store = await Store.open(f"sqlite+aiosqlite:///{path}")
    yield store, path
    await store.close()


def _thread(connection: Connection) -> int:
    return threading.get_ident()


async def test_a_transaction_runs_on_the_loop_when_the_database_is_free(
    file_store: tuple[Store, Path],
) -> None:
    store, _ = file_store
    assert await store._run(_thread) == threading.get_ident()


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


async def test_while_locked_even_a_read_free_of_the_lock_stays_correct(
    file_store: tuple[Store, Path],
) -> None:
    store, path = file_store
    other_process = sqlite3.connect(path, isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")
    try:
        assert await store.find_user("nobody") is None  # WAL: readers never wait
        assert await store._run(_thread) == threading.get_ident()
    finally:
        other_process.execute("ROLLBACK")
        other_process.close()


@pytest.mark.parametrize("checkpoint_every", [25, 10**9])
async def test_the_worker_folds_the_wal_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checkpoint_every: int
) -> None:
    monkeypatch.setattr(queries, "_CHECKPOINT_EVERY", checkpoint_every)
    path = tmp_path / "coworker.db"
    store = await Store.open(f"sqlite+aiosqlite:///{path}")
    try:
        user = await store.ensure_user("alex", "Alex")
        conversation = await store.get_or_create_conversation(user.id, "test", "k")
        body = "x" * 3000
        for index in range(400):
            message = {"role": "user" if index % 2 == 0 else "assistant", "content": body}
            await store.append_messages(conversation.id, [message])
        await asyncio.get_running_loop().run_in_executor(store._executor, lambda: None)
        wal = path.with_name(path.name + "-wal").stat().st_size
    finally:
        await store.close()
    if checkpoint_every == 25:
        assert wal < 1_000_000, f"the WAL grew to {wal} bytes despite the checkpoints"
    else:
        assert wal > 2_000_000, "without checkpoints the WAL grows (or this test shows nothing)"
