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
import weakref
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

# Connections that may hold a conversation's lock at once, per process: turns beyond this
# wait for one (they hold nothing else meanwhile, so waiting cannot deadlock).
LOCK_POOL_SIZE = 20
LOCK_POOL_OVERFLOW = 30


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
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

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
    and conversation reaches the database."""

    def __init__(self, url: str | URL) -> None:
        self.local = LocalLocks()
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=LOCK_POOL_SIZE,
            max_overflow=LOCK_POOL_OVERFLOW,
            pool_pre_ping=True,
            # no transaction stays open while a turn runs: the lock is the session's
            isolation_level="AUTOCOMMIT",
        )

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        key = {"key": advisory_key(conversation_id)}
        async with self.local.hold(conversation_id), self.engine.connect() as conn:
            try:
                await conn.execute(text("SELECT pg_advisory_lock(:key)"), key)
            except BaseException:
                await _discard(conn)  # cancelled mid-wait: the lock may have been granted
                raise
            try:
                yield
            finally:
                try:
                    await asyncio.shield(
                        conn.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                    )
                except BaseException:
                    await _discard(conn)  # closing the connection releases its locks
                    raise

    async def close(self) -> None:
        await self.engine.dispose()


async def _discard(conn: AsyncConnection) -> None:
    """Close the connection for good rather than return it to the pool still locking."""
    await conn.invalidate()


def locks_for(engine: AsyncEngine) -> ConversationLocks:
    if engine.dialect.name == "postgresql":
        return AdvisoryLocks(engine.url)
    return LocalLocks()
