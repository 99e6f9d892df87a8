"""`coworker token` and `coworker user ...`: who uses the coworker, and with which key."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from coworker.cli.app import app, fail, find_person, run_as_local_user, user_app
from coworker.config import get_settings

if TYPE_CHECKING:
    from coworker.runtime import Runtime
    from coworker.store.records import UserRecord


@app.command()
def token(
    user: str = typer.Option(..., "--user", help="The host application's id for the person."),
    hours: float = typer.Option(12.0, help="How long the token is valid."),
    audience: str | None = typer.Option(
        None,
        "--audience",
        help="'mcp': a token for an MCP client, accepted by /mcp; the web API lets it only "
        "read, so the client's model cannot approve its own sends with it.",
    ),
) -> None:
    """Mint a web token for USER with COWORKER_WEB_SECRET (what a host application does).

    A JWT (HS256; sub, exp, aud "coworker", or "mcp" with --audience mcp)."""
    from coworker.channels.web.identity import AUDIENCES, WEB_AUDIENCE, mint_token

    settings = get_settings()
    if settings.web_secret is None:
        fail("COWORKER_WEB_SECRET is not set; without it the web API needs no token")
    if audience is not None and audience not in AUDIENCES:
        fail(f"unknown audience {audience!r}; use one of: {', '.join(sorted(AUDIENCES))}")
    secret = settings.web_secret.get_secret_value()
    ttl = int(hours * 3600)
    typer.echo(mint_token(secret, user, ttl_seconds=ttl, audience=audience or WEB_AUDIENCE))


@user_app.command("set-key")
def user_set_key(
    user: str = typer.Argument(
        "local", help="'local', or the id a web token names (web users are web:<id>)."
    ),
) -> None:
    """Connect USER's Dialsheet API key: checked against the CRM, stored encrypted."""
    key = typer.prompt("Dialsheet API key (ds_...)", hide_input=True).strip()

    async def work(runtime: Runtime, local: UserRecord) -> int:
        person = local if user == "local" else await runtime.named_user(user)
        await runtime.connect_key(person, key)
        typer.echo(f"Connected a Dialsheet key for {user}; it is stored encrypted.")
        return 0

    run_as_local_user(work)


@user_app.command("settings")
def user_settings(
    user: str = typer.Option("local", "--user", help="'local', a user id or an external id."),
    timezone: str | None = typer.Option(None, help="IANA timezone, e.g. America/New_York."),
    time: str | None = typer.Option(None, help="Summary time, 24-hour HH:MM."),
    weekdays: str | None = typer.Option(None, help="Comma list from mon..sun."),
    channel: str | None = typer.Option(None, help="web, slack or both."),
    enabled: bool | None = typer.Option(None, "--on/--off", help="Daily summary on or off."),
) -> None:
    """Show, or change, USER's daily-summary settings."""
    from coworker.summary import preferences

    async def work(runtime: Runtime, local: UserRecord) -> int:
        person = await find_person(runtime, local, user)
        updated = await preferences.update_settings(
            runtime.store,
            person,
            enabled=enabled,
            time=time,
            weekdays=weekdays,
            timezone=timezone,
            channel=channel,
        )
        for name, value in preferences.SummarySettings.of(updated).as_dict().items():
            shown = ",".join(value) if isinstance(value, list) else value
            typer.echo(f"{name}: {shown}")
        return 0

    run_as_local_user(work)
