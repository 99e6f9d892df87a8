"""The audit trail: one event per thing that happened to an action or a conversation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from coworker.store import sql
from coworker.store.records import AuditRecord
from coworker.store.tables import AuditEvent, utcnow
from coworker.store.transactions import Repository

AUDIT = sql.table(AuditEvent)
AUDIT_COLUMNS = sql.columns(AUDIT, AuditRecord)
INSERT_AUDIT = insert(AUDIT).returning(AUDIT.c.id)


class AuditTrail(Repository):
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
        audit_id = await self._tx.run(sql.scalar, INSERT_AUDIT, values)
        return AuditRecord(id=audit_id, **values)
