"""`coworker serve` and `coworker sandbox`: the long-running processes."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from typing import Any

import typer
import uvicorn

from coworker.cli.app import app, configure_logging, sandbox_app
from coworker.config import get_settings

log = logging.getLogger("coworker.cli")


def _loopback(host: str) -> bool:
    """Only this machine can connect: localhost, 127.0.0.0/8 or ::1."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


async def _serve_all(servers: list[uvicorn.Server]) -> None:
    await asyncio.gather(*(server.serve() for server in servers))


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Interface to listen on (default 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port for the coworker (default 8000)."),
) -> None:
    """Run the coworker. With nothing configured: embedded sandbox CRM, SQLite, offline model."""
    from coworker.crm import EmbeddedSandbox, backend_from_settings
    from coworker.server import create_app

    configure_logging()
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    backend = backend_from_settings(settings)  # the one CRM of the app and the sandbox port
    # Uvicorn's loggers go through ours (log_config=None); the app logs each request itself,
    # with its id and without the query string, so uvicorn's access log is off.
    quiet: dict[str, Any] = {"log_config": None, "access_log": False}
    app_config = uvicorn.Config(
        create_app(settings, backend=backend), host=host, port=port, **quiet
    )
    servers = [uvicorn.Server(app_config)]
    log.info("coworker: http://%s:%d", host, port)
    if settings.web_secret is None and not _loopback(host):
        log.warning(
            "NO COWORKER_WEB_SECRET while listening on %s: anyone who reaches this port is "
            "the local user on /api and /mcp (their CRM key, their approvals). Set "
            "COWORKER_WEB_SECRET, or listen on 127.0.0.1 only.",
            host,
        )
    if isinstance(backend, EmbeddedSandbox) and settings.sandbox_port:
        # The same sandbox, also on its own port, as a separate CRM would be.
        sandbox_config = uvicorn.Config(
            backend.app, host=host, port=settings.sandbox_port, lifespan="off", **quiet
        )
        servers.append(uvicorn.Server(sandbox_config))
        log.info(
            "sandbox CRM: http://%s:%d/api/v1 (keys: `coworker sandbox keys`)",
            host,
            settings.sandbox_port,
        )
    # The stdlib event loop, not uvloop: uvloop saved ~1.4 ms of CPU per streamed web turn,
    # but under a burst of Slack events it served the turns before the waiting requests
    # (`bench.slack_ack`: ack p99 270-370 ms against 38-78 ms here; Slack retries after 3 s).
    asyncio.run(_serve_all(servers))


@sandbox_app.callback()
def sandbox(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8100, help="Port to listen on."),
) -> None:
    """Run the sandbox CRM alone (demo data, fault injection from COWORKER_SANDBOX_* settings)."""
    if ctx.invoked_subcommand is not None:
        return
    from coworker.sandbox.app import create_sandbox_app
    from coworker.sandbox.faults import FaultPlan

    configure_logging()
    settings = get_settings()
    crm = create_sandbox_app(
        database_url=settings.sandbox_database_url,
        faults=FaultPlan.from_settings(settings),
        max_body_bytes=settings.sandbox_max_body_bytes,
    )
    log.info("sandbox CRM: http://%s:%d/api/v1 (keys: `coworker sandbox keys`)", host, port)
    uvicorn.run(crm, host=host, port=port)


@sandbox_app.command("keys")
def sandbox_keys() -> None:
    """Print one `NAME KEY` line per demo user of the sandbox."""
    from coworker.sandbox.seed import describe_demo_users

    typer.echo(describe_demo_users())
