"""Conversations: one per (channel, external key), created on first sight."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, Select, bindparam, select, update

from coworker.store import paging, sql
from coworker.store.records import ConversationRecord, RecordNotFound
from coworker.store.tables import Conversation, new_id, utcnow
from coworker.store.transactions import Repository

CONVERSATIONS = sql.table(Conversation)
CONVERSATION_COLUMNS = sql.columns(CONVERSATIONS, ConversationRecord)
_SELECT_CONVERSATION = select(*CONVERSATION_COLUMNS).where(CONVERSATIONS.c.id == bindparam("id"))
_SELECT_CONVERSATION_BY_KEY = select(*CONVERSATION_COLUMNS).where(
    CONVERSATIONS.c.channel == bindparam("channel"),
    CONVERSATIONS.c.external_key == bindparam("external_key"),
)
_TOUCH = (
    update(CONVERSATIONS)
    .where(CONVERSATIONS.c.id == bindparam("b_id"))
    .values(updated_at=bindparam("b_now"))
    .returning(CONVERSATIONS.c.id)
)
# A title is given once: a conversation already named (an MCP call's) keeps its name.
_NAME = (
    update(CONVERSATIONS)
    .where(CONVERSATIONS.c.id == bindparam("b_id"), CONVERSATIONS.c.title.is_(None))
    .values(title=bindparam("b_title"))
    .returning(CONVERSATIONS.c.id)
)


@functools.cache
def _page_conversations(after: bool) -> Select[Any]:
    """A person's conversations, most recently active first, one page."""
    stmt = (
        select(*CONVERSATION_COLUMNS)
        .where(CONVERSATIONS.c.user_id == bindparam("user_id"))
        .order_by(CONVERSATIONS.c.updated_at.desc(), CONVERSATIONS.c.id.desc())
        .limit(bindparam("limit", type_=Integer))
    )
    if after:
        stmt = stmt.where(paging.after(CONVERSATIONS.c.updated_at, CONVERSATIONS.c.id))
    return stmt


class Conversations(Repository):
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
        return await self._tx.run(_get_or_create_conversation, values)

    async def get_conversation(self, conversation_id: str) -> ConversationRecord | None:
        params = {"id": conversation_id}
        return await self._tx.run(sql.one_or_none, _SELECT_CONVERSATION, params, ConversationRecord)

    async def name_conversation(self, conversation_id: str, title: str) -> bool:
        """Give an untitled conversation its title; False if it had one. Not activity: the
        order of the list (`updated_at`) is left as it was."""
        changed: bool = await self._tx.run(name, conversation_id, title)
        return changed

    async def page_conversations(
        self, user_id: str, *, limit: int = paging.DEFAULT_LIMIT, cursor: str | None = None
    ) -> paging.Page[ConversationRecord]:
        """One page of the user's conversations, most recently active first. A conversation
        that gets a new message meanwhile moves to the top: later pages do not repeat it."""
        params = {"user_id": user_id, "limit": paging.check_limit(limit) + 1}
        params |= paging.cursor_params("conversations", cursor)
        stmt = _page_conversations(cursor is not None)
        rows = await self._tx.run(sql.all_of, stmt, params, ConversationRecord)
        return paging.page_of("conversations", rows, limit, lambda c: (c.updated_at, c.id))


def name(db: Connection, conversation_id: str, title: str) -> bool:
    """Title an untitled conversation inside the caller's transaction (see `_NAME`)."""
    return sql.changed(db, _NAME, {"b_id": conversation_id, "b_title": title})


def _get_or_create_conversation(db: Connection, values: dict[str, Any]) -> ConversationRecord:
    sql.insert_new(db, CONVERSATIONS, values, ("channel", "external_key"))
    params = {"channel": values["channel"], "external_key": values["external_key"]}
    row = db.execute(_SELECT_CONVERSATION_BY_KEY, params).one()
    return sql.record(ConversationRecord, row)


def touch(db: Connection, conversation_id: str, now: datetime) -> None:
    """Bump `updated_at`. As a transaction's first write, this also takes the conversation's
    row lock (PostgreSQL) or the write lock (SQLite), so transactions that change one
    conversation's messages run one after the other."""
    if db.execute(_TOUCH, {"b_id": conversation_id, "b_now": now}).first() is None:
        raise RecordNotFound("conversation", conversation_id)
