"""Engine and sessions: SQLite in the data directory by default, PostgreSQL via DATABASE_URL."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import create_engine as _create_sync_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.pool import StaticPool

from coworker.config import Settings
from coworker.errors import ConfigError
from coworker.guards.jsontext import STORABLE_JSON, install_storable

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
    try:
        parsed = make_url(url)
    except ArgumentError:
        # SQLAlchemy's message quotes the whole URL, password and all: say what, not it.
        raise ConfigError(
            "the database URL cannot be read (expected e.g. postgresql://host/db)"
        ) from None
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
    missing. An in-memory URL becomes a named shared-cache memory database held open by one
    shared connection (StaticPool), so every session, and the store's sync engine
    (`create_sync_engine`), sees the same database: that is for tests, and concurrent
    transactions on it are not isolated.
    """
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        pg = _create_async_engine(url, pool_pre_ping=True, **STORABLE_JSON)
        install_storable(pg)  # no text a later read cannot encode (guards/jsontext.py)
        return pg

    # Every transaction here ends in an explicit commit or rollback, so the pool's extra
    # rollback on check-in is pure cost (with aiosqlite, a thread round trip each time).
    kwargs: dict[str, Any] = {"pool_reset_on_return": None}
    if is_in_memory(parsed):
        parsed = _shared_memory(parsed)
        kwargs |= {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        path = sqlite_file(parsed)
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = _create_async_engine(parsed, **kwargs, **STORABLE_JSON)
    install_storable(engine)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def create_sync_engine(url: str | URL) -> Engine:
    """A synchronous engine (the stdlib `sqlite3` driver) on the same SQLite database as `url`.

    The store runs its SQLite transactions on such an engine in its worker thread
    (`transactions`: one thread hop per transaction, where aiosqlite makes several per
    statement). Same PRAGMAs as `create_engine`.

    An in-memory URL must name a shared-cache memory database (as the engines of
    `create_engine` do): a private `:memory:` database would be a different, empty one; its
    single connection (StaticPool) is for one thread at a time.
    """
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite":
        raise ValueError(f"create_sync_engine() is for SQLite, not {parsed.get_backend_name()}")
    parsed = parsed.set(drivername="sqlite+pysqlite")
    kwargs: dict[str, Any] = {"pool_reset_on_return": None}
    if is_in_memory(parsed):
        if _private_memory(parsed):
            raise ValueError(
                "a private in-memory SQLite database cannot be shared with a second engine; "
                "build the engine with coworker.store.engine.create_engine()"
            )
        kwargs |= {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        path = sqlite_file(parsed)
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = _create_sync_engine(parsed, **kwargs, **STORABLE_JSON)
    install_storable(engine)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _private_memory(parsed: URL) -> bool:
    """True for an in-memory database that no second connection can reach."""
    database = parsed.database or ""
    if database in ("", ":memory:"):
        return True
    memory = parsed.query.get("mode") == "memory" or database.startswith("file::memory:")
    return memory and parsed.query.get("cache") != "shared"


def _shared_memory(parsed: URL) -> URL:
    """A private in-memory URL as a uniquely named shared-cache one (other URLs unchanged)."""
    if not _private_memory(parsed):
        return parsed
    return parsed.set(
        database=f"file:coworker-{uuid.uuid4().hex}",
        query={"mode": "memory", "cache": "shared", "uri": "true"},
    )


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
