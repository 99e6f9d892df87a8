"""The ASGI app factory: what `coworker serve` runs.

It opens the runtime (store, CRM, model) for the app's lifetime, serves the web API, the
widget, the demo page, Prometheus `/metrics` and the MCP server at `/mcp`, and mounts the
embedded sandbox CRM at
/sandbox unless a real Dialsheet is configured. The start-up log says which parts are real
and which embedded.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.routing import Route

from coworker import __version__
from coworker.agent.recovery import ActionRecovery
from coworker.channels.mcp.http import PATH as MCP_PATH
from coworker.channels.mcp.http import McpHttpApp
from coworker.channels.web import errors
from coworker.channels.web.batches import router as batches_router
from coworker.channels.web.feedback import router as feedback_router
from coworker.channels.web.limits import RateLimiter, rate_limit_for
from coworker.channels.web.routes import router
from coworker.channels.web.widget_setup import router as widget_setup_router
from coworker.config import Settings
from coworker.crm import CrmBackend, EmbeddedSandbox, backend_from_settings
from coworker.guards.body import BodyLimitMiddleware, BodyLimits
from coworker.llm.base import Model
from coworker.observability import context
from coworker.observability.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from coworker.observability.metrics import Metrics
from coworker.observability.middleware import ObservabilityMiddleware
from coworker.runtime import Runtime, open_runtime
from coworker.summary.compose import summary_channels
from coworker.summary.runs import SummaryService
from coworker.summary.schedule import Scheduler
from coworker.web import static

if TYPE_CHECKING:
    from coworker.channels.slack.app import SlackChannel

log = logging.getLogger("coworker.server")

SANDBOX_MOUNT = "/sandbox"


async def _ready(runtime: Runtime) -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        async with runtime.store.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # readiness reports, it does not raise
        checks["database"] = f"unreachable: {type(error).__name__}"
    checks["crm"] = await runtime.backend.readiness()
    return checks


def create_app(
    settings: Settings, *, backend: CrmBackend | None = None, model: Model | None = None
) -> FastAPI:
    """The app over one CRM backend: `coworker serve` passes the one it also serves on the
    sandbox port; without one, it is built from `settings`."""
    crm = backend or backend_from_settings(settings)

    slack: SlackChannel | None = None
    if settings.slack_enabled:
        from coworker.channels.slack.app import SlackChannel

        slack = SlackChannel(settings)

    metrics = Metrics()  # this app's own registry: apps never share (or collide on) series
    mcp_http = McpHttpApp.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Work started from here (the scheduler, Socket Mode) is counted and logged as the
        # app's own; requests get the same from the middleware.
        context.metrics.set(metrics)
        context.log_content.set(settings.log_content)
        runtime = await open_runtime(settings, model=model, backend=crm)
        app.state.runtime = runtime
        # Counted in the database on PostgreSQL, so replicas share the limit; else in memory.
        app.state.rate_limiter = rate_limit_for(
            runtime.store.engine, settings.rate_limit_per_minute
        )
        if slack is not None:
            slack.runtime = runtime
            if slack.http_enabled:
                log.info("slack: events at POST /slack/events")
            await slack.start_socket_mode()
        for part, what in runtime.describe().items():
            log.info("%s: %s", part, what)
        if settings.web_secret is None:
            log.info("web: no COWORKER_WEB_SECRET, so every request is the local user")
        elif not settings.web_secret_is_strong:
            log.warning(
                "web: COWORKER_WEB_SECRET is shorter than 32 bytes; one token is enough to "
                "guess it offline (production refuses it)"
            )
        scheduler: asyncio.Task[None] | None = None
        if settings.scheduler_enabled:
            scheduler = asyncio.create_task(
                Scheduler(
                    SummaryService.from_runtime(
                        runtime, channels=summary_channels(settings, runtime.coworker)
                    )
                ).run_forever(),
                name="daily-summary-scheduler",
            )
            log.info("daily summaries: scheduler on (COWORKER_SCHEDULER=0 turns it off)")
        # Actions left `executing` by a process that died: at start-up, then periodically.
        recovery = asyncio.create_task(
            ActionRecovery.from_runtime(runtime).run_forever(), name="action-recovery"
        )
        try:
            # The MCP SDK's session manager runs inside the app's lifespan, on the runtime.
            async with mcp_http.serving(runtime):
                yield
        finally:
            recovery.cancel()
            with suppress(asyncio.CancelledError):
                await recovery
            if scheduler is not None:
                scheduler.cancel()
                with suppress(asyncio.CancelledError):
                    await scheduler
            if slack is not None:
                await slack.aclose()
            await runtime.aclose()

    app = FastAPI(
        title="Dialsheet Coworker",
        version=__version__,
        description="Chat with the coworker, and approve or cancel what it wants to send.",
        lifespan=lifespan,
    )
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute)
    errors.install(app)
    # Innermost of the middlewares (added first), so its 413/400/422 answers are logged,
    # counted and CORS-headed like any other; still before routing, auth and parsing.
    app.add_middleware(BodyLimitMiddleware, limits=BodyLimits.from_settings(settings))
    origins = [o.strip() for o in settings.allowed_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PUT"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
            expose_headers=["Retry-After", "x-vercel-ai-ui-message-stream", "X-Request-ID"],
        )
    # Outermost, so every answer (CORS ones too) carries its request id.
    app.add_middleware(ObservabilityMiddleware, metrics=metrics, log_content=settings.log_content)
    app.include_router(batches_router)  # before /actions/{action_id}/...
    app.include_router(router)
    app.include_router(feedback_router)
    app.include_router(widget_setup_router)
    # A Route, not a Mount: clients POST to /mcp itself, which a Mount would redirect.
    app.router.routes.append(Route(MCP_PATH, mcp_http, include_in_schema=False))
    if slack is not None and slack.http_enabled:
        slack_handler = slack.handler

        @app.post("/slack/events", include_in_schema=False)
        async def slack_events(request: Request) -> Response:
            return await slack_handler.handle(request)

    if isinstance(crm, EmbeddedSandbox):
        app.mount(SANDBOX_MOUNT, crm.app)

    @app.get("/healthz", tags=["ops"], summary="Liveness")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "version": __version__}

    @app.get("/readyz", tags=["ops"], summary="Database and CRM reachable")
    async def readyz(request: Request) -> JSONResponse:
        checks = await _ready(request.app.state.runtime)
        ready = all(value.startswith("ok") for value in checks.values())
        return JSONResponse({"ready": ready, **checks}, status_code=200 if ready else 503)

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics(request: Request) -> Response:
        # Unauthenticated, like /healthz: it holds counts and latencies, never content or
        # user ids. Where the port is public, keep /metrics off the internet at the proxy.
        await metrics.refresh(request.app.state.runtime.store)
        return Response(metrics.exposition(), media_type=METRICS_CONTENT_TYPE)

    app.include_router(static.router)  # the widget and the demo page

    return app
