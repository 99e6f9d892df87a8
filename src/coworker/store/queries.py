"""The store's queries: plain records out, never ORM objects.

Everything that must happen once is decided by the database, not by a read followed by a
write: inserts that may collide use `ON CONFLICT DO NOTHING` on the unique key (so a lost
race is an ordinary answer, not an exception), and state changes are one conditional UPDATE
whose affected row (RETURNING) says whether this caller won.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.dml import Insert

from coworker.errors import ConfigError, CoworkerError
from coworker.store.engine import create_engine, is_in_memory, session_factory
from coworker.store.migrate import upgrade_engine
from coworker.store.tables import (
    AuditEvent,
    Base,
    Conversation,
    Message,
    PendingAction,
    ProcessedEvent,
    SummaryRun,
    User,
    new_id,
    utcnow,
)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_R = TypeVar("_R", bound="DataclassInstance")


class StoreError(CoworkerError):
    """The store cannot do what was asked (as opposed to a database failure)."""


class RecordNotFound(StoreError):
    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: str
    external_id: str
    display_name: str | None
    dialsheet_key_encrypted: str | None
    timezone: str
    summary_enabled: bool
    summary_time: str
    summary_weekdays: str
    summary_channel: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    id: str
    user_id: str
    channel: str
    external_key: str
    title: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ActionRecord:
    id: str
    conversation_id: str
    user_id: str
    tool_use_id: str
    tool_name: str
    input: dict[str, Any]
    input_hash: str
    display: dict[str, Any] | None
    status: str
    edits: dict[str, Any] | None
    reason: str | None
    result: dict[str, Any] | None
    error: str | None
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str | None
    kind: str
    action_id: str | None
    conversation_id: str | None
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SummaryRunRecord:
    id: int
    user_id: str
    run_date: date
    status: str
    attempts: int
    error: str | None
    created_at: datetime
    updated_at: datetime


USER_FIELDS = frozenset(
    {
        "display_name",
        "dialsheet_key_encrypted",
        "timezone",
        "summary_enabled",
        "summary_time",
        "summary_weekdays",
        "summary_channel",
    }
)
_DIALECTS = ("sqlite", "postgresql")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def input_hash(value: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of a tool input: what binds an action to its input."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def _record(cls: type[_R], row: Any) -> _R:
    values = {f.name: getattr(row, f.name) for f in dataclasses.fields(cls)}
    return cls(**values)


def _content(message: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    role, content = message["role"], message["content"]
    if isinstance(content, str):
        content = [{"type": "text", "text": content}]
    if not isinstance(role, str) or not isinstance(content, list):
        raise StoreError("a message is {'role': str, 'content': [blocks]}")
    return role, content


class Store:
    """The coworker's persistence: one instance per process, shared by every channel."""

    def __init__(self, engine: AsyncEngine) -> None:
        if engine.dialect.name not in _DIALECTS:
            raise ConfigError(f"the store runs on SQLite or PostgreSQL, not {engine.dialect.name}")
        self.engine = engine
        self.sessions = session_factory(engine)
        # An in-memory SQLite is one shared connection: transactions must take turns on it.
        self._turn = asyncio.Lock() if is_in_memory(engine.url) else None

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connect to `url`, apply the migrations, and return the store."""
        engine = create_engine(url)
        try:
            await upgrade_engine(engine)
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine)

    async def close(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def _begin(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction, committed on success, rolled back on error."""
        turn: AbstractAsyncContextManager[object] = self._turn or nullcontext()
        async with turn, self.sessions.begin() as session:
            yield session

    async def _insert_new(
        self, session: AsyncSession, model: type[Base], values: dict[str, Any], key: Sequence[str]
    ) -> bool:
        """INSERT unless a row with the same `key` exists; True if this call inserted it."""
        table = Base.metadata.tables[model.__tablename__]
        stmt: Insert
        if self.engine.dialect.name == "postgresql":
            stmt = postgresql.insert(table).on_conflict_do_nothing(index_elements=key)
        else:
            stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=key)
        stmt = stmt.values(values)
        pk = next(iter(table.primary_key.columns))
        inserted = (await session.execute(stmt.returning(pk))).first()
        return inserted is not None

    # -- users -------------------------------------------------------------------------------

    async def ensure_user(self, external_id: str, display_name: str | None = None) -> UserRecord:
        """The user with this external id, created on first sight (safe under races)."""
        now = utcnow()
        async with self._begin() as session:
            await self._insert_new(
                session,
                User,
                {
                    "id": new_id(),
                    "external_id": external_id,
                    "display_name": display_name,
                    "created_at": now,
                    "updated_at": now,
                },
                ["external_id"],
            )
            user = await session.scalar(select(User).where(User.external_id == external_id))
        assert user is not None
        return _record(UserRecord, user)

    async def get_user(self, user_id: str) -> UserRecord | None:
        async with self._begin() as session:
            user = await session.get(User, user_id)
            return None if user is None else _record(UserRecord, user)

    async def update_user(self, user_id: str, **fields: Any) -> UserRecord:
        unknown = set(fields) - USER_FIELDS
        if unknown:
            raise TypeError(f"update_user() cannot set {', '.join(sorted(unknown))}")
        stmt = (
            update(User)
            .where(User.id == user_id)
            .values(**fields, updated_at=utcnow())
            .returning(User)
        )
        async with self._begin() as session:
            user = (await session.execute(stmt)).scalar_one_or_none()
            if user is None:
                raise RecordNotFound("user", user_id)
            return _record(UserRecord, user)

    # -- conversations -----------------------------------------------------------------------

    async def get_or_create_conversation(
        self, user_id: str, channel: str, external_key: str, title: str | None = None
    ) -> ConversationRecord:
        """The conversation for (channel, external_key), created on first sight.

        An existing conversation is returned whoever started it: a Slack thread can have
        several people in it. Channels whose keys come from the client must check
        `user_id` themselves.
        """
        now = utcnow()
        where = (Conversation.channel == channel, Conversation.external_key == external_key)
        async with self._begin() as session:
            await self._insert_new(
                session,
                Conversation,
                {
                    "id": new_id(),
                    "user_id": user_id,
                    "channel": channel,
                    "external_key": external_key,
                    "title": title,
                    "created_at": now,
                    "updated_at": now,
                },
                ["channel", "external_key"],
            )
            conversation = await session.scalar(select(Conversation).where(*where))
        assert conversation is not None
        return _record(ConversationRecord, conversation)

    async def get_conversation(self, conversation_id: str) -> ConversationRecord | None:
        async with self._begin() as session:
            conversation = await session.get(Conversation, conversation_id)
            return None if conversation is None else _record(ConversationRecord, conversation)

    async def list_conversations(self, user_id: str, limit: int = 50) -> list[ConversationRecord]:
        """The user's conversations, most recently active first."""
        stmt = (
            select(Conversation)
            .where(Conversation.user_id == user_id)
            .order_by(Conversation.updated_at.desc(), Conversation.id)
            .limit(limit)
        )
        async with self._begin() as session:
            rows = (await session.scalars(stmt)).all()
            return [_record(ConversationRecord, row) for row in rows]

    async def touch_conversation(self, conversation_id: str) -> None:
        async with self._begin() as session:
            await self._touch(session, conversation_id)

    async def _touch(self, session: AsyncSession, conversation_id: str) -> None:
        """Bump `updated_at`. As a transaction's first write, this also takes the
        conversation's row lock (PostgreSQL) or the write lock (SQLite), so transactions that
        change one conversation's messages run one after the other."""
        stmt = (
            update(Conversation)
            .where(Conversation.id == conversation_id)
            .values(updated_at=utcnow())
            .returning(Conversation.id)
        )
        if (await session.execute(stmt)).scalar_one_or_none() is None:
            raise RecordNotFound("conversation", conversation_id)

    # -- messages ----------------------------------------------------------------------------

    async def load_messages(self, conversation_id: str) -> list[dict[str, Any]]:
        """The transcript in order, as Anthropic Messages: `[{"role", "content": [...]}]`."""
        stmt = (
            select(Message.role, Message.content)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.seq)
        )
        async with self._begin() as session:
            rows = (await session.execute(stmt)).all()
        return [{"role": role, "content": content} for role, content in rows]

    async def append_messages(
        self,
        conversation_id: str,
        messages: list[dict[str, Any]],
        usage: dict[str, Any] | None = None,
    ) -> None:
        """Append messages with the next sequence numbers, in one transaction.

        Concurrent appends to one conversation are serialized by the conversation's lock
        (see `_touch`), so each batch gets a contiguous run of `seq`; the unique
        (conversation_id, seq) constraint backs that up. `usage` goes on the last message.
        """
        if not messages:
            return
        parsed = [_content(message) for message in messages]
        now = utcnow()
        next_seq = (
            select(func.coalesce(func.max(Message.seq), 0) + 1)
            .where(Message.conversation_id == conversation_id)
            .scalar_subquery()
        )
        async with self._begin() as session:
            await self._touch(session, conversation_id)
            # The next seq is read inside each INSERT, so a batch needs no separate query.
            for offset, (role, content) in enumerate(parsed):
                await session.execute(
                    insert(Message).values(
                        conversation_id=conversation_id,
                        seq=next_seq,
                        role=role,
                        content=content,
                        usage=usage if offset == len(parsed) - 1 else None,
                        created_at=now,
                    )
                )

    async def replace_last_message(self, conversation_id: str, message: dict[str, Any]) -> None:
        """Overwrite the newest message's role and content (its usage is kept); used to
        merge tool results into a trailing user message."""
        role, content = _content(message)
        async with self._begin() as session:
            await self._touch(session, conversation_id)
            last = (
                select(func.max(Message.seq))
                .where(Message.conversation_id == conversation_id)
                .scalar_subquery()
            )
            stmt = (
                update(Message)
                .where(Message.conversation_id == conversation_id, Message.seq == last)
                .values(role=role, content=content)
                .returning(Message.id)
            )
            if (await session.execute(stmt)).scalar_one_or_none() is None:
                raise RecordNotFound("last message of conversation", conversation_id)

    # -- pending actions ---------------------------------------------------------------------

    async def create_action(
        self,
        conversation_id: str,
        user_id: str,
        tool_use_id: str,
        tool_name: str,
        input: dict[str, Any],
        expires_at: datetime,
        display: dict[str, Any] | None = None,
    ) -> ActionRecord:
        now = utcnow()
        action = PendingAction(
            id=new_id(),
            conversation_id=conversation_id,
            user_id=user_id,
            tool_use_id=tool_use_id,
            tool_name=tool_name,
            input=input,
            input_hash=input_hash(input),
            display=display,
            status="pending",
            created_at=now,
            expires_at=expires_at,
            updated_at=now,
        )
        async with self._begin() as session:
            session.add(action)
            await session.flush()
            return _record(ActionRecord, action)

    async def get_action(self, action_id: str) -> ActionRecord | None:
        async with self._begin() as session:
            action = await session.get(PendingAction, action_id)
            return None if action is None else _record(ActionRecord, action)

    async def list_actions(
        self,
        *,
        user_id: str | None = None,
        conversation_id: str | None = None,
        status: str | None = None,
    ) -> list[ActionRecord]:
        """Actions matching every filter given, newest first."""
        stmt = select(PendingAction).order_by(PendingAction.created_at.desc(), PendingAction.id)
        filters: list[tuple[InstrumentedAttribute[str], str | None]] = [
            (PendingAction.user_id, user_id),
            (PendingAction.conversation_id, conversation_id),
            (PendingAction.status, status),
        ]
        for column, value in filters:
            if value is not None:
                stmt = stmt.where(column == value)
        async with self._begin() as session:
            return [_record(ActionRecord, row) for row in (await session.scalars(stmt)).all()]

    async def claim_action(
        self,
        action_id: str,
        *,
        from_status: str = "pending",
        to_status: str = "executing",
        decided_by: str | None,
        edits: dict[str, Any] | None = None,
        reason: str | None = None,
        now: datetime,
    ) -> ActionRecord | None:
        """Move an action from `from_status` to `to_status` if, and only if, it is still in
        `from_status`: one conditional UPDATE, so of any number of concurrent callers
        exactly one gets the record back and the others get None."""
        stmt = (
            update(PendingAction)
            .where(PendingAction.id == action_id, PendingAction.status == from_status)
            .values(
                status=to_status,
                decided_by=decided_by,
                decided_at=now,
                edits=edits,
                reason=reason,
                updated_at=now,
            )
            .returning(PendingAction)
        )
        async with self._begin() as session:
            action = (await session.execute(stmt)).scalar_one_or_none()
            return None if action is None else _record(ActionRecord, action)

    async def finish_action(
        self,
        action_id: str,
        *,
        status: str,
        result: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> ActionRecord:
        """Record how an action ended (succeeded, failed, unknown, or a later reconciliation)."""
        stmt = (
            update(PendingAction)
            .where(PendingAction.id == action_id)
            .values(status=status, result=result, error=error, updated_at=utcnow())
            .returning(PendingAction)
        )
        async with self._begin() as session:
            action = (await session.execute(stmt)).scalar_one_or_none()
            if action is None:
                raise RecordNotFound("action", action_id)
            return _record(ActionRecord, action)

    async def expire_actions(self, now: datetime) -> list[ActionRecord]:
        """Expire every pending action due by `now`; returns exactly the ones this call moved."""
        stmt = (
            update(PendingAction)
            .where(PendingAction.status == "pending", PendingAction.expires_at <= now)
            .values(status="expired", decided_at=now, updated_at=now)
            .returning(PendingAction)
        )
        async with self._begin() as session:
            actions = (await session.execute(stmt)).scalars().all()
            return [_record(ActionRecord, action) for action in actions]

    # -- audit -------------------------------------------------------------------------------

    async def add_audit(
        self,
        kind: str,
        *,
        actor: str | None = None,
        action_id: str | None = None,
        conversation_id: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> AuditRecord:
        event = AuditEvent(
            at=utcnow(),
            actor=actor,
            kind=kind,
            action_id=action_id,
            conversation_id=conversation_id,
            data=data or {},
        )
        async with self._begin() as session:
            session.add(event)
            await session.flush()
            return _record(AuditRecord, event)

    async def list_audit(
        self, action_id: str | None = None, conversation_id: str | None = None
    ) -> list[AuditRecord]:
        """Audit events matching the filters, oldest first (in insertion order)."""
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        if action_id is not None:
            stmt = stmt.where(AuditEvent.action_id == action_id)
        if conversation_id is not None:
            stmt = stmt.where(AuditEvent.conversation_id == conversation_id)
        async with self._begin() as session:
            return [_record(AuditRecord, row) for row in (await session.scalars(stmt)).all()]

    # -- once-only markers -------------------------------------------------------------------

    async def mark_event_processed(self, event_id: str, source: str) -> bool:
        """True the first time an event id is seen, False on every later delivery."""
        async with self._begin() as session:
            return await self._insert_new(
                session,
                ProcessedEvent,
                {"event_id": event_id, "source": source, "created_at": utcnow()},
                ["event_id"],
            )

    async def claim_summary_run(self, user_id: str, run_date: date) -> bool:
        """True for the one caller that gets to send this user's summary for this date."""
        now = utcnow()
        async with self._begin() as session:
            return await self._insert_new(
                session,
                SummaryRun,
                {
                    "user_id": user_id,
                    "run_date": run_date,
                    "status": "claimed",
                    "attempts": 1,
                    "created_at": now,
                    "updated_at": now,
                },
                ["user_id", "run_date"],
            )

    async def retry_failed_summary_run(self, user_id: str, run_date: date) -> bool:
        """Claim a failed run again (failed -> claimed, one more attempt); True if this call did."""
        stmt = (
            update(SummaryRun)
            .where(
                SummaryRun.user_id == user_id,
                SummaryRun.run_date == run_date,
                SummaryRun.status == "failed",
            )
            .values(
                status="claimed", attempts=SummaryRun.attempts + 1, error=None, updated_at=utcnow()
            )
            .returning(SummaryRun.id)
        )
        async with self._begin() as session:
            return (await session.execute(stmt)).scalar_one_or_none() is not None

    async def finish_summary_run(
        self, user_id: str, run_date: date, status: str, error: str | None = None
    ) -> None:
        stmt = (
            update(SummaryRun)
            .where(SummaryRun.user_id == user_id, SummaryRun.run_date == run_date)
            .values(status=status, error=error, updated_at=utcnow())
            .returning(SummaryRun.id)
        )
        async with self._begin() as session:
            if (await session.execute(stmt)).scalar_one_or_none() is None:
                raise RecordNotFound("summary run", f"{user_id}/{run_date.isoformat()}")

    async def get_summary_run(self, user_id: str, run_date: date) -> SummaryRunRecord | None:
        stmt = select(SummaryRun).where(
            SummaryRun.user_id == user_id, SummaryRun.run_date == run_date
        )
        async with self._begin() as session:
            run = await session.scalar(stmt)
            return None if run is None else _record(SummaryRunRecord, run)
