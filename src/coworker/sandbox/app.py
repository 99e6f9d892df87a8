"""The sandbox CRM as an ASGI app: `coworker sandbox`, or mounted at /sandbox by `coworker serve`.

Every error leaves in the API's shape, `{"error": "..."}`, whatever raised it, because the
contract (and every client of the real Dialsheet) expects nothing else.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coworker.config import MAX_BODY_BYTES
from coworker.dialsheet.contract import load_contract
from coworker.guards.body import BodyLimitMiddleware
from coworker.guards.errors import refusal_for
from coworker.sandbox.api import ApiError
from coworker.sandbox.database import SandboxDatabase
from coworker.sandbox.faults import FaultInjector, FaultPlan
from coworker.sandbox.routes import router

log = logging.getLogger("coworker.sandbox")


class FaultMiddleware:
    """Applies the injector's faults to API requests (never to /openapi.json or health)."""

    def __init__(self, app: ASGIApp, injector: FaultInjector) -> None:
        self.app = app
        self.injector = injector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan = self.injector.plan
        if (
            scope["type"] != "http"
            or "/api/v1" not in scope["path"]
            or not plan.applies_to(scope["method"])
        ):
            await self.app(scope, receive, send)
            return
        if plan.latency_ms:
            await asyncio.sleep(plan.latency_ms / 1000)
        fault = self.injector.next_fault()
        if fault == "error":
            response = _error(503, "Service temporarily unavailable (sandbox fault injection)")
            await response(scope, receive, send)
            return
        if fault == "rate_limit":
            response = _error(
                429,
                "Too many requests (sandbox fault injection)",
                {"Retry-After": str(plan.retry_after_seconds)},
            )
            await response(scope, receive, send)
            return
        if fault == "timeout":
            await self.app(scope, receive, _delayed(send, plan.timeout_seconds))
            return
        await self.app(scope, receive, send)


def _delayed(send: Send, seconds: float) -> Send:
    """Handle the request, then hang before answering: the answer arrives too late."""

    async def delayed_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            await asyncio.sleep(seconds)
        await send(message)

    return delayed_send


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _allowed_methods() -> list[tuple[re.Pattern[str], str]]:
    """Each contract path as a pattern, with every method it documents (for 405's Allow)."""
    by_path: dict[str, set[str]] = {}
    for op in load_contract().operations.values():
        by_path.setdefault(op.path, set()).add(op.method)
    return [
        (
            re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path)) + "$"),
            ", ".join(sorted(methods)),
        )
        for path, methods in by_path.items()
    ]


def _install_error_handlers(app: FastAPI) -> None:
    allowed = _allowed_methods()

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message, exc.headers)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 405:
            path = request.scope["path"][len(request.scope.get("root_path", "")) :]
            methods = next((m for pattern, m in allowed if pattern.match(path)), None)
            return _error(405, "Method not allowed", {"Allow": methods} if methods else None)
        message = "Not found" if exc.status_code == 404 else str(exc.detail)
        return _error(exc.status_code, message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(400, f"invalid request: {exc.errors()[0].get('msg', 'bad input')}")

    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        refusal = refusal_for(exc)  # bad input that broke a parser or encoder: a 4xx
        if refusal is not None:
            return _error(*refusal)
        log.exception("sandbox request failed")
        return _error(500, "Internal server error")

    # By class too: those are answered where routes' errors are, not re-raised as a 500's are.
    for kind in (RecursionError, UnicodeError, Exception):
        app.add_exception_handler(kind, unexpected)


def create_sandbox_app(
    *,
    database_url: str | None = None,
    faults: FaultPlan | None = None,
    seed_demo: bool = True,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> FastAPI:
    database = SandboxDatabase(database_url, seed_demo=seed_demo)
    injector = FaultInjector(faults)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await database.ensure_ready()
        yield
        await database.dispose()

    app = FastAPI(
        title="Dialsheet sandbox CRM",
        description="A local, Dialsheet-compatible CRM with demo data. Nothing leaves the machine.",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.database = database
    app.state.faults = injector
    app.include_router(router)
    _install_error_handlers(app)
    app.add_middleware(FaultMiddleware, injector=injector)
    # Outermost: a body too large, too deep or not storable is refused before anything else
    # (on its own port too; mounted at /sandbox, the coworker's app has checked it already).
    app.add_middleware(BodyLimitMiddleware, limits=max_body_bytes)

    contract_json = json.dumps(load_contract().document)

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi() -> Response:
        return Response(contract_json, media_type="application/json")

    @app.get("/", include_in_schema=False)
    async def index() -> dict[str, Any]:
        return {
            "service": "Dialsheet sandbox CRM",
            "api": "/api/v1",
            "contract": "/openapi.json",
            "keys": "run `coworker sandbox keys` for the demo users' API keys",
        }

    return app
