"""Queries only the tests ask (the service never lists the audit trail or every
conversation, nor expires actions in bulk), kept here so the store carries none of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from coworker.store.actions import ACTION_COLUMNS, ACTIONS
from coworker.store.audit import AUDIT, AUDIT_COLUMNS
from coworker.store.conversations import CONVERSATION_COLUMNS, CONVERSATIONS
from coworker.store.facade import Store
from coworker.store.records import (
    ActionRecord,
    AuditRecord,
    ConversationRecord,
    RecordNotFound,
)
from coworker.store.tables import utcnow


async def list_audit(
    store: Store, action_id: str | None = None, conversation_id: str | None = None
) -> list[AuditRecord]:
    """Audit events matching the filters, oldest first (in insertion order)."""
    stmt = select(*AUDIT_COLUMNS).order_by(AUDIT.c.id)
    if action_id is not None:
        stmt = stmt.where(AUDIT.c.action_id == action_id)
    if conversation_id is not None:
        stmt = stmt.where(AUDIT.c.conversation_id == conversation_id)
    return [AuditRecord(*row) for row in await _rows(store, stmt)]


async def list_conversations(
    store: Store, user_id: str, limit: int = 50
) -> list[ConversationRecord]:
    """The user's conversations, most recently active first."""
    stmt = (
        select(*CONVERSATION_COLUMNS)
        .where(CONVERSATIONS.c.user_id == user_id)
        .order_by(CONVERSATIONS.c.updated_at.desc(), CONVERSATIONS.c.id)
        .limit(limit)
    )
    return [ConversationRecord(*row) for row in await _rows(store, stmt)]


async def touch_conversation(store: Store, conversation_id: str) -> None:
    stmt = (
        update(CONVERSATIONS)
        .where(CONVERSATIONS.c.id == conversation_id)
        .values(updated_at=utcnow())
        .returning(CONVERSATIONS.c.id)
    )
    if not await _rows(store, stmt, write=True):
        raise RecordNotFound("conversation", conversation_id)


async def expire_actions(store: Store, now: datetime) -> list[ActionRecord]:
    """Expire every pending action due by `now`; returns exactly the ones this call moved."""
    stmt = (
        update(ACTIONS)
        .where(ACTIONS.c.status == "pending", ACTIONS.c.expires_at <= now)
        .values(status="expired", decided_at=now, updated_at=now)
        .returning(*ACTION_COLUMNS)
    )
    return [ActionRecord(*row) for row in await _rows(store, stmt, write=True)]


async def _rows(store: Store, stmt: Any, *, write: bool = False) -> list[Any]:
    if write:
        async with store.engine.begin() as connection:
            return list(await connection.execute(stmt))
    async with store.engine.connect() as connection:
        return list(await connection.execute(stmt))
