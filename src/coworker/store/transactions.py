"""The store's one transaction strategy: every transaction is a plain function of a sync
Core `Connection`, run off the event loop.

- PostgreSQL: inside the async engine (`AsyncConnection.run_sync`, asyncpg), which awaits
  the network and never blocks the loop.
- SQLite: on a sync `sqlite3` engine in the store's one worker thread: one thread hop per
  transaction (aiosqlite makes several per statement), and a large query (a 20,000-action
  listing) or a writer waiting for another process's lock stalls only this thread, never
  the requests the loop is serving. SQLite checkpoints its own WAL on commit (every 1,000
  pages), from the one connection that writes.

Cancelling a caller never cuts a transaction in half: in the worker it still commits or
rolls back as a whole.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from coworker.errors import ConfigError
from coworker.store.engine import create_sync_engine

_T = TypeVar("_T")
_P = ParamSpec("_P")

DIALECTS = ("sqlite", "postgresql")


class Transactions:
    """Runs `fn(connection, *args)` as one transaction: committed if it returns, rolled back
    if it raises."""

    def __init__(self, engine: AsyncEngine) -> None:
        if engine.dialect.name not in DIALECTS:
            raise ConfigError(f"the store runs on SQLite or PostgreSQL, not {engine.dialect.name}")
        self.engine = engine
        self.sync_engine: Engine | None = None
        self._executor: ThreadPoolExecutor | None = None
        if engine.dialect.name == "sqlite":
            try:
                self.sync_engine = create_sync_engine(engine.url)
            except ValueError as error:
                raise ConfigError(str(error)) from error
            # Its own thread, so the store neither waits behind nor starves the loop's default
            # executor; one, because SQLite has one writer at a time and writers that meet
            # wait in its busy handler's sleeps (1, 2, 5 ... 100 ms): under 200 concurrent
            # chats four workers slept 6 s per 400 turns (an append's p99 139 ms, 15 ms with
            # one). It also lets an in-memory database's one shared connection take turns.
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coworker-store")

    async def run(
        self, fn: Callable[Concatenate[Connection, _P], _T], *args: _P.args, **kwargs: _P.kwargs
    ) -> _T:
        if self._executor is None:
            async with self.engine.begin() as connection:
                return await connection.run_sync(fn, *args, **kwargs)
        call = functools.partial(self._in_transaction, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def _in_transaction(
        self, fn: Callable[Concatenate[Connection, _P], _T], *args: _P.args, **kwargs: _P.kwargs
    ) -> _T:
        assert self.sync_engine is not None
        with self.sync_engine.begin() as connection:
            return fn(connection, *args, **kwargs)

    async def close(self) -> None:
        if self._executor is not None:
            # Let transactions already running finish (each commits or rolls back whole).
            await asyncio.get_running_loop().run_in_executor(
                None, functools.partial(self._executor.shutdown, wait=True)
            )
        if self.sync_engine is not None:
            self.sync_engine.dispose()


class Repository:
    """One record kind's queries over the store's transactions. `Store` is all of them over
    one `Transactions`; each can also be built alone on one."""

    def __init__(self, transactions: Transactions) -> None:
        self._tx = transactions
