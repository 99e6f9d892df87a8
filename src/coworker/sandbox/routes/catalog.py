"""Tags, sequences and enrollment."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from coworker.sandbox import serialize
from coworker.sandbox.api import ApiError, api_call, not_found
from coworker.sandbox.clock import utcnow
from coworker.sandbox.tables import Enrollment, Sequence, Tag

router = APIRouter()


@router.get("/tags")
async def list_tags(request: Request) -> JSONResponse:
    async with api_call(request, "list_tags") as call:
        rows = (
            await call.session.scalars(
                select(Tag).where(Tag.org_id == call.org_id).order_by(Tag.name)
            )
        ).all()
        return call.respond({"tags": [serialize.record(r) for r in rows], "total": len(rows)})


@router.post("/tags")
async def create_tag(request: Request) -> JSONResponse:
    async with api_call(request, "create_tag") as call:
        name = call.body["name"]
        # Compared in Python: SQLite's lower() folds ASCII only ("Ý" stays "Ý"), so a
        # database-side comparison lets a case variant through to the unique index.
        names = await call.session.scalars(select(Tag.name).where(Tag.org_id == call.org_id))
        if any(existing.casefold() == name.casefold() for existing in names):
            raise ApiError(409, f"Tag '{name}' already exists")
        tag = Tag(
            id=str(uuid.uuid4()),
            org_id=call.org_id,
            name=name,
            color=call.body.get("color"),
            created_at=utcnow(),
        )
        call.session.add(tag)
        await call.session.commit()
        return call.wrap(serialize.record(tag))


@router.get("/sequences")
async def list_sequences(request: Request) -> JSONResponse:
    async with api_call(request, "list_sequences") as call:
        rows = (
            await call.session.scalars(
                select(Sequence)
                .where(Sequence.org_id == call.org_id)
                .order_by(Sequence.created_at, Sequence.id)
            )
        ).all()
        return call.respond({"sequences": [serialize.record(r) for r in rows], "total": len(rows)})


@router.post("/sequences/{id}/enroll")
async def enroll_in_sequence(request: Request) -> JSONResponse:
    async with api_call(request, "enroll_in_sequence") as call:
        sequence = await call.session.get(Sequence, call.params["id"])
        if sequence is None or sequence.org_id != call.org_id:
            raise not_found("Sequence")
        lead = await call.lead(call.body["lead_id"])
        if sequence.status != "active":
            raise ApiError(
                400,
                f"Sequence '{sequence.name}' is {sequence.status}; "
                "only active sequences take enrollments",
            )
        already = await call.session.scalar(
            select(Enrollment.id).where(
                Enrollment.sequence_id == sequence.id, Enrollment.lead_id == lead.id
            )
        )
        if already:
            raise ApiError(409, f"Lead '{lead.name}' is already enrolled in '{sequence.name}'")
        enrollment = Enrollment(
            id=str(uuid.uuid4()),
            sequence_id=sequence.id,
            lead_id=lead.id,
            status="active",
            enrolled_at=utcnow(),
        )
        call.session.add(enrollment)
        await call.session.commit()
        return call.wrap(serialize.record(enrollment))
