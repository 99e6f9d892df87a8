"""Pending actions: what waits for a person's approval, and every state it moves through.

Each move out of `pending` or `executing` is one conditional UPDATE whose RETURNING row
says whether this caller won, so double clicks, retries and replicas move an action once.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, Select, bindparam, insert, select, update
from sqlalchemy.sql.base import Executable

from coworker.store import paging, pending_cap, sql
from coworker.store.audit import INSERT_AUDIT
from coworker.store.records import ActionRecord, RecordNotFound
from coworker.store.tables import PendingAction, new_id, utcnow
from coworker.store.transactions import Repository

ACTIONS = sql.table(PendingAction)
ACTION_COLUMNS = sql.columns(ACTIONS, ActionRecord)
_INSERT_ACTION = insert(ACTIONS)
_SELECT_ACTION = select(*ACTION_COLUMNS).where(ACTIONS.c.id == bindparam("id"))
_CLAIM_ACTION = (
    update(ACTIONS)
    .where(ACTIONS.c.id == bindparam("b_id"), ACTIONS.c.status == bindparam("b_from_status"))
    .values(
        status=bindparam("b_to_status"),
        decided_by=bindparam("b_decided_by"),
        decided_at=bindparam("b_now"),
        edits=bindparam("b_edits"),
        reason=bindparam("b_reason"),
        updated_at=bindparam("b_now"),
    )
    .returning(*ACTION_COLUMNS)
)
_FINISH_ACTION = (
    update(ACTIONS)
    .where(ACTIONS.c.id == bindparam("b_id"))
    .values(
        status=bindparam("b_status"),
        result=bindparam("b_result"),
        error=bindparam("b_error"),
        updated_at=bindparam("b_now"),
    )
    .returning(*ACTION_COLUMNS)
)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def input_hash(value: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of a tool input: what binds an action to its input."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


@functools.cache
def _recover_actions(one: bool) -> Executable:
    """executing -> unknown for actions claimed (decided_at) before the lease's cutoff."""
    stmt = update(ACTIONS).where(
        ACTIONS.c.status == "executing", ACTIONS.c.decided_at < bindparam("b_claimed_before")
    )
    if one:
        stmt = stmt.where(ACTIONS.c.id == bindparam("b_id"))
    return stmt.values(
        status="unknown", error=bindparam("b_error"), updated_at=bindparam("b_now")
    ).returning(*ACTION_COLUMNS)


@functools.cache
def _list_actions(
    by_user: bool, by_conversation: bool, by_status: bool, by_batch: bool = False
) -> Select[Any]:
    stmt = select(*ACTION_COLUMNS).order_by(ACTIONS.c.created_at.desc(), ACTIONS.c.id)
    if by_batch:
        stmt = stmt.where(ACTIONS.c.batch_id == bindparam("batch_id"))
    if by_user:
        stmt = stmt.where(ACTIONS.c.user_id == bindparam("user_id"))
    if by_conversation:
        stmt = stmt.where(ACTIONS.c.conversation_id == bindparam("conversation_id"))
    if by_status:
        stmt = stmt.where(ACTIONS.c.status == bindparam("status"))
    return stmt


@functools.cache
def _page_actions(by_conversation: bool, by_status: bool, after: bool) -> Select[Any]:
    """A person's actions, newest first, one page (`paging`: keyset on created_at, id)."""
    stmt = (
        select(*ACTION_COLUMNS)
        .where(ACTIONS.c.user_id == bindparam("user_id"))
        .order_by(ACTIONS.c.created_at.desc(), ACTIONS.c.id.desc())
        .limit(bindparam("limit", type_=Integer))
    )
    if by_conversation:
        stmt = stmt.where(ACTIONS.c.conversation_id == bindparam("conversation_id"))
    if by_status:
        stmt = stmt.where(ACTIONS.c.status == bindparam("status"))
    if after:
        stmt = stmt.where(paging.after(ACTIONS.c.created_at, ACTIONS.c.id))
    return stmt


class Actions(Repository):
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
        batch_id: str | None = None,
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
            batch_id=batch_id,
        )
        values = dataclasses.asdict(record)
        if max_pending is None:
            await self._tx.run(sql.execute, _INSERT_ACTION, values)
            return record
        waiting = await self._tx.run(pending_cap.insert_capped, values, max_pending, now)
        if waiting is not None:
            raise pending_cap.TooManyPendingActions(waiting, max_pending)
        return record

    async def count_waiting(self, user_id: str) -> int:
        """How many of the person's actions wait for approval (unexpired), as the cap counts."""
        return await self._tx.run(pending_cap.count_waiting, user_id, utcnow())

    async def get_action(self, action_id: str) -> ActionRecord | None:
        return await self._tx.run(sql.one_or_none, _SELECT_ACTION, {"id": action_id}, ActionRecord)

    async def list_actions(
        self,
        *,
        user_id: str | None = None,
        conversation_id: str | None = None,
        status: str | None = None,
        batch_id: str | None = None,
    ) -> list[ActionRecord]:
        """Actions matching every filter given, newest first."""
        stmt = _list_actions(
            user_id is not None,
            conversation_id is not None,
            status is not None,
            batch_id is not None,
        )
        params = {
            "user_id": user_id,
            "conversation_id": conversation_id,
            "status": status,
            "batch_id": batch_id,
        }
        params = {name: value for name, value in params.items() if value is not None}
        return await self._tx.run(sql.all_of, stmt, params, ActionRecord)

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
        rows = await self._tx.run(sql.all_of, stmt, params, ActionRecord)
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
        return await self._tx.run(sql.one_or_none, _CLAIM_ACTION, params, ActionRecord)

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
        action = await self._tx.run(sql.one_or_none, _FINISH_ACTION, params, ActionRecord)
        if action is None:
            raise RecordNotFound("action", action_id)
        return action

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
        stmt = _recover_actions(action_id is not None)
        return await self._tx.run(_recover, stmt, params, now)


def _recover(
    db: Connection, stmt: Executable, params: dict[str, Any], now: datetime
) -> list[ActionRecord]:
    recovered = sql.all_of(db, stmt, params, ActionRecord)
    for action in recovered:
        audit = {
            "at": now,
            "actor": None,
            "kind": "action.recovered",
            "action_id": action.id,
            "conversation_id": action.conversation_id,
            "data": {"claimed_at": action.decided_at.isoformat() if action.decided_at else None},
        }
        db.execute(INSERT_AUDIT, audit)
    return recovered
