"""The `coworker` command: serve, the sandbox CRM, and (as they land) chat, db and summary."""

from __future__ import annotations

import asyncio
import logging

import typer
import uvicorn

from coworker.config import Settings, get_settings

app = typer.Typer(
    help="Dialsheet Coworker: an AI coworker for the Dialsheet CRM.", no_args_is_help=True
)
sandbox_app = typer.Typer(
    help="The local Dialsheet-compatible sandbox CRM.", invoke_without_command=True
)
app.add_typer(sandbox_app, name="sandbox")


def _configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


async def _serve_all(servers: list[uvicorn.Server]) -> None:
    await asyncio.gather(*(server.serve() for server in servers))


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Interface to listen on (default 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port for the coworker (default 8000)."),
) -> None:
    """Run the coworker. With nothing configured: embedded sandbox CRM, SQLite, offline model."""
    from coworker.sandbox.app import create_sandbox_app
    from coworker.sandbox.faults import FaultPlan
    from coworker.server import create_app

    _configure_logging()
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    sandbox = None
    if settings.uses_embedded_sandbox:
        sandbox = create_sandbox_app(
            database_url=settings.sandbox_database_url, faults=FaultPlan.from_settings(settings)
        )
    servers = [
        uvicorn.Server(uvicorn.Config(create_app(settings, sandbox=sandbox), host=host, port=port))
    ]
    log = logging.getLogger("coworker.cli")
    log.info("coworker: http://%s:%d", host, port)
    if sandbox is not None and settings.sandbox_port:
        # The same sandbox, also on its own port, as a separate CRM would be.
        servers.append(
            uvicorn.Server(
                uvicorn.Config(sandbox, host=host, port=settings.sandbox_port, lifespan="off")
            )
        )
        log.info(
            "sandbox CRM: http://%s:%d/api/v1 (keys: `coworker sandbox keys`)",
            host,
            settings.sandbox_port,
        )
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

    _configure_logging()
    settings: Settings = get_settings()
    crm = create_sandbox_app(
        database_url=settings.sandbox_database_url, faults=FaultPlan.from_settings(settings)
    )
    logging.getLogger("coworker.cli").info(
        "sandbox CRM: http://%s:%d/api/v1 (keys: `coworker sandbox keys`)", host, port
    )
    uvicorn.run(crm, host=host, port=port)


@sandbox_app.command("keys")
def sandbox_keys() -> None:
    """Print one `NAME KEY` line per demo user of the sandbox."""
    from coworker.sandbox.seed import describe_demo_users

    typer.echo(describe_demo_users())


def main() -> None:
    app()
