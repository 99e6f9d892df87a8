"""One turn at a time per conversation, across every process that shares the database.

A turn loads the transcript, calls the model and tools, and appends to it; two turns of one
conversation interleaved would break it (a second user message between a tool_use and its
result, or a tool call answered twice). Within a process an `asyncio.Lock` orders them.
Replicas on PostgreSQL also take a session-level advisory lock keyed on the conversation,
on a connection of its own held for the turn: a message that reaches another replica waits
there until the first turn is done. The lock goes with its connection, so a replica that
dies mid-turn never leaves a conversation locked.

SQLite is one machine's file for one service process; the process lock is the whole story.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import weakref
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

log = logging.getLogger("coworker.store")

# Connections that may hold a conversation's lock at once, per process: turns beyond this
# wait for one (they hold nothing else meanwhile, so waiting cannot deadlock). With the
# store's own pool (5 + 10) a replica opens at most 35 connections: two fit PostgreSQL's
# default max_connections of 100 with room to spare.
LOCK_POOL_SIZE = 10
LOCK_POOL_OVERFLOW = 10


class ConversationLocks(ABC):
    @abstractmethod
    def hold(self, conversation_id: str) -> AbstractAsyncContextManager[None]:
        """Held for one turn; a second holder of the same conversation waits."""

    @abstractmethod
    async def close(self) -> None:
        """Release what the locks keep open."""


class LocalLocks(ConversationLocks):
    """asyncio locks for this process, created on demand and dropped when unused."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def lock(self, conversation_id: str) -> asyncio.Lock:
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation_id] = lock
        return lock

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        async with self.lock(conversation_id):
            yield

    async def close(self) -> None:
        self._locks.clear()


def advisory_key(conversation_id: str) -> int:
    """A signed 64-bit key for `pg_advisory_lock` (a collision only serialises two turns)."""
    digest = hashlib.blake2b(conversation_id.encode(), digest_size=8, person=b"coworker").digest()
    return int.from_bytes(digest, "big", signed=True)


class AdvisoryLocks(ConversationLocks):
    """PostgreSQL advisory locks, behind a process-local lock so that one waiter per process
    and conversation reaches the database.

    Releasing runs in a task of its own, shielded: a turn cancelled (a client gone) or
    failing still gets its lock released, or its connection closed, which releases it too;
    the turn never fails because of the release. If the lock's connection is lost mid-turn
    the database has already dropped the lock, and another replica may start a turn of that
    conversation early: the lock needs session pinning, so a transaction-pooling PgBouncer
    cannot carry it (point DATABASE_URL at PostgreSQL or a session-pooling proxy).
    """

    def __init__(self, url: str | URL) -> None:
        self.local = LocalLocks()
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=LOCK_POOL_SIZE,
            max_overflow=LOCK_POOL_OVERFLOW,
            pool_timeout=None,  # turns beyond the pool wait for a connection, never fail
            pool_pre_ping=True,
            # no transaction stays open while a turn runs: the lock is the session's
            isolation_level="AUTOCOMMIT",
        )
        self._releasing: set[asyncio.Task[None]] = set()

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        key = advisory_key(conversation_id)
        async with self.local.hold(conversation_id):
            conn = await self.engine.connect()
            try:
                await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            except BaseException:
                # cancelled mid-wait: the lock may have been granted all the same
                await self._release(conn, None)
                raise
            try:
                yield
            finally:
                await self._release(conn, key)

    async def _release(self, conn: AsyncConnection, key: int | None) -> None:
        task = asyncio.ensure_future(_unlock(conn, key))
        self._releasing.add(task)
        task.add_done_callback(self._releasing.discard)
        await asyncio.shield(task)  # cancelled here, the release still completes

    async def close(self) -> None:
        if self._releasing:
            await asyncio.wait(set(self._releasing), timeout=10)
        await self.engine.dispose()


async def _unlock(conn: AsyncConnection, key: int | None) -> None:
    """Unlock and give the connection back; on any doubt, close it for good instead (a
    closed session holds no locks)."""
    try:
        if key is not None:
            unlocked = await conn.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            if unlocked:
                await conn.close()
                return
            log.warning("store: a conversation lock was already gone when its turn ended")
        await conn.invalidate()
    except Exception as error:
        log.warning("store: releasing a conversation lock failed (%s)", type(error).__name__)
        with suppress(Exception):
            await conn.invalidate()


def locks_for(engine: AsyncEngine) -> ConversationLocks:
    if engine.dialect.name == "postgresql":
        return AdvisoryLocks(engine.url)
    return LocalLocks()
