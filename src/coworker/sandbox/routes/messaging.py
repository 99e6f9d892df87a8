"""Mailboxes, emails and SMS. Sends land in an outbox that the list endpoints show."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from coworker.guards.mail import header_injection
from coworker.sandbox import serialize
from coworker.sandbox.api import ApiError, api_call, not_found
from coworker.sandbox.clock import utcnow
from coworker.sandbox.tables import Email, EmailAccount, Sms

router = APIRouter()


@router.get("/email-accounts")
async def list_email_accounts(request: Request) -> JSONResponse:
    async with api_call(request, "list_email_accounts") as call:
        rows = (
            await call.session.scalars(
                select(EmailAccount)
                .where(EmailAccount.user_id == call.user.id)
                .order_by(EmailAccount.is_default.desc(), EmailAccount.email)
            )
        ).all()
        return call.respond(
            {"email_accounts": [serialize.record(r) for r in rows], "total": len(rows)}
        )


async def _outbox(
    request: Request, operation: str, kind: type[Email] | type[Sms], key: str
) -> JSONResponse:
    """One page of what the person sent, newest first; `lead_id` narrows it to one lead."""
    async with api_call(request, operation) as call:
        statement = select(kind).where(kind.user_id == call.user.id)
        if lead_id := call.params.get("lead_id"):
            statement = statement.where(kind.lead_id == lead_id)
        rows, total = await call.page(statement.order_by(kind.sent_at.desc(), kind.id))
        return call.respond({key: [serialize.record(r) for r in rows], "total": total})


@router.get("/emails")
async def list_emails(request: Request) -> JSONResponse:
    return await _outbox(request, "list_emails", Email, "emails")


@router.post("/emails")
async def send_email(request: Request) -> JSONResponse:
    async with api_call(request, "send_email") as call:
        injected = header_injection(call.body)  # CR/LF would add headers of its own
        if injected:
            raise ApiError(400, f"invalid request: {injected}")
        account = await call.session.get(EmailAccount, call.body["email_account_id"])
        if account is None or account.user_id != call.user.id:
            raise not_found("Email account")
        lead_id = call.body.get("lead_id")
        if lead_id is not None:
            await call.lead(lead_id)
        email = Email(
            id=str(uuid.uuid4()),
            org_id=call.org_id,
            user_id=call.user.id,
            email_account_id=account.id,
            from_email=account.email,
            to_email=call.body["to_email"],
            subject=call.body["subject"],
            body_text=call.body["body_text"],
            lead_id=lead_id,
            status="sent",
            sent_at=utcnow(),
        )
        call.session.add(email)
        await call.session.commit()
        return call.wrap(serialize.record(email))


@router.get("/sms")
async def list_sms(request: Request) -> JSONResponse:
    return await _outbox(request, "list_sms", Sms, "sms")


@router.post("/sms")
async def send_sms(request: Request) -> JSONResponse:
    async with api_call(request, "send_sms") as call:
        lead = await call.lead(call.body["lead_id"])
        if not lead.phone:
            raise ApiError(400, f"Lead '{lead.name}' has no phone number")
        sms = Sms(
            id=str(uuid.uuid4()),
            org_id=call.org_id,
            user_id=call.user.id,
            lead_id=lead.id,
            to_phone=lead.phone,
            message=call.body["message"],
            status="sent",
            sent_at=utcnow(),
        )
        call.session.add(sms)
        await call.session.commit()
        return call.wrap(serialize.record(sms))
