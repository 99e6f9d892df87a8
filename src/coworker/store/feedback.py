"""Feedback on replies: one row per person and reply, replaced by a second press, written
with its audit event in one transaction; read newest first for the export.

The row keeps what the turn was when it was rated (model, tools, the reply's text): the
transcript may be long gone from anyone's mind by the time a team reviews it, and an eval
case is written from exactly what the person saw.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from coworker.store import sql
from coworker.store.audit import INSERT_AUDIT
from coworker.store.tables import FeedbackEntry, User, new_id, utcnow
from coworker.store.transactions import Repository

FEEDBACK = sql.table(FeedbackEntry)
_USERS = sql.table(User)
FEEDBACK_RECORDED = "feedback.recorded"  # the audit event of a press
_KEY = ("user_id", "conversation_id", "reply_seq")


@dataclass(frozen=True, slots=True)
class StoredFeedback:
    """A feedback row, with the rater's external id (`web:<sub>`, `slack:<team>:<user>`),
    which is how a team knows who it was."""

    id: str
    user_id: str
    conversation_id: str
    reply_seq: int
    rating: str
    channel: str
    model: str
    tools: list[str]
    reply: str
    created_at: datetime
    updated_at: datetime
    user_external_id: str


@dataclass(frozen=True, slots=True)
class NewFeedback:
    """What a press writes (the rest is the store's: id, times)."""

    user_id: str
    user_external_id: str
    conversation_id: str
    reply_seq: int
    rating: str
    channel: str
    model: str
    tools: list[str]
    reply: str


_ROW_FIELDS = [f.name for f in dataclasses.fields(StoredFeedback) if f.name != "user_external_id"]
_ROW_COLUMNS = [FEEDBACK.c[name] for name in _ROW_FIELDS]
_LIST = (
    select(*_ROW_COLUMNS, _USERS.c.external_id)
    .join(_USERS, _USERS.c.id == FEEDBACK.c.user_id)
    .order_by(FEEDBACK.c.updated_at.desc(), FEEDBACK.c.id.desc())
)


@functools.cache
def _upsert(dialect: str) -> Insert:
    """INSERT, or on the person's earlier press on the same reply, a new rating (the turn's
    model, tools and text stay as first recorded); RETURNING the row either way."""
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(FEEDBACK)
    changed = {name: stmt.excluded[name] for name in ("rating", "channel", "updated_at")}
    return stmt.on_conflict_do_update(index_elements=_KEY, set_=changed).returning(*_ROW_COLUMNS)


class FeedbackEntries(Repository):
    async def record_feedback(self, entry: NewFeedback) -> StoredFeedback:
        """Store a press (replacing the person's earlier one on that reply) and its
        `feedback.recorded` audit event, together."""
        return await self._tx.run(_record, entry, utcnow())

    async def list_feedback(
        self, *, since: datetime | None = None, rating: str | None = None
    ) -> list[StoredFeedback]:
        """Every person's feedback, newest press first; from `since` on, of one rating."""
        stmt: Select[Any] = _LIST
        if since is not None:
            stmt = stmt.where(FEEDBACK.c.updated_at >= since)
        if rating is not None:
            stmt = stmt.where(FEEDBACK.c.rating == rating)
        return await self._tx.run(sql.all_of, stmt, {}, StoredFeedback)


def _record(db: Connection, entry: NewFeedback, now: datetime) -> StoredFeedback:
    values = dataclasses.asdict(entry)
    external_id = values.pop("user_external_id")
    values |= {"id": new_id(), "created_at": now, "updated_at": now}
    row = db.execute(_upsert(db.dialect.name), values).one()
    stored = sql.record(StoredFeedback, (*row, external_id))
    audit = {
        "at": now,
        "actor": entry.user_id,
        "kind": FEEDBACK_RECORDED,
        "action_id": None,
        "conversation_id": entry.conversation_id,
        "data": {
            "feedback_id": stored.id,
            "reply_seq": entry.reply_seq,
            "rating": entry.rating,
            "channel": entry.channel,
        },
    }
    db.execute(INSERT_AUDIT, audit)
    return stored
