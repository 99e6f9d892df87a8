"""Apply the store's Alembic migrations: on start-up (`Store.open`) and from the CLI.

The Alembic config is built in code, with `script_location` pointing at the migrations
shipped inside this package; no alembic.ini is needed. Alembic's commands are synchronous,
so they run on an async connection through `run_sync`, which works inside a running event
loop.

Alembic keeps its running context in module globals, so two migrations in one process must
not overlap: a process-wide lock makes them take turns (awaited without blocking the loop).
Across processes the database orders them: PostgreSQL takes a transaction-scoped advisory
lock, SQLite runs the migration in a `BEGIN IMMEDIATE` transaction (its write lock). Several
replicas can start at once: one migrates, the others wait and then find nothing to do.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from coworker.store.engine import create_engine, is_in_memory

SCRIPT_LOCATION = "coworker.store:migrations"
_PG_LOCK_KEY = 0x636F776B  # "cowk": any constant the app shares with nothing else
_ALEMBIC_TURN = threading.Lock()


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config for the shipped migrations (for `alembic`-style commands in code)."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(connection: Connection, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        # The sqlite3 module runs DDL outside any transaction unless one is open: take the
        # write lock up front so the whole migration is one transaction, one process at a time.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


@asynccontextmanager
async def _alembic_turn() -> AsyncIterator[None]:
    # A thread lock, because Alembic's globals are shared by every thread and event loop in
    # the process; polled, so the loop is never blocked and a cancelled wait holds nothing.
    while not _ALEMBIC_TURN.acquire(blocking=False):  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    try:
        yield
    finally:
        _ALEMBIC_TURN.release()


async def upgrade_engine(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate the database behind `engine` (the only way to reach an in-memory one)."""
    async with _alembic_turn(), engine.begin() as connection:
        await connection.run_sync(_upgrade, revision)


async def upgrade(url: str, revision: str = "head") -> None:
    """`alembic upgrade head` for `url`, creating the SQLite data directory first."""
    if is_in_memory(url):
        raise ValueError("an in-memory database vanishes with its engine; use upgrade_engine()")
    engine = create_engine(url)
    try:
        await upgrade_engine(engine, revision)
    finally:
        await engine.dispose()


def upgrade_sync(url: str, revision: str = "head") -> None:
    """The same, for callers outside an event loop (the CLI)."""
    asyncio.run(upgrade(url, revision))
