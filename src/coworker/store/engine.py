"""Engine and sessions: SQLite in the data directory by default, PostgreSQL via DATABASE_URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.pool import StaticPool

from coworker.config import Settings

DB_FILENAME = "coworker.db"

_DRIVER_REWRITES = {
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
}


def normalize_url(url: str) -> str:
    """Give a URL its async driver: `postgres://` and `postgresql://` (the forms hosting
    providers hand out) become `postgresql+asyncpg://`, `sqlite://` becomes `sqlite+aiosqlite://`.

    libpq's `sslmode=` is renamed to asyncpg's `ssl=` (asyncpg refuses the libpq name).
    """
    parsed = make_url(url)
    driver = _DRIVER_REWRITES.get(parsed.drivername)
    if driver is not None:
        parsed = parsed.set(drivername=driver)
    if parsed.drivername == "postgresql+asyncpg" and "sslmode" in parsed.query:
        query = dict(parsed.query)
        query["ssl"] = query.pop("sslmode")
        parsed = parsed.set(query=query)
    return parsed.render_as_string(hide_password=False)


def database_url(settings: Settings) -> str:
    """The store's URL: DATABASE_URL if set, else `<data_dir>/coworker.db`."""
    if settings.database_url:
        return normalize_url(settings.database_url)
    path = Path(settings.data_dir).expanduser().resolve() / DB_FILENAME
    return f"sqlite+aiosqlite:///{path}"


def sqlite_file(url: str | URL) -> Path | None:
    """The file behind a SQLite URL, or None for in-memory (and non-SQLite) URLs."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def is_in_memory(url: str | URL) -> bool:
    parsed = make_url(url) if isinstance(url, str) else url
    return parsed.get_backend_name() == "sqlite" and sqlite_file(parsed) is None


def create_engine(url: str) -> AsyncEngine:
    """An async engine for `url`, with SQLite set up for a multi-connection service.

    SQLite gets foreign keys on, WAL (readers never block the writer) and a 5 s busy
    timeout (writers wait for each other rather than fail); its directory is created if
    missing. An in-memory URL uses one shared connection (StaticPool) so every session sees
    the same database: that is for tests, and concurrent transactions on it are not isolated.
    """
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return _create_async_engine(url, pool_pre_ping=True)

    # Every transaction here ends in an explicit commit or rollback, so the pool's extra
    # rollback on check-in is pure cost (with aiosqlite, a thread round trip each time).
    kwargs: dict[str, Any] = {"pool_reset_on_return": None}
    if is_in_memory(parsed):
        kwargs |= {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        path = sqlite_file(parsed)
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = _create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=5000")  # first: switching to WAL may have to wait
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a commit survives the process crashing; only a power cut can lose the
        # last few. FULL would fsync every message write, the largest cost of a turn.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
