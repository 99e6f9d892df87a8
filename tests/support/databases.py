"""A database for tests that need one shared by several stores (replicas, races)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import create_async_engine


@asynccontextmanager
async def shared_database(backend: str, tmp_path: Path, *, purpose: str) -> AsyncIterator[str]:
    """A SQLite file, or a fresh PostgreSQL database (dropped afterwards) on the server of
    COWORKER_TEST_DATABASE_URL; without it the test skips and says why."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / f'{purpose}.db'}"
        return
    base = os.environ.get("COWORKER_TEST_DATABASE_URL")
    if not base:
        pytest.skip(f"COWORKER_TEST_DATABASE_URL not set: PostgreSQL {purpose} test skipped")
    name = f"coworker_{purpose}_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as conn:
            await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()
