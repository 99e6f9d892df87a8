"""Opportunities (deals)."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from coworker.sandbox import serialize
from coworker.sandbox.api import api_call, not_found
from coworker.sandbox.clock import utcnow
from coworker.sandbox.tables import Opportunity

router = APIRouter()


@router.get("/opportunities")
async def list_opportunities(request: Request) -> JSONResponse:
    async with api_call(request, "list_opportunities") as call:
        statement = select(Opportunity).where(Opportunity.org_id == call.org_id)
        if stage := call.params.get("stage"):
            statement = statement.where(Opportunity.stage == stage)
        if lead_id := call.params.get("lead_id"):
            statement = statement.where(Opportunity.lead_id == lead_id)
        ordered = statement.order_by(Opportunity.updated_at.desc(), Opportunity.id)
        rows, total = await call.page(ordered)
        return call.respond({"opportunities": [serialize.record(r) for r in rows], "total": total})


@router.post("/opportunities")
async def create_opportunity(request: Request) -> JSONResponse:
    async with api_call(request, "create_opportunity") as call:
        body = call.body
        lead = await call.lead(body["lead_id"])
        now = utcnow()
        close = body.get("expected_close_date")
        deal = Opportunity(
            id=str(uuid.uuid4()),
            org_id=call.org_id,
            lead_id=lead.id,
            owner_id=call.user.id,
            name=body.get("name") or f"{lead.company or lead.name} deal",
            value=float(body.get("value", 0)),
            currency=body.get("currency", "USD"),
            stage=body.get("stage", "prospecting"),
            expected_close_date=date.fromisoformat(close) if close else None,
            created_at=now,
            updated_at=now,
        )
        call.session.add(deal)
        await call.session.commit()
        return call.wrap(serialize.record(deal))


@router.put("/opportunities/{id}")
async def update_opportunity(request: Request) -> JSONResponse:
    async with api_call(request, "update_opportunity") as call:
        deal = await call.session.get(Opportunity, call.params["id"])
        if deal is None or deal.org_id != call.org_id:
            raise not_found("Opportunity")
        body = dict(call.body)
        if "expected_close_date" in body:
            close = body["expected_close_date"]
            body["expected_close_date"] = date.fromisoformat(close) if close else None
        if "value" in body:
            body["value"] = float(body["value"])
        for field, value in body.items():
            setattr(deal, field, value)
        deal.updated_at = utcnow()
        await call.session.commit()
        return call.wrap(serialize.record(deal))
