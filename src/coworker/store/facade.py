"""`Store`: the one object the rest of the service reads and writes the store through.

It is thin on purpose: each record kind's queries live in their own repository
(`users`, `conversations`, `messages`, `actions`, `audit`, `events`, `summary_runs`,
`feedback`),
and `Store` is all of them over one `Transactions` (the one way a transaction runs), with
the conversation locks and the lifecycle (open, migrate, close) beside them.

Everything that must happen once is decided by the database, not by a read followed by a
write: inserts that may collide use `ON CONFLICT DO NOTHING` on the unique key (so a lost
race is an ordinary answer, not an exception), and state changes are one conditional UPDATE
whose affected row (RETURNING) says whether this caller won.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from coworker.store.actions import Actions
from coworker.store.audit import AuditTrail
from coworker.store.conversations import Conversations
from coworker.store.engine import create_engine, session_factory
from coworker.store.events import ProcessedEvents
from coworker.store.feedback import FeedbackEntries
from coworker.store.locks import ConversationLocks, locks_for
from coworker.store.messages import Messages
from coworker.store.migrate import upgrade_engine
from coworker.store.summary_runs import SummaryRuns
from coworker.store.transactions import Transactions
from coworker.store.users import Users


class Store(
    Users,
    Conversations,
    Messages,
    Actions,
    AuditTrail,
    ProcessedEvents,
    SummaryRuns,
    FeedbackEntries,
):
    """The coworker's persistence: one instance per process, shared by every channel."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(Transactions(engine))
        self.engine = engine
        self.sessions = session_factory(engine)
        self.locks: ConversationLocks = locks_for(engine)

    @property
    def sync_engine(self) -> Engine | None:
        """The SQLite engine the transactions run on (None on PostgreSQL)."""
        return self._tx.sync_engine

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connect to `url`, apply the migrations, and return the store."""
        engine = create_engine(url)
        try:
            await upgrade_engine(engine)
            return cls(engine)
        except BaseException:
            await engine.dispose()
            raise

    async def close(self) -> None:
        await self._tx.close()
        await self.locks.close()
        await self.engine.dispose()
