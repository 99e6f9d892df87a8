"""Rows to the JSON shapes of the contract."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from coworker.sandbox import tables as t


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def lead(row: t.Lead) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "email": row.email,
        "phone": row.phone,
        "company": row.company,
        "title": row.title,
        "status": row.status,
        "source": row.source,
        "tags": list(row.tags or []),
        "owner_id": row.owner_id,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }


def email_account(row: t.EmailAccount) -> dict[str, Any]:
    return {
        "id": row.id,
        "email": row.email,
        "display_name": row.display_name,
        "provider": row.provider,
        "is_default": row.is_default,
    }


def email(row: t.Email) -> dict[str, Any]:
    return {
        "id": row.id,
        "email_account_id": row.email_account_id,
        "from_email": row.from_email,
        "to_email": row.to_email,
        "subject": row.subject,
        "body_text": row.body_text,
        "lead_id": row.lead_id,
        "status": row.status,
        "sent_at": iso(row.sent_at),
    }


def sms(row: t.Sms) -> dict[str, Any]:
    return {
        "id": row.id,
        "lead_id": row.lead_id,
        "to_phone": row.to_phone,
        "message": row.message,
        "status": row.status,
        "sent_at": iso(row.sent_at),
    }


def task(row: t.Task) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "description": row.description,
        "lead_id": row.lead_id,
        "due_date": iso(row.due_date),
        "priority": row.priority,
        "completed": row.completed,
        "completed_at": iso(row.completed_at),
        "owner_id": row.owner_id,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }


def note(row: t.Note) -> dict[str, Any]:
    return {
        "id": row.id,
        "lead_id": row.lead_id,
        "content": row.content,
        "outcome": row.outcome,
        "author_id": row.author_id,
        "created_at": iso(row.created_at),
    }


def call(row: t.Call) -> dict[str, Any]:
    return {
        "id": row.id,
        "lead_id": row.lead_id,
        "user_id": row.user_id,
        "direction": row.direction,
        "duration_seconds": row.duration_seconds,
        "outcome": row.outcome,
        "started_at": iso(row.started_at),
        "summary": row.summary,
    }


def opportunity(row: t.Opportunity) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "lead_id": row.lead_id,
        "value": row.value,
        "currency": row.currency,
        "stage": row.stage,
        "expected_close_date": iso_date(row.expected_close_date),
        "owner_id": row.owner_id,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }


def tag(row: t.Tag) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "color": row.color, "created_at": iso(row.created_at)}


def sequence(row: t.Sequence) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "status": row.status,
        "step_count": row.step_count,
        "created_at": iso(row.created_at),
    }


def enrollment(row: t.Enrollment) -> dict[str, Any]:
    return {
        "id": row.id,
        "sequence_id": row.sequence_id,
        "lead_id": row.lead_id,
        "status": row.status,
        "enrolled_at": iso(row.enrolled_at),
    }
