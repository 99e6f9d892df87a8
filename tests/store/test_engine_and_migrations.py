"""URLs, engine set-up, and the shipped migrations."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import StaticPool

from coworker.config import Settings
from coworker.errors import ConfigError
from coworker.store.engine import create_engine, database_url, normalize_url
from coworker.store.facade import Store
from coworker.store.migrate import current_revision, head_revision, upgrade, upgrade_sync
from coworker.store.tables import Base, User

TABLES = {
    "users",
    "conversations",
    "messages",
    "pending_actions",
    "audit_events",
    "processed_events",
    "summary_runs",
    "rate_limit_counters",
    "feedback",
}


def test_default_url_is_a_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    assert database_url(settings) == f"sqlite+aiosqlite:///{tmp_path}/data/coworker.db"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/app", "postgresql+asyncpg://u:p@db:5432/app"),
        ("postgresql://u:p@db/app", "postgresql+asyncpg://u:p@db/app"),
        ("postgresql+asyncpg://u@db/app", "postgresql+asyncpg://u@db/app"),
        ("postgres://u:p@db/app?sslmode=require", "postgresql+asyncpg://u:p@db/app?ssl=require"),
        ("sqlite:////srv/c.db", "sqlite+aiosqlite:////srv/c.db"),
    ],
)
def test_database_url_gets_the_async_driver(given: str, expected: str, tmp_path: Path) -> None:
    assert normalize_url(given) == expected
    assert database_url(Settings(database_url=given, data_dir=tmp_path)) == expected


def test_upgrade_sync_creates_the_data_dir_and_is_idempotent(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "fresh" / "dir")
    url = database_url(settings)
    upgrade_sync(url)
    upgrade_sync(url)  # nothing left to do
    assert (tmp_path / "fresh" / "dir" / "coworker.db").is_file()


async def test_in_memory_store_is_one_shared_database() -> None:
    store = await Store.open("sqlite+aiosqlite://")
    try:
        assert isinstance(store.engine.pool, StaticPool)
        user = await store.ensure_user("local")
        assert await store.get_user(user.id) == user
        # concurrent transactions take turns on the single connection
        users = await asyncio.gather(*(store.ensure_user(f"u{i}") for i in range(10)))
        assert len({u.id for u in users}) == 10
        # the async engine (which migrated it) and the store's sync engine share it
        async with store.sessions() as session:
            assert len((await session.scalars(select(User.id))).all()) == 11
    finally:
        await store.close()


async def test_store_refuses_an_in_memory_engine_it_cannot_share() -> None:
    engine = create_async_engine("sqlite+aiosqlite://")  # private to its one connection
    try:
        with pytest.raises(ConfigError, match="in-memory"):
            Store(engine)
    finally:
        await engine.dispose()


async def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/p.db")
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 5000
    finally:
        await engine.dispose()


def _sync_pragmas(engine: Engine) -> tuple[object, ...]:
    with engine.connect() as conn:
        names = ("foreign_keys", "journal_mode", "busy_timeout", "synchronous")
        return tuple(conn.execute(text(f"PRAGMA {name}")).scalar() for name in names)


async def test_sqlite_store_runs_on_a_sync_engine_with_the_same_pragmas(tmp_path: Path) -> None:
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path}/s.db")
    try:
        sync_engine = store.sync_engine
        assert sync_engine is not None
        assert sync_engine.driver == "pysqlite"
        assert sync_engine.url.database == store.engine.url.database
        # foreign keys on, WAL, 5 s busy timeout, synchronous=NORMAL (1)
        assert await asyncio.to_thread(_sync_pragmas, sync_engine) == (1, "wal", 5000, 1)
    finally:
        await store.close()


def _schema(conn: Connection) -> dict[str, object]:
    inspector = inspect(conn)
    names = set(inspector.get_table_names())
    return {
        "tables": names,
        "unique": {
            table: sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table))
            for table in names
        },
        "indexes": {
            table: sorted(
                tuple(i["column_names"])
                for i in inspector.get_indexes(table)
                if not i["unique"]  # PostgreSQL lists the unique constraints' own indexes too
            )
            for table in names
        },
        "drift": compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        ),
        "revision": current_revision(conn),
    }


async def test_migrations_create_exactly_the_schema(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        async with engine.connect() as conn:
            schema = await conn.run_sync(_schema)
    finally:
        await engine.dispose()
    assert schema["tables"] == TABLES | {"alembic_version"}
    unique = schema["unique"]
    assert isinstance(unique, dict)
    assert unique["users"] == [("external_id",)]
    assert unique["conversations"] == [("channel", "external_key")]
    assert unique["messages"] == [("conversation_id", "seq")]
    assert unique["summary_runs"] == [("user_id", "run_date")]
    indexes = schema["indexes"]
    assert isinstance(indexes, dict)
    assert indexes["messages"] == [("conversation_id",)]
    assert indexes["pending_actions"] == [
        ("batch_id",),  # the cards one response proposed together
        ("conversation_id",),
        ("status",),
        ("user_id", "created_at", "id"),  # pages of a person's actions
        ("user_id", "status", "created_at", "id"),  # ... of one status; the cap's count
    ]
    assert indexes["conversations"] == [("user_id", "updated_at", "id")]
    assert indexes["audit_events"] == [("action_id",), ("kind",)]
    assert unique["feedback"] == [("user_id", "conversation_id", "reply_seq")]
    assert indexes["feedback"] == [("updated_at", "id")]  # the export, newest first
    assert schema["drift"] == []  # the models and the migrations agree
    assert schema["revision"] == head_revision() == "0005"


async def test_concurrent_upgrades_do_not_collide(empty_db_url: str) -> None:
    """Replicas starting together: one migrates, the others find nothing to do."""
    *_, opened = await asyncio.gather(
        *(upgrade(empty_db_url) for _ in range(3)), Store.open(empty_db_url)
    )
    assert isinstance(opened, Store)
    await opened.close()
    store = await Store.open(empty_db_url)  # start-up migrates too: nothing left to do
    try:
        assert (await store.ensure_user("local")).external_id == "local"
    finally:
        await store.close()


async def test_replicas_migrating_at_once_from_separate_processes(empty_db_url: str) -> None:
    """Separate processes share no lock in memory: the database must order them."""
    code = "import sys; from coworker.store.migrate import upgrade_sync; upgrade_sync(sys.argv[1])"
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, empty_db_url, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(3)
    ]
    outcomes = []
    for process in processes:
        _, stderr = await process.communicate()
        outcomes.append((process.returncode, stderr.decode()))
    assert [code for code, _ in outcomes] == [0, 0, 0], outcomes
    engine = create_engine(empty_db_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(current_revision) == head_revision()
    finally:
        await engine.dispose()
