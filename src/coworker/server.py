"""The ASGI app factory: what `coworker serve` runs.

It mounts the embedded sandbox CRM at /sandbox unless a real Dialsheet is configured, and
says at start-up which parts are real and which are embedded.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from coworker import __version__
from coworker.config import Settings
from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.database import sandbox_database_url
from coworker.sandbox.faults import FaultPlan

log = logging.getLogger("coworker.server")

SANDBOX_MOUNT = "/sandbox"


def describe_parts(settings: Settings) -> dict[str, str]:
    """Which parts are real and which embedded, for the start-up log and /healthz."""
    return {
        "crm": settings.dialsheet_base_url or f"embedded sandbox at {SANDBOX_MOUNT}",
        "database": "configured DATABASE_URL" if settings.database_url else "embedded SQLite",
        "model": "Claude (ANTHROPIC_API_KEY)" if settings.anthropic_api_key else "offline model",
    }


def create_app(settings: Settings, *, sandbox: FastAPI | None = None) -> FastAPI:
    if sandbox is None and settings.uses_embedded_sandbox:
        sandbox = create_sandbox_app(
            database_url=sandbox_database_url(settings), faults=FaultPlan.from_settings(settings)
        )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        for part, what in describe_parts(settings).items():
            log.info("%s: %s", part, what)
        if sandbox is not None:
            await sandbox.state.database.ensure_ready()
        yield
        if sandbox is not None:
            await sandbox.state.database.dispose()

    app = FastAPI(title="Dialsheet Coworker", version=__version__, lifespan=lifespan)
    if sandbox is not None:
        app.mount(SANDBOX_MOUNT, sandbox)

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "parts": describe_parts(settings)}

    @app.get("/")
    async def index() -> dict[str, Any]:
        return {
            "service": "Dialsheet Coworker",
            "parts": describe_parts(settings),
            "sandbox_api": f"{SANDBOX_MOUNT}/api/v1" if sandbox is not None else None,
        }

    return app
