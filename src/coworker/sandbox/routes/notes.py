"""Notes (written by people) and calls (recorded by the dialer, read-only)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from coworker.sandbox import serialize
from coworker.sandbox.api import api_call
from coworker.sandbox.clock import utcnow
from coworker.sandbox.tables import Call, Note

router = APIRouter()


@router.get("/notes")
async def list_notes(request: Request) -> JSONResponse:
    async with api_call(request, "list_notes") as call:
        statement = select(Note).where(Note.org_id == call.org_id)
        if lead_id := call.params.get("lead_id"):
            statement = statement.where(Note.lead_id == lead_id)
        rows, total = await call.page(statement.order_by(Note.created_at.desc(), Note.id))
        return call.respond({"notes": [serialize.record(r) for r in rows], "total": total})


@router.post("/notes")
async def create_note(request: Request) -> JSONResponse:
    async with api_call(request, "create_note") as call:
        lead = await call.lead(call.body["lead_id"])
        note = Note(
            id=str(uuid.uuid4()),
            org_id=call.org_id,
            lead_id=lead.id,
            author_id=call.user.id,
            content=call.body["content"],
            outcome=call.body.get("outcome"),
            created_at=utcnow(),
        )
        call.session.add(note)
        await call.session.commit()
        return call.wrap(serialize.record(note))


@router.get("/calls")
async def list_calls(request: Request) -> JSONResponse:
    async with api_call(request, "list_calls") as call:
        statement = select(Call).where(Call.org_id == call.org_id)
        if lead_id := call.params.get("lead_id"):
            statement = statement.where(Call.lead_id == lead_id)
        rows, total = await call.page(statement.order_by(Call.started_at.desc(), Call.id))
        return call.respond({"calls": [serialize.record(r) for r in rows], "total": total})
