"""The store under test, on every backend: a SQLite file always, PostgreSQL when
COWORKER_TEST_DATABASE_URL names a server where we may create databases.

PostgreSQL isolation: the run creates its own database, `coworker_test_<hex>`, over an
autocommit connection to the given URL, migrates it once, and drops it (WITH (FORCE)) at the
end; each test starts by truncating every store table. Tests of the migrations themselves
(`empty_db_url`) get a fresh, empty database of their own, dropped after the test. SQLite
tests get a new file under tmp_path. Every database is migrated by
`coworker.store.migrate`, so the shipped migrations are exercised on both backends.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from coworker.store.engine import create_engine, normalize_url
from coworker.store.facade import Store
from coworker.store.migrate import upgrade, upgrade_sync
from coworker.store.tables import Base

PG_ENV = "COWORKER_TEST_DATABASE_URL"


def _pg_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} not set: PostgreSQL store tests skipped")
    return normalize_url(url)


async def _create_database(admin_url: str) -> str:
    name = f"coworker_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


async def _drop_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        _pg_admin_url()  # skips without a server
    return str(request.param)


@pytest.fixture(scope="session")
def pg_session_url() -> Iterator[str]:
    """One migrated PostgreSQL database for the whole run (sync: made outside any loop)."""
    admin_url = _pg_admin_url()
    url = asyncio.run(_create_database(admin_url))
    try:
        upgrade_sync(url)
        yield url
    finally:
        asyncio.run(_drop_database(admin_url, url))


@pytest.fixture
def _pg_url(request: pytest.FixtureRequest, backend: str) -> str | None:
    return str(request.getfixturevalue("pg_session_url")) if backend == "postgres" else None


@pytest.fixture
async def db_url(backend: str, _pg_url: str | None, tmp_path: Path) -> str:
    """A migrated database with no rows in it."""
    if _pg_url is None:
        url = f"sqlite+aiosqlite:///{tmp_path}/data/coworker.db"
        await upgrade(url)
        return url
    engine = create_engine(_pg_url)
    try:
        async with engine.begin() as conn:
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()
    return _pg_url


@pytest.fixture
async def empty_db_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of a brand-new database, nothing migrated yet."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/data/coworker.db"
        return
    admin_url = _pg_admin_url()
    url = await _create_database(admin_url)
    try:
        yield url
    finally:
        await _drop_database(admin_url, url)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    store = Store(create_engine(db_url))
    yield store
    await store.close()


@pytest.fixture
async def replicas(db_url: str) -> AsyncIterator[list[Store]]:
    """Twenty stores on the same database, as twenty processes would have, each already
    holding an open connection, so concurrent calls really overlap in the database."""
    stores = [Store(create_engine(db_url)) for _ in range(20)]
    await asyncio.gather(*(s.get_user("warm-up") for s in stores))
    yield stores
    await asyncio.gather(*(s.close() for s in stores))
