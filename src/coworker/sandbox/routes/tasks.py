"""Tasks: personal to their owner, so another person's task does not exist for the caller."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from coworker.dialsheet.contract import parse_datetime
from coworker.sandbox import serialize
from coworker.sandbox.api import ApiCall, api_call, not_found
from coworker.sandbox.clock import utcnow
from coworker.sandbox.tables import Task

router = APIRouter()


async def _own_task(call: ApiCall) -> Task:
    task = await call.session.get(Task, call.params["id"])
    if task is None or task.owner_id != call.user.id:
        raise not_found("Task")
    return task


@router.get("/tasks")
async def list_tasks(request: Request) -> JSONResponse:
    async with api_call(request, "list_tasks") as call:
        statement = select(Task).where(Task.owner_id == call.user.id)
        if lead_id := call.params.get("lead_id"):
            statement = statement.where(Task.lead_id == lead_id)
        if "completed" in call.params:
            statement = statement.where(Task.completed.is_(call.params["completed"]))
        ordered = statement.order_by(Task.due_date.is_(None), Task.due_date, Task.id)
        rows, total = await call.page(ordered)
        return call.respond({"tasks": [serialize.record(r) for r in rows], "total": total})


@router.post("/tasks")
async def create_task(request: Request) -> JSONResponse:
    async with api_call(request, "create_task") as call:
        body = call.body
        if body.get("lead_id") is not None:
            await call.lead(body["lead_id"])
        now = utcnow()
        task = Task(
            id=str(uuid.uuid4()),
            org_id=call.org_id,
            owner_id=call.user.id,
            title=body["title"],
            description=body.get("description"),
            lead_id=body.get("lead_id"),
            due_date=parse_datetime(body["due_date"]) if body.get("due_date") else None,
            priority=body.get("priority", "medium"),
            completed=False,
            created_at=now,
            updated_at=now,
        )
        call.session.add(task)
        await call.session.commit()
        return call.wrap(serialize.record(task))


@router.put("/tasks/{id}")
async def update_task(request: Request) -> JSONResponse:
    async with api_call(request, "update_task") as call:
        task = await _own_task(call)
        body = dict(call.body)
        if body.get("lead_id") is not None:
            await call.lead(body["lead_id"])
        if "due_date" in body:
            body["due_date"] = parse_datetime(body["due_date"]) if body["due_date"] else None
        if "completed" in body and body["completed"] != task.completed:
            task.completed_at = utcnow() if body["completed"] else None
        for field, value in body.items():
            setattr(task, field, value)
        task.updated_at = utcnow()
        await call.session.commit()
        return call.wrap(serialize.record(task))


@router.delete("/tasks/{id}")
async def delete_task(request: Request) -> JSONResponse:
    async with api_call(request, "delete_task") as call:
        task = await _own_task(call)
        await call.session.delete(task)
        await call.session.commit()
        return call.respond({"deleted": True, "id": task.id})
