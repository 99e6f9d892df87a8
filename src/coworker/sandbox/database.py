"""The sandbox's database: an in-memory SQLite by default, anything SQLAlchemy speaks otherwise.

An in-memory database lives on one connection, so requests take turns on it (a lock); the
queries are sub-millisecond, and taking turns keeps transactions from interleaving on the
shared connection. The demo data is seeded on first start, relative to that day.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

from coworker.config import Settings
from coworker.guards.jsontext import STORABLE_JSON, install_storable
from coworker.sandbox.clock import utcnow
from coworker.sandbox.seed import seed_demo_data
from coworker.sandbox.tables import Base, Organization, User, hash_api_key

IN_MEMORY = "sqlite+aiosqlite://"


def sandbox_database_url(settings: Settings) -> str:
    """Embedded, the sandbox keeps its data in the data directory: it survives restarts and
    `coworker serve` and `coworker chat` see the same CRM. Tests pass their own URL."""
    if settings.sandbox_database_url:
        return settings.sandbox_database_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{settings.data_dir / 'sandbox.db'}"


def make_engine(url: str | None) -> AsyncEngine:
    """The sandbox's engine; like the store's, it cannot keep text a later read cannot
    encode (a lone surrogate: guards/jsontext.py)."""
    if url is None or url == IN_MEMORY:
        engine = create_async_engine(
            IN_MEMORY,
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
            **STORABLE_JSON,
        )
    else:
        engine = create_async_engine(url, pool_pre_ping=True, **STORABLE_JSON)
    install_storable(engine)
    return engine


class SandboxDatabase:
    def __init__(self, url: str | None, *, seed_demo: bool) -> None:
        self.engine = make_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.seed_demo = seed_demo
        self._serialise = self.engine.dialect.name == "sqlite"
        self._turn = asyncio.Lock()
        self._ready = False
        self._ready_lock = asyncio.Lock()
        self._users: dict[str, User] = {}

    async def ensure_ready(self) -> None:
        """Create the tables and seed the demo data, once; safe to call on every request."""
        if self._ready:
            return
        async with self._ready_lock:
            if self._ready:
                return
            async with self.engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
            if self.seed_demo:
                async with self.sessions() as session:
                    existing = await session.scalar(select(func.count()).select_from(Organization))
                    if not existing:
                        await seed_demo_data(session, now=utcnow())
                        await session.commit()
            self._ready = True

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        await self.ensure_ready()
        turn: AbstractAsyncContextManager[object] = self._turn if self._serialise else nullcontext()
        async with turn, self.sessions() as session:
            yield session

    async def user_for_key(self, session: AsyncSession, key: str) -> User | None:
        """The user a key belongs to; users never change here, so each is looked up once."""
        digest = hash_api_key(key)
        user = self._users.get(digest)
        if user is None:
            user = await session.scalar(select(User).where(User.api_key_hash == digest))
            if user is not None:
                session.expunge(user)
                self._users[digest] = user
        return user

    async def dispose(self) -> None:
        """Close connections; an in-memory database is gone after this, so seed again next time."""
        await self.engine.dispose()
        self._ready = False
        self._users.clear()
