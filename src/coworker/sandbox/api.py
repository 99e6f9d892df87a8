"""What every sandbox route shares: authentication, contract validation, errors, paging.

A route opens `api_call(request, operation_id)` and gets the caller, the validated
parameters and body, and a database session; the contract decides what is valid, so the
sandbox answers exactly as `openapi.yaml` says.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coworker.dialsheet.contract import Operation, RequestInvalid, load_contract
from coworker.guards import jsontext
from coworker.sandbox.database import SandboxDatabase
from coworker.sandbox.tables import Lead, User

T = TypeVar("T")


class ApiError(Exception):
    """An error answer in the API's shape: `{"error": message}` with `status`."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} not found")


@dataclass
class ApiCall:
    operation: Operation
    user: User
    params: dict[str, Any]
    body: dict[str, Any]
    session: AsyncSession

    @property
    def org_id(self) -> str:
        return self.user.org_id

    def respond(self, payload: dict[str, Any]) -> JSONResponse:
        return JSONResponse(payload, status_code=self.operation.success_status)

    def wrap(self, item: dict[str, Any]) -> JSONResponse:
        """A single object in its envelope, keyed as the contract says (`{"lead": {...}}`)."""
        assert self.operation.response_key is not None
        return self.respond({self.operation.response_key: item})

    async def page(self, statement: Select[T]) -> tuple[Sequence[T], int]:
        """One page of `statement` by the `page`/`limit` parameters, and the total.

        The total rides along as a window count on each row, so a page is one query; only
        a page past the end needs a separate count.
        """
        limit = int(self.params.get("limit", 25))
        page = int(self.params.get("page", 1))
        counted = statement.add_columns(func.count().over()).limit(limit).offset((page - 1) * limit)
        rows = (await self.session.execute(counted)).all()
        if rows:
            return [row[0] for row in rows], int(rows[0][-1])
        if page == 1:
            return [], 0
        total = await self.session.scalar(select(func.count()).select_from(statement.subquery()))
        return [], int(total or 0)

    async def lead(self, lead_id: str) -> Lead:
        """A lead of the caller's organisation; any other lead does not exist for them."""
        lead = await self.session.get(Lead, lead_id)
        if lead is None or lead.org_id != self.org_id:
            raise not_found("Lead")
        return lead


def _bearer_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return key.strip()


async def _read_body(request: Request, operation: Operation) -> Any:
    if operation.body_schema is None:
        return None
    raw = await request.body()
    if not raw.strip():
        raise ApiError(400, "request body is required (JSON object)")
    try:
        return jsontext.loads(raw)  # never RecursionError: too deep is bad JSON here
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"request body is not valid JSON: {exc}") from exc


@asynccontextmanager
async def api_call(request: Request, operation_id: str) -> AsyncIterator[ApiCall]:
    contract = load_contract()
    operation = contract.operations[operation_id]
    database: SandboxDatabase = request.app.state.database
    async with database.session() as session:
        key = _bearer_key(request)
        user = await database.user_for_key(session, key) if key else None
        if user is None:
            raise ApiError(401, "Unauthorized")
        raw_params = {**request.query_params, **request.path_params}
        try:
            params = contract.validate_params(operation, raw_params)
            body = contract.validate_body(operation, await _read_body(request, operation))
        except RequestInvalid as exc:
            raise ApiError(400, str(exc)) from exc
        yield ApiCall(operation, user, params, body, session)
