"""Transcripts: a conversation's messages in order (`seq`), in Anthropic Messages form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, func, insert, select, update

from coworker.llm.base import Block, Message
from coworker.store import sql
from coworker.store.conversations import name, touch
from coworker.store.records import RecordNotFound, StoredMessage, StoreError
from coworker.store.tables import Message as MessageRow
from coworker.store.tables import utcnow
from coworker.store.transactions import Repository

_MESSAGES = sql.table(MessageRow)
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
# Oldest first: where a conversation began (its title, for one made before titles were kept).
_FIRST_MESSAGES = (
    select(_MESSAGES.c.seq, _MESSAGES.c.role, _MESSAGES.c.content)
    .where(_MESSAGES.c.conversation_id == bindparam("conversation_id"))
    .order_by(_MESSAGES.c.seq)
    .limit(bindparam("limit", type_=Integer))
)
_AFTER_LAST_SEQ = 2**31 - 1  # above any seq (an INTEGER column)
# The next seq is read inside each INSERT, so appending needs no separate query.
_APPEND_MESSAGE = (
    insert(_MESSAGES)
    .values(
        conversation_id=bindparam("b_conversation_id"),
        seq=select(func.coalesce(func.max(_MESSAGES.c.seq), 0) + 1)
        .where(_MESSAGES.c.conversation_id == bindparam("b_conversation_id"))
        .scalar_subquery(),
        role=bindparam("b_role"),
        content=bindparam("b_content"),
        usage=bindparam("b_usage"),
        created_at=bindparam("b_now"),
    )
    .returning(_MESSAGES.c.seq)
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

_Row = tuple[str, list[Block], dict[str, Any] | None]  # role, content, usage


class Messages(Repository):
    async def load_messages(self, conversation_id: str) -> list[Message]:
        """The transcript in order, as Anthropic Messages: `[{"role", "content": [...]}]`."""
        return await self._tx.run(_load_messages, conversation_id)

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
        rows = await self._tx.run(sql.all_of, _LATEST_MESSAGES, params, StoredMessage)
        rows.reverse()
        return rows

    async def load_first_messages(self, conversation_id: str, limit: int) -> list[StoredMessage]:
        """The oldest `limit` messages, in order: the forward range scan of the same index."""
        params = {"conversation_id": conversation_id, "limit": limit}
        return await self._tx.run(sql.all_of, _FIRST_MESSAGES, params, StoredMessage)

    async def append_messages(
        self,
        conversation_id: str,
        messages: list[Message],
        usages: Sequence[dict[str, Any] | None] | None = None,
        *,
        title: str | None = None,
    ) -> list[int]:
        """Append messages with the next sequence numbers, in one transaction; returns
        their `seq`s, which (with the conversation) name them from outside: a reply's id
        for feedback (agent/feedback.py).

        Concurrent appends to one conversation are serialized by the conversation's lock
        (see `conversations.touch`), so each batch gets a contiguous run of `seq`; the unique
        (conversation_id, seq) constraint backs that up. `usages`, if given, has one entry
        per message: the model's token usage for the turn that wrote it (None for others).
        `title` names a still untitled conversation in the same transaction (its first
        request: a turn costs no extra write for it).
        """
        if not messages:
            return []
        if usages is not None and len(usages) != len(messages):
            raise ValueError(f"{len(usages)} usages for {len(messages)} messages")
        rows: list[_Row] = [
            (*_content(message), usages[index] if usages is not None else None)
            for index, message in enumerate(messages)
        ]
        return await self._tx.run(_append_messages, conversation_id, rows, utcnow(), title)

    async def replace_last_message(self, conversation_id: str, message: Message) -> None:
        """Overwrite the newest message's role and content (its usage is kept); used to
        merge tool results into a trailing user message."""
        role, content = _content(message)
        await self._tx.run(_replace_last_message, conversation_id, role, content, utcnow())


def _content(message: Message) -> tuple[str, list[Block]]:
    role, content = message["role"], message["content"]
    if isinstance(content, str):
        content = [{"type": "text", "text": content}]
    if not isinstance(role, str) or not isinstance(content, list):
        raise StoreError("a message is {'role': str, 'content': [blocks]}")
    return role, content


def _load_messages(db: Connection, conversation_id: str) -> list[Message]:
    rows = db.execute(_LOAD_MESSAGES, {"conversation_id": conversation_id})
    return [{"role": role, "content": content} for role, content in rows]


def _append_messages(
    db: Connection, conversation_id: str, rows: list[_Row], now: datetime, title: str | None
) -> list[int]:
    touch(db, conversation_id, now)
    if title is not None:
        name(db, conversation_id, title)
    seqs: list[int] = []
    for role, content, usage in rows:
        params = {
            "b_conversation_id": conversation_id,
            "b_role": role,
            "b_content": content,
            "b_usage": usage,
            "b_now": now,
        }
        seqs.append(db.execute(_APPEND_MESSAGE, params).scalar_one())
    return seqs


def _replace_last_message(
    db: Connection, conversation_id: str, role: str, content: list[Block], now: datetime
) -> None:
    touch(db, conversation_id, now)
    params = {"b_conversation_id": conversation_id, "b_role": role, "b_content": content}
    if db.execute(_REPLACE_LAST_MESSAGE, params).first() is None:
        raise RecordNotFound("last message of conversation", conversation_id)
