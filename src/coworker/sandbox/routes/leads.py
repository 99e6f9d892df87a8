"""Leads: search, create, read with recent activity, update, delete."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import delete, func, or_, select, update

from coworker.sandbox import serialize
from coworker.sandbox.api import api_call
from coworker.sandbox.clock import utcnow
from coworker.sandbox.tables import Call, Email, Enrollment, Lead, Note, Opportunity, Task

router = APIRouter()
RECENT = 5


@router.get("/leads")
async def search_leads(request: Request) -> JSONResponse:
    async with api_call(request, "search_leads") as call:
        statement = select(Lead).where(Lead.org_id == call.org_id)
        if text := call.params.get("search"):
            needle = text.lower()
            statement = statement.where(
                or_(
                    *(
                        func.lower(column).contains(needle, autoescape=True)
                        for column in (Lead.name, Lead.email, Lead.company, Lead.phone)
                    )
                )
            )
        if status := call.params.get("status"):
            statement = statement.where(Lead.status == status)
        rows, total = await call.page(statement.order_by(Lead.created_at.desc(), Lead.id))
        return call.respond({"leads": [serialize.record(r) for r in rows], "total": total})


@router.post("/leads")
async def create_lead(request: Request) -> JSONResponse:
    async with api_call(request, "create_lead") as call:
        now = utcnow()
        lead = Lead(
            id=str(uuid.uuid4()),
            org_id=call.org_id,
            owner_id=call.user.id,
            status="new",
            tags=[],
            created_at=now,
            updated_at=now,
        )
        for field, value in call.body.items():
            setattr(lead, field, value)
        call.session.add(lead)
        await call.session.commit()
        return call.wrap(serialize.record(lead))


@router.get("/leads/{id}")
async def get_lead(request: Request) -> JSONResponse:
    async with api_call(request, "get_lead") as call:
        lead = await call.lead(call.params["id"])
        session = call.session
        notes = await session.scalars(
            select(Note)
            .where(Note.lead_id == lead.id)
            .order_by(Note.created_at.desc())
            .limit(RECENT)
        )
        tasks = await session.scalars(
            select(Task)
            .where(Task.lead_id == lead.id, Task.completed.is_(False))
            .order_by(Task.due_date.is_(None), Task.due_date, Task.id)
            .limit(RECENT)
        )
        calls = await session.scalars(
            select(Call)
            .where(Call.lead_id == lead.id)
            .order_by(Call.started_at.desc())
            .limit(RECENT)
        )
        deals = await session.scalars(
            select(Opportunity)
            .where(Opportunity.lead_id == lead.id)
            .order_by(Opportunity.updated_at.desc())
            .limit(RECENT)
        )
        detail = serialize.record(lead) | {
            "recent_notes": [serialize.record(n) for n in notes],
            "open_tasks": [serialize.record(t) for t in tasks],
            "recent_calls": [serialize.record(c) for c in calls],
            "opportunities": [serialize.record(o) for o in deals],
        }
        return call.wrap(detail)


@router.put("/leads/{id}")
async def update_lead(request: Request) -> JSONResponse:
    async with api_call(request, "update_lead") as call:
        lead = await call.lead(call.params["id"])
        for field, value in call.body.items():
            setattr(lead, field, value)
        lead.updated_at = utcnow()
        await call.session.commit()
        return call.wrap(serialize.record(lead))


@router.delete("/leads/{id}")
async def delete_lead(request: Request) -> JSONResponse:
    """Deletes the lead and what hangs off it; sent emails stay in history, unlinked."""
    async with api_call(request, "delete_lead") as call:
        lead = await call.lead(call.params["id"])
        session = call.session
        for table in (Note, Task, Call, Opportunity, Enrollment):
            await session.execute(delete(table).where(table.lead_id == lead.id))
        await session.execute(update(Email).where(Email.lead_id == lead.id).values(lead_id=None))
        await session.delete(lead)
        await session.commit()
        return call.respond({"deleted": True, "id": lead.id})
