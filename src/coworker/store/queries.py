"""The store's queries: plain records out, never ORM objects.

Each method is one transaction, written once as a plain function of a sync Core `Connection`
(no ORM session: about half the cost of a small write) and run where it is cheapest: on
PostgreSQL inside the async engine (`AsyncConnection.run_sync`, asyncpg);
on SQLite on a sync `sqlite3` engine in one of the store's worker threads, so a transaction
costs one thread hop instead of several per statement (aiosqlite).

Everything that must happen once is decided by the database, not by a read followed by a
write: inserts that may collide use `ON CONFLICT DO NOTHING` on the unique key (so a lost
race is an ordinary answer, not an exception), and state changes are one conditional UPDATE
whose affected row (RETURNING) says whether this caller won.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    Select,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.dml import Insert

from coworker.errors import ConfigError, CoworkerError
from coworker.store import paging, pending_cap
from coworker.store.engine import (
    create_engine,
    create_sync_engine,
    is_in_memory,
    session_factory,
)
from coworker.store.locks import ConversationLocks, locks_for
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
_T = TypeVar("_T")
_P = ParamSpec("_P")


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
    effect: dict[str, Any] | None = None  # the card's effect, bound at approval (tools/effect)


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


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A transcript message with its place in the conversation (`seq`, from 1), which a
    page of the display hands back as the cursor for the page before it."""

    seq: int
    role: str
    content: list[dict[str, Any]]

    def as_message(self) -> dict[str, Any]:
        return {"role": self.role, "content": self.content}


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
log = logging.getLogger("coworker.store")

_DIALECTS = ("sqlite", "postgresql")
# Inline commits leave the WAL to grow; the worker folds it back every so many of them.
_CHECKPOINT_EVERY = 200
# SQLITE_BUSY; its extended codes (BUSY_SNAPSHOT, BUSY_RECOVERY) keep it in the low byte.
_SQLITE_BUSY = 5


def _is_busy(error: OperationalError) -> bool:
    code = getattr(error.orig, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == _SQLITE_BUSY


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def input_hash(value: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of a tool input: what binds an action to its input."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def _record(cls: type[_R], row: Any) -> _R:
    """A record from a row whose columns are `cls`'s fields, in order (see `_columns`)."""
    return cls(*row)


def _content(message: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    role, content = message["role"], message["content"]
    if isinstance(content, str):
        content = [{"type": "text", "text": content}]
    if not isinstance(role, str) or not isinstance(content, list):
        raise StoreError("a message is {'role': str, 'content': [blocks]}")
    return role, content


# -- statements ---------------------------------------------------------------------------
#
# Core statements on the tables, built once with named parameters: SQLAlchemy then reuses
# their cache keys and compiled forms, where building a statement per call (and running it
# through the ORM) costs far more than SQLite takes to execute it. Parameters of UPDATEs and
# INSERTs are named `b_*`, apart from the column names SQLAlchemy reserves there.


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def _columns(table: Table, cls: type[DataclassInstance]) -> list[Column[Any]]:
    """`cls`'s fields as columns of `table`, in field order (for `_record`)."""
    return [table.c[field.name] for field in dataclasses.fields(cls)]


_USERS = _table(User)
_USER_COLUMNS = _columns(_USERS, UserRecord)
_SELECT_USER = select(*_USER_COLUMNS).where(_USERS.c.id == bindparam("id"))
_SELECT_USER_BY_EXTERNAL_ID = select(*_USER_COLUMNS).where(
    _USERS.c.external_id == bindparam("external_id")
)

_CONVERSATIONS = _table(Conversation)
_CONVERSATION_COLUMNS = _columns(_CONVERSATIONS, ConversationRecord)
_SELECT_CONVERSATION = select(*_CONVERSATION_COLUMNS).where(_CONVERSATIONS.c.id == bindparam("id"))
_SELECT_CONVERSATION_BY_KEY = select(*_CONVERSATION_COLUMNS).where(
    _CONVERSATIONS.c.channel == bindparam("channel"),
    _CONVERSATIONS.c.external_key == bindparam("external_key"),
)
_LIST_CONVERSATIONS = (
    select(*_CONVERSATION_COLUMNS)
    .where(_CONVERSATIONS.c.user_id == bindparam("user_id"))
    .order_by(_CONVERSATIONS.c.updated_at.desc(), _CONVERSATIONS.c.id)
    .limit(bindparam("limit", type_=Integer))
)
_TOUCH = (
    update(_CONVERSATIONS)
    .where(_CONVERSATIONS.c.id == bindparam("b_id"))
    .values(updated_at=bindparam("b_now"))
    .returning(_CONVERSATIONS.c.id)
)

_MESSAGES = _table(Message)
_LOAD_MESSAGES = (
    select(_MESSAGES.c.role, _MESSAGES.c.content)
    .where(_MESSAGES.c.conversation_id == bindparam("conversation_id"))
    .order_by(_MESSAGES.c.seq)
)
# Newest first from a seq down: the unique (conversation_id, seq) index read backwards.
_LATEST_MESSAGES = (
    select(_MESSAGES.c.seq, _MESSAGES.c.role, _MESSAGES.c.content)
    .where(
        _MESSAGES.c.conversation_id == bindparam("conversation_id"),
        _MESSAGES.c.seq < bindparam("before", type_=Integer),
    )
    .order_by(_MESSAGES.c.seq.desc())
    .limit(bindparam("limit", type_=Integer))
)
_AFTER_LAST_SEQ = 2**31 - 1  # above any seq (an INTEGER column)
# The next seq is read inside each INSERT, so appending needs no separate query.
_APPEND_MESSAGE = insert(_MESSAGES).values(
    conversation_id=bindparam("b_conversation_id"),
    seq=select(func.coalesce(func.max(_MESSAGES.c.seq), 0) + 1)
    .where(_MESSAGES.c.conversation_id == bindparam("b_conversation_id"))
    .scalar_subquery(),
    role=bindparam("b_role"),
    content=bindparam("b_content"),
    usage=bindparam("b_usage"),
    created_at=bindparam("b_now"),
)
_REPLACE_LAST_MESSAGE = (
    update(_MESSAGES)
    .where(
        _MESSAGES.c.conversation_id == bindparam("b_conversation_id"),
        _MESSAGES.c.seq
        == select(func.max(_MESSAGES.c.seq))
        .where(_MESSAGES.c.conversation_id == bindparam("b_conversation_id"))
        .scalar_subquery(),
    )
    .values(role=bindparam("b_role"), content=bindparam("b_content"))
    .returning(_MESSAGES.c.id)
)

_ACTIONS = _table(PendingAction)
_ACTION_COLUMNS = _columns(_ACTIONS, ActionRecord)
_INSERT_ACTION = insert(_ACTIONS)
_SELECT_ACTION = select(*_ACTION_COLUMNS).where(_ACTIONS.c.id == bindparam("id"))
_CLAIM_ACTION = (
    update(_ACTIONS)
    .where(_ACTIONS.c.id == bindparam("b_id"), _ACTIONS.c.status == bindparam("b_from_status"))
    .values(
        status=bindparam("b_to_status"),
        decided_by=bindparam("b_decided_by"),
        decided_at=bindparam("b_now"),
        edits=bindparam("b_edits"),
        reason=bindparam("b_reason"),
        updated_at=bindparam("b_now"),
    )
    .returning(*_ACTION_COLUMNS)
)
_FINISH_ACTION = (
    update(_ACTIONS)
    .where(_ACTIONS.c.id == bindparam("b_id"))
    .values(
        status=bindparam("b_status"),
        result=bindparam("b_result"),
        error=bindparam("b_error"),
        updated_at=bindparam("b_now"),
    )
    .returning(*_ACTION_COLUMNS)
)
_EXPIRE_ACTIONS = (
    update(_ACTIONS)
    .where(_ACTIONS.c.status == "pending", _ACTIONS.c.expires_at <= bindparam("b_now"))
    .values(status="expired", decided_at=bindparam("b_now"), updated_at=bindparam("b_now"))
    .returning(*_ACTION_COLUMNS)
)


@functools.cache
def _recover_actions(one: bool) -> Executable:
    """executing -> unknown for actions claimed (decided_at) before the lease's cutoff."""
    stmt = update(_ACTIONS).where(
        _ACTIONS.c.status == "executing", _ACTIONS.c.decided_at < bindparam("b_claimed_before")
    )
    if one:
        stmt = stmt.where(_ACTIONS.c.id == bindparam("b_id"))
    return stmt.values(
        status="unknown", error=bindparam("b_error"), updated_at=bindparam("b_now")
    ).returning(*_ACTION_COLUMNS)


_AUDIT = _table(AuditEvent)
_AUDIT_COLUMNS = _columns(_AUDIT, AuditRecord)
_INSERT_AUDIT = insert(_AUDIT).returning(_AUDIT.c.id)

_PROCESSED_EVENTS = _table(ProcessedEvent)

_SUMMARY_RUNS = _table(SummaryRun)
_SUMMARY_RUN_COLUMNS = _columns(_SUMMARY_RUNS, SummaryRunRecord)
_SELECT_SUMMARY_RUN = select(*_SUMMARY_RUN_COLUMNS).where(
    _SUMMARY_RUNS.c.user_id == bindparam("user_id"),
    _SUMMARY_RUNS.c.run_date == bindparam("run_date"),
)
_SELECT_SUMMARY_RUNS_SINCE = select(*_SUMMARY_RUN_COLUMNS).where(
    _SUMMARY_RUNS.c.run_date >= bindparam("first_date")
)
_LAST_DELIVERED_AT = select(func.max(_SUMMARY_RUNS.c.updated_at)).where(
    _SUMMARY_RUNS.c.user_id == bindparam("user_id"),
    _SUMMARY_RUNS.c.status == "delivered",
    _SUMMARY_RUNS.c.run_date < bindparam("before"),
)
_SELECT_SUMMARY_USERS = (
    select(*_USER_COLUMNS).where(_USERS.c.summary_enabled.is_(True)).order_by(_USERS.c.id)
)
_RETRY_SUMMARY_RUN = (
    update(_SUMMARY_RUNS)
    .where(
        _SUMMARY_RUNS.c.user_id == bindparam("b_user_id"),
        _SUMMARY_RUNS.c.run_date == bindparam("b_run_date"),
        _SUMMARY_RUNS.c.status == "failed",
    )
    .values(
        status="claimed",
        attempts=_SUMMARY_RUNS.c.attempts + 1,
        error=None,
        updated_at=bindparam("b_now"),
    )
    .returning(_SUMMARY_RUNS.c.id)
)
_FINISH_SUMMARY_RUN = (
    update(_SUMMARY_RUNS)
    .where(
        _SUMMARY_RUNS.c.user_id == bindparam("b_user_id"),
        _SUMMARY_RUNS.c.run_date == bindparam("b_run_date"),
    )
    .values(status=bindparam("b_status"), error=bindparam("b_error"), updated_at=bindparam("b_now"))
    .returning(_SUMMARY_RUNS.c.id)
)


@functools.cache
def _insert_or_nothing(dialect: str, table: Table, key: tuple[str, ...]) -> Insert:
    """INSERT ... ON CONFLICT (`key`) DO NOTHING RETURNING the primary key, for `dialect`."""
    stmt: Insert
    if dialect == "postgresql":
        stmt = postgresql.insert(table).on_conflict_do_nothing(index_elements=key)
    else:
        stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=key)
    return stmt.returning(*table.primary_key.columns)


@functools.cache
def _list_actions(by_user: bool, by_conversation: bool, by_status: bool) -> Select[Any]:
    stmt = select(*_ACTION_COLUMNS).order_by(_ACTIONS.c.created_at.desc(), _ACTIONS.c.id)
    if by_user:
        stmt = stmt.where(_ACTIONS.c.user_id == bindparam("user_id"))
    if by_conversation:
        stmt = stmt.where(_ACTIONS.c.conversation_id == bindparam("conversation_id"))
    if by_status:
        stmt = stmt.where(_ACTIONS.c.status == bindparam("status"))
    return stmt


@functools.cache
def _page_actions(by_conversation: bool, by_status: bool, after: bool) -> Select[Any]:
    """A person's actions, newest first, one page (`paging`: keyset on created_at, id)."""
    stmt = (
        select(*_ACTION_COLUMNS)
        .where(_ACTIONS.c.user_id == bindparam("user_id"))
        .order_by(_ACTIONS.c.created_at.desc(), _ACTIONS.c.id.desc())
        .limit(bindparam("limit", type_=Integer))
    )
    if by_conversation:
        stmt = stmt.where(_ACTIONS.c.conversation_id == bindparam("conversation_id"))
    if by_status:
        stmt = stmt.where(_ACTIONS.c.status == bindparam("status"))
    if after:
        stmt = stmt.where(paging.after(_ACTIONS.c.created_at, _ACTIONS.c.id))
    return stmt


@functools.cache
def _page_conversations(after: bool) -> Select[Any]:
    """A person's conversations, most recently active first, one page."""
    stmt = (
        select(*_CONVERSATION_COLUMNS)
        .where(_CONVERSATIONS.c.user_id == bindparam("user_id"))
        .order_by(_CONVERSATIONS.c.updated_at.desc(), _CONVERSATIONS.c.id.desc())
        .limit(bindparam("limit", type_=Integer))
    )
    if after:
        stmt = stmt.where(paging.after(_CONVERSATIONS.c.updated_at, _CONVERSATIONS.c.id))
    return stmt


@functools.cache
def _list_audit(by_action: bool, by_conversation: bool) -> Select[Any]:
    stmt = select(*_AUDIT_COLUMNS).order_by(_AUDIT.c.id)
    if by_action:
        stmt = stmt.where(_AUDIT.c.action_id == bindparam("action_id"))
    if by_conversation:
        stmt = stmt.where(_AUDIT.c.conversation_id == bindparam("conversation_id"))
    return stmt


class Store:
    """The coworker's persistence: one instance per process, shared by every channel."""

    def __init__(self, engine: AsyncEngine) -> None:
        if engine.dialect.name not in _DIALECTS:
            raise ConfigError(f"the store runs on SQLite or PostgreSQL, not {engine.dialect.name}")
        self.engine = engine
        self.sessions = session_factory(engine)
        self.sync_engine: Engine | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._inline_engine: Engine | None = None
        self._inline_commits = 0
        self.locks: ConversationLocks = locks_for(engine)
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
            if not is_in_memory(engine.url):
                self._inline_engine = create_sync_engine(engine.url, wait_for_locks=False)

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
        if self._executor is not None:
            # Let transactions already running finish (each commits or rolls back whole).
            await asyncio.get_running_loop().run_in_executor(
                None, functools.partial(self._executor.shutdown, wait=True)
            )
        if self._inline_engine is not None:
            self._inline_engine.dispose()
        if self.sync_engine is not None:
            self.sync_engine.dispose()
        await self.locks.close()
        await self.engine.dispose()

    async def _run(
        self, fn: Callable[Concatenate[Connection, _P], _T], *args: _P.args, **kwargs: _P.kwargs
    ) -> _T:
        """`fn(connection, *args, **kwargs)` as one transaction: committed if it returns, rolled
        back if it raises.

        On a SQLite file it runs right here on the event loop when it can: these
        transactions take a fraction of a millisecond, less than the thread hop, and far
        less than the GIL hand-offs between the loop and a worker that is busy alongside
        it. "When it can": the inline engine never waits for a lock; if another process
        holds the write lock, the transaction (rolled back whole) runs again in the worker
        thread, which waits up to the busy timeout. There, cancelling the caller does not
        stop it: the transaction still commits or rolls back as a whole.
        """
        if self._executor is None:
            async with self.engine.begin() as connection:
                return await connection.run_sync(fn, *args, **kwargs)
        if self._inline_engine is not None:
            try:
                with self._inline_engine.begin() as connection:
                    result = fn(connection, *args, **kwargs)
            except OperationalError as error:
                if not _is_busy(error):
                    raise
            else:
                self._inline_commits += 1
                if self._inline_commits % _CHECKPOINT_EVERY == 0:
                    with contextlib.suppress(RuntimeError):  # the store is closing
                        self._executor.submit(self._checkpoint)
                # The thread hop was a point where others got their turn; keep one, or a
                # burst of turns that never wait on the network (the offline model, the
                # embedded CRM) runs back to back while requests wait to be read.
                await asyncio.sleep(0)
                return result
        call = functools.partial(self._in_transaction, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def _checkpoint(self) -> None:
        """Fold the WAL back into the database and empty it, off the event loop (inline
        commits never checkpoint). TRUNCATE, not PASSIVE: a passive checkpoint racing the
        inline writers never let the WAL restart (it grew 600 KB per 25 messages). This one
        waits here for the transaction of the moment; inline ones meanwhile find the lock
        taken and queue in this worker."""
        assert self.sync_engine is not None
        try:
            with self.sync_engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception:  # noqa: BLE001 - the next one will try again
            log.warning("WAL checkpoint failed", exc_info=True)

    def _in_transaction(
        self, fn: Callable[Concatenate[Connection, _P], _T], *args: _P.args, **kwargs: _P.kwargs
    ) -> _T:
        assert self.sync_engine is not None
        with self.sync_engine.begin() as connection:
            return fn(connection, *args, **kwargs)

    # -- users -------------------------------------------------------------------------------

    async def ensure_user(
        self,
        external_id: str,
        display_name: str | None = None,
        *,
        summary_channel: str | None = None,
    ) -> UserRecord:
        """The user with this external id, created on first sight (safe under races).
        `summary_channel` is where a new person's summaries go (an existing one keeps theirs)."""
        now = utcnow()
        values = {
            "id": new_id(),
            "external_id": external_id,
            "display_name": display_name,
            "created_at": now,
            "updated_at": now,
        }
        if summary_channel is not None:
            values["summary_channel"] = summary_channel
        # Every web request asks, and almost always the user is there: a read transaction (no
        # write lock, no WAL append) answers that. Only a newcomer costs the insert, in its
        # own transaction (SQLite cannot turn a read snapshot into a write once another
        # connection has written).
        found = await self.find_user(external_id)
        return found if found is not None else await self._run(_ensure_user, values)

    async def get_user(self, user_id: str) -> UserRecord | None:
        return await self._run(_one_or_none, _SELECT_USER, {"id": user_id}, UserRecord)

    async def update_user(self, user_id: str, **fields: Any) -> UserRecord:
        unknown = set(fields) - USER_FIELDS
        if unknown:
            raise TypeError(f"update_user() cannot set {', '.join(sorted(unknown))}")
        stmt = (
            update(_USERS)
            .where(_USERS.c.id == user_id)
            .values(**fields, updated_at=utcnow())
            .returning(*_USER_COLUMNS)
        )
        user = await self._run(_one_or_none, stmt, {}, UserRecord)
        if user is None:
            raise RecordNotFound("user", user_id)
        return user

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
        values = {
            "id": new_id(),
            "user_id": user_id,
            "channel": channel,
            "external_key": external_key,
            "title": title,
            "created_at": now,
            "updated_at": now,
        }
        return await self._run(_get_or_create_conversation, values)

    async def get_conversation(self, conversation_id: str) -> ConversationRecord | None:
        params = {"id": conversation_id}
        return await self._run(_one_or_none, _SELECT_CONVERSATION, params, ConversationRecord)

    async def list_conversations(self, user_id: str, limit: int = 50) -> list[ConversationRecord]:
        """The user's conversations, most recently active first."""
        params = {"user_id": user_id, "limit": limit}
        return await self._run(_all, _LIST_CONVERSATIONS, params, ConversationRecord)

    async def page_conversations(
        self, user_id: str, *, limit: int = paging.DEFAULT_LIMIT, cursor: str | None = None
    ) -> paging.Page[ConversationRecord]:
        """One page of the user's conversations, most recently active first. A conversation
        that gets a new message meanwhile moves to the top: later pages do not repeat it."""
        params = {"user_id": user_id, "limit": paging.check_limit(limit) + 1}
        params |= paging.cursor_params("conversations", cursor)
        stmt = _page_conversations(cursor is not None)
        rows = await self._run(_all, stmt, params, ConversationRecord)
        return paging.page_of("conversations", rows, limit, lambda c: (c.updated_at, c.id))

    async def touch_conversation(self, conversation_id: str) -> None:
        await self._run(_touch, conversation_id, utcnow())

    # -- messages ----------------------------------------------------------------------------

    async def load_messages(self, conversation_id: str) -> list[dict[str, Any]]:
        """The transcript in order, as Anthropic Messages: `[{"role", "content": [...]}]`."""
        return await self._run(_load_messages, conversation_id)

    async def load_latest_messages(
        self, conversation_id: str, limit: int, *, before: int | None = None
    ) -> list[StoredMessage]:
        """The newest `limit` messages, of those before seq `before` if given, in order.

        What a turn (`Transcript.load`) and a page of the display read instead of the
        whole transcript: one backwards range scan of the (conversation_id, seq) index, so
        it costs the same at 20,000 messages as at 10.
        """
        params = {
            "conversation_id": conversation_id,
            "before": _AFTER_LAST_SEQ if before is None else before,
            "limit": limit,
        }
        rows = await self._run(_all, _LATEST_MESSAGES, params, StoredMessage)
        rows.reverse()
        return rows

    async def append_messages(
        self,
        conversation_id: str,
        messages: list[dict[str, Any]],
        usages: Sequence[dict[str, Any] | None] | None = None,
    ) -> None:
        """Append messages with the next sequence numbers, in one transaction.

        Concurrent appends to one conversation are serialized by the conversation's lock
        (see `_touch`), so each batch gets a contiguous run of `seq`; the unique
        (conversation_id, seq) constraint backs that up. `usages`, if given, has one entry
        per message: the model's token usage for the turn that wrote it (None for others).
        """
        if not messages:
            return
        if usages is not None and len(usages) != len(messages):
            raise ValueError(f"{len(usages)} usages for {len(messages)} messages")
        parsed = [
            (*_content(message), usages[index] if usages is not None else None)
            for index, message in enumerate(messages)
        ]
        await self._run(_append_messages, conversation_id, parsed, utcnow())

    async def replace_last_message(self, conversation_id: str, message: dict[str, Any]) -> None:
        """Overwrite the newest message's role and content (its usage is kept); used to
        merge tool results into a trailing user message."""
        role, content = _content(message)
        await self._run(_replace_last_message, conversation_id, role, content, utcnow())

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
        max_pending: int | None = None,
        effect: dict[str, Any] | None = None,
    ) -> ActionRecord:
        """A new pending action; with `max_pending`, refused (TooManyPendingActions) if the
        person already has that many waiting, atomically even under races (`pending_cap`)."""
        now = utcnow()
        record = ActionRecord(
            id=new_id(),
            conversation_id=conversation_id,
            user_id=user_id,
            tool_use_id=tool_use_id,
            tool_name=tool_name,
            input=input,
            input_hash=input_hash(input),
            display=display,
            status="pending",
            edits=None,
            reason=None,
            result=None,
            error=None,
            created_at=now,
            expires_at=expires_at,
            decided_at=None,
            decided_by=None,
            updated_at=now,
            effect=effect,
        )
        values = dataclasses.asdict(record)
        if max_pending is None:
            await self._run(_execute, _INSERT_ACTION, values)
            return record
        waiting = await self._run(pending_cap.insert_capped, values, max_pending, now)
        if waiting is not None:
            raise pending_cap.TooManyPendingActions(waiting, max_pending)
        return record

    async def count_waiting(self, user_id: str) -> int:
        """How many of the person's actions wait for approval (unexpired), as the cap counts."""
        return await self._run(pending_cap.count_waiting, user_id, utcnow())

    async def get_action(self, action_id: str) -> ActionRecord | None:
        return await self._run(_one_or_none, _SELECT_ACTION, {"id": action_id}, ActionRecord)

    async def list_actions(
        self,
        *,
        user_id: str | None = None,
        conversation_id: str | None = None,
        status: str | None = None,
    ) -> list[ActionRecord]:
        """Actions matching every filter given, newest first."""
        stmt = _list_actions(user_id is not None, conversation_id is not None, status is not None)
        params = {"user_id": user_id, "conversation_id": conversation_id, "status": status}
        params = {name: value for name, value in params.items() if value is not None}
        return await self._run(_all, stmt, params, ActionRecord)

    async def page_actions(
        self,
        user_id: str,
        *,
        conversation_id: str | None = None,
        status: str | None = None,
        limit: int = paging.DEFAULT_LIMIT,
        cursor: str | None = None,
    ) -> paging.Page[ActionRecord]:
        """One page of the user's actions matching the filters, newest first."""
        params: dict[str, Any] = {"user_id": user_id, "limit": paging.check_limit(limit) + 1}
        if conversation_id is not None:
            params["conversation_id"] = conversation_id
        if status is not None:
            params["status"] = status
        params |= paging.cursor_params("actions", cursor)
        stmt = _page_actions(conversation_id is not None, status is not None, cursor is not None)
        rows = await self._run(_all, stmt, params, ActionRecord)
        return paging.page_of("actions", rows, limit, lambda a: (a.created_at, a.id))

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
        params = {
            "b_id": action_id,
            "b_from_status": from_status,
            "b_to_status": to_status,
            "b_decided_by": decided_by,
            "b_edits": edits,
            "b_reason": reason,
            "b_now": now,
        }
        return await self._run(_one_or_none, _CLAIM_ACTION, params, ActionRecord)

    async def finish_action(
        self,
        action_id: str,
        *,
        status: str,
        result: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> ActionRecord:
        """Record how an action ended (succeeded, failed, unknown, or a later reconciliation)."""
        params = {
            "b_id": action_id,
            "b_status": status,
            "b_result": result,
            "b_error": error,
            "b_now": utcnow(),
        }
        action = await self._run(_one_or_none, _FINISH_ACTION, params, ActionRecord)
        if action is None:
            raise RecordNotFound("action", action_id)
        return action

    async def expire_actions(self, now: datetime) -> list[ActionRecord]:
        """Expire every pending action due by `now`; returns exactly the ones this call moved."""
        return await self._run(_all, _EXPIRE_ACTIONS, {"b_now": now}, ActionRecord)

    async def recover_actions(
        self,
        *,
        claimed_before: datetime,
        now: datetime,
        error: str,
        action_id: str | None = None,
    ) -> list[ActionRecord]:
        """Move actions still `executing` that were claimed before `claimed_before` (their
        process died mid-call) to `unknown`, each with its `action.recovered` audit event in
        the same transaction. One conditional UPDATE: of several replicas recovering at once,
        each action comes back to exactly one. Only `action_id` if given."""
        params = {"b_claimed_before": claimed_before, "b_now": now, "b_error": error}
        if action_id is not None:
            params["b_id"] = action_id
        return await self._run(_recover, _recover_actions(action_id is not None), params, now)

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
        values: dict[str, Any] = {
            "at": utcnow(),
            "actor": actor,
            "kind": kind,
            "action_id": action_id,
            "conversation_id": conversation_id,
            "data": data or {},
        }
        audit_id = await self._run(_scalar, _INSERT_AUDIT, values)
        return AuditRecord(id=audit_id, **values)

    async def list_audit(
        self, action_id: str | None = None, conversation_id: str | None = None
    ) -> list[AuditRecord]:
        """Audit events matching the filters, oldest first (in insertion order)."""
        stmt = _list_audit(action_id is not None, conversation_id is not None)
        params = {"action_id": action_id, "conversation_id": conversation_id}
        params = {name: value for name, value in params.items() if value is not None}
        return await self._run(_all, stmt, params, AuditRecord)

    # -- once-only markers -------------------------------------------------------------------

    async def mark_event_processed(self, event_id: str, source: str) -> bool:
        """True the first time an event id is seen, False on every later delivery."""
        values = {"event_id": event_id, "source": source, "created_at": utcnow()}
        return await self._run(_insert_new, _PROCESSED_EVENTS, values, ("event_id",))

    async def claim_summary_run(self, user_id: str, run_date: date) -> bool:
        """True for the one caller that gets to send this user's summary for this date."""
        now = utcnow()
        values = {
            "user_id": user_id,
            "run_date": run_date,
            "status": "claimed",
            "attempts": 1,
            "created_at": now,
            "updated_at": now,
        }
        return await self._run(_insert_new, _SUMMARY_RUNS, values, ("user_id", "run_date"))

    async def retry_failed_summary_run(self, user_id: str, run_date: date) -> bool:
        """Claim a failed run again (failed -> claimed, one more attempt); True if this call did."""
        params = {"b_user_id": user_id, "b_run_date": run_date, "b_now": utcnow()}
        return await self._run(_changed, _RETRY_SUMMARY_RUN, params)

    async def finish_summary_run(
        self, user_id: str, run_date: date, status: str, error: str | None = None
    ) -> None:
        params = {
            "b_user_id": user_id,
            "b_run_date": run_date,
            "b_status": status,
            "b_error": error,
            "b_now": utcnow(),
        }
        if not await self._run(_changed, _FINISH_SUMMARY_RUN, params):
            raise RecordNotFound("summary run", f"{user_id}/{run_date.isoformat()}")

    async def get_summary_run(self, user_id: str, run_date: date) -> SummaryRunRecord | None:
        params = {"user_id": user_id, "run_date": run_date}
        return await self._run(_one_or_none, _SELECT_SUMMARY_RUN, params, SummaryRunRecord)

    async def summary_users(self) -> list[UserRecord]:
        """Everyone with daily summaries on (who might be due): one SELECT per tick."""
        return await self._run(_all, _SELECT_SUMMARY_USERS, {}, UserRecord)

    async def summary_runs_since(
        self, first_date: date
    ) -> dict[tuple[str, date], SummaryRunRecord]:
        """Every summary run from `first_date` on, by (user id, local date)."""
        params = {"first_date": first_date}
        runs = await self._run(_all, _SELECT_SUMMARY_RUNS_SINCE, params, SummaryRunRecord)
        return {(run.user_id, run.run_date): run for run in runs}

    async def last_summary_delivered_at(self, user_id: str, before: date) -> datetime | None:
        """When the person's latest summary before `before` went out (new leads count from
        there)."""
        params = {"user_id": user_id, "before": before}
        value = await self._run(_scalar_or_none, _LAST_DELIVERED_AT, params)
        return value if isinstance(value, datetime) else None

    async def find_user(self, external_id: str) -> UserRecord | None:
        params = {"external_id": external_id}
        return await self._run(_one_or_none, _SELECT_USER_BY_EXTERNAL_ID, params, UserRecord)


# -- the transactions' bodies: plain functions of a sync Connection -------------------------


def _execute(db: Connection, stmt: Executable, params: dict[str, Any]) -> None:
    db.execute(stmt, params)


def _scalar(db: Connection, stmt: Executable, params: dict[str, Any]) -> Any:
    return db.execute(stmt, params).scalar_one()


def _scalar_or_none(db: Connection, stmt: Executable, params: dict[str, Any]) -> Any:
    return db.execute(stmt, params).scalar_one_or_none()


def _changed(db: Connection, stmt: Executable, params: dict[str, Any]) -> bool:
    """True if the UPDATE ... RETURNING `stmt` changed a row."""
    return db.execute(stmt, params).first() is not None


def _one_or_none(
    db: Connection, stmt: Executable, params: dict[str, Any], cls: type[_R]
) -> _R | None:
    """The one row `stmt` selects or changes (RETURNING), as a record; None if none."""
    row = db.execute(stmt, params).one_or_none()
    return None if row is None else _record(cls, row)


def _all(db: Connection, stmt: Executable, params: dict[str, Any], cls: type[_R]) -> list[_R]:
    return [_record(cls, row) for row in db.execute(stmt, params)]


def _insert_new(db: Connection, table: Table, values: dict[str, Any], key: tuple[str, ...]) -> bool:
    """INSERT unless a row with the same `key` exists; True if this call inserted it."""
    stmt = _insert_or_nothing(db.dialect.name, table, key)
    return db.execute(stmt, values).first() is not None


def _recover(
    db: Connection, stmt: Executable, params: dict[str, Any], now: datetime
) -> list[ActionRecord]:
    recovered = _all(db, stmt, params, ActionRecord)
    for action in recovered:
        audit = {
            "at": now,
            "actor": None,
            "kind": "action.recovered",
            "action_id": action.id,
            "conversation_id": action.conversation_id,
            "data": {"claimed_at": action.decided_at.isoformat() if action.decided_at else None},
        }
        db.execute(_INSERT_AUDIT, audit)
    return recovered


def _ensure_user(db: Connection, values: dict[str, Any]) -> UserRecord:
    _insert_new(db, _USERS, values, ("external_id",))
    params = {"external_id": values["external_id"]}
    return _record(UserRecord, db.execute(_SELECT_USER_BY_EXTERNAL_ID, params).one())


def _get_or_create_conversation(db: Connection, values: dict[str, Any]) -> ConversationRecord:
    _insert_new(db, _CONVERSATIONS, values, ("channel", "external_key"))
    params = {"channel": values["channel"], "external_key": values["external_key"]}
    row = db.execute(_SELECT_CONVERSATION_BY_KEY, params).one()
    return _record(ConversationRecord, row)


def _touch(db: Connection, conversation_id: str, now: datetime) -> None:
    """Bump `updated_at`. As a transaction's first write, this also takes the conversation's
    row lock (PostgreSQL) or the write lock (SQLite), so transactions that change one
    conversation's messages run one after the other."""
    if db.execute(_TOUCH, {"b_id": conversation_id, "b_now": now}).first() is None:
        raise RecordNotFound("conversation", conversation_id)


def _load_messages(db: Connection, conversation_id: str) -> list[dict[str, Any]]:
    rows = db.execute(_LOAD_MESSAGES, {"conversation_id": conversation_id})
    return [{"role": role, "content": content} for role, content in rows]


def _append_messages(
    db: Connection,
    conversation_id: str,
    parsed: list[tuple[str, list[dict[str, Any]], dict[str, Any] | None]],
    now: datetime,
) -> None:
    _touch(db, conversation_id, now)
    for role, content, usage in parsed:
        params = {
            "b_conversation_id": conversation_id,
            "b_role": role,
            "b_content": content,
            "b_usage": usage,
            "b_now": now,
        }
        db.execute(_APPEND_MESSAGE, params)


def _replace_last_message(
    db: Connection,
    conversation_id: str,
    role: str,
    content: list[dict[str, Any]],
    now: datetime,
) -> None:
    _touch(db, conversation_id, now)
    params = {"b_conversation_id": conversation_id, "b_role": role, "b_content": content}
    if db.execute(_REPLACE_LAST_MESSAGE, params).first() is None:
        raise RecordNotFound("last message of conversation", conversation_id)
