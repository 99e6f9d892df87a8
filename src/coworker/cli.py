"""The `coworker` command: serve, the sandbox CRM, and (as they land) chat, db and summary."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import uvicorn

from coworker.config import Settings, get_settings

if TYPE_CHECKING:
    from coworker.runtime import Runtime
    from coworker.store.queries import UserRecord

app = typer.Typer(
    help="Dialsheet Coworker: an AI coworker for the Dialsheet CRM.", no_args_is_help=True
)
sandbox_app = typer.Typer(
    help="The local Dialsheet-compatible sandbox CRM.", invoke_without_command=True
)
app.add_typer(sandbox_app, name="sandbox")
actions_app = typer.Typer(help="Actions waiting for (or past) your approval.", no_args_is_help=True)
app.add_typer(actions_app, name="actions")
db_app = typer.Typer(help="The coworker's own database.", no_args_is_help=True)
app.add_typer(db_app, name="db")
user_app = typer.Typer(help="People who use the coworker.", no_args_is_help=True)
app.add_typer(user_app, name="user")
summary_app = typer.Typer(
    help="Daily summaries: run them (cron) or preview one.", no_args_is_help=True
)
app.add_typer(summary_app, name="summary")


def _configure_logging(level: int = logging.INFO) -> None:
    """JSON lines, or text at a terminal (COWORKER_LOG_FORMAT); no content by default."""
    from coworker.observability.logs import configure

    configure(get_settings(), level=level)


def _loopback(host: str) -> bool:
    """Only this machine can connect: localhost, 127.0.0.0/8 or ::1."""
    import ipaddress

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
    from coworker.sandbox.app import create_sandbox_app
    from coworker.sandbox.database import sandbox_database_url
    from coworker.sandbox.faults import FaultPlan
    from coworker.server import create_app

    _configure_logging()
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    sandbox = None
    if settings.uses_embedded_sandbox:
        sandbox = create_sandbox_app(
            database_url=sandbox_database_url(settings),
            faults=FaultPlan.from_settings(settings),
            max_body_bytes=settings.sandbox_max_body_bytes,
        )
    # Uvicorn's loggers go through ours (log_config=None); the app logs each request itself,
    # with its id and without the query string, so uvicorn's access log is off.
    quiet: dict[str, Any] = {"log_config": None, "access_log": False}
    app = create_app(settings, sandbox=sandbox)
    app_config = uvicorn.Config(app, host=host, port=port, **quiet)
    servers = [uvicorn.Server(app_config)]
    log = logging.getLogger("coworker.cli")
    log.info("coworker: http://%s:%d", host, port)
    if settings.web_secret is None and not _loopback(host):
        log.warning(
            "NO COWORKER_WEB_SECRET while listening on %s: anyone who reaches this port is "
            "the local user on /api and /mcp (their CRM key, their approvals). Set "
            "COWORKER_WEB_SECRET, or listen on 127.0.0.1 only.",
            host,
        )
    if sandbox is not None and settings.sandbox_port:
        # The same sandbox, also on its own port, as a separate CRM would be.
        servers.append(
            uvicorn.Server(
                uvicorn.Config(
                    sandbox, host=host, port=settings.sandbox_port, lifespan="off", **quiet
                )
            )
        )
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

    _configure_logging()
    settings: Settings = get_settings()
    crm = create_sandbox_app(
        database_url=settings.sandbox_database_url,
        faults=FaultPlan.from_settings(settings),
        max_body_bytes=settings.sandbox_max_body_bytes,
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


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _run(work: Callable[[Runtime, UserRecord], Awaitable[int]]) -> None:
    """Open the runtime (store, CRM, model), run `work` as the local user, close everything."""
    from coworker.errors import CoworkerError
    from coworker.observability.context import bind
    from coworker.runtime import open_runtime

    _configure_logging(logging.WARNING)

    async def main() -> int:
        bind(channel_name="cli")  # in asyncio.run's own context: nothing leaks past the command
        runtime = await open_runtime(get_settings())
        try:
            return await work(runtime, await runtime.local_user())
        finally:
            await runtime.aclose()

    try:
        code = asyncio.run(main())
    except CoworkerError as error:
        _fail(error.message)
    if code:
        raise typer.Exit(code)


@app.command()
def chat(
    message: str | None = typer.Option(None, "-m", "--message", help="Send one message and exit."),
    conversation: str | None = typer.Option(
        None, "--conversation", help="Continue this conversation."
    ),
    as_json: bool = typer.Option(False, "--json", help="With -m: print one JSON object."),
) -> None:
    """Chat with the coworker in the terminal (streamed replies, approval cards)."""
    from rich.console import Console

    from coworker.channels import cli_chat

    console = Console()

    async def work(runtime: Runtime, user: UserRecord) -> int:
        coworker = runtime.coworker
        conversation_id = conversation or await coworker.start_conversation(user, channel="cli")
        if message is None:
            parts = runtime.describe()
            banner = (
                f"CRM: {parts['crm']} · model: {parts['model']} · store: {parts['database']}\n"
                "Sends, enrollments and deletes wait for your approval. Type 'exit' to leave."
            )
            await cli_chat.interactive(coworker, user, conversation_id, console, banner)
            return 0
        events = coworker.chat(user, message, conversation_id=conversation_id)
        result = await cli_chat.render(events, console, quiet=as_json)
        result.conversation_id = conversation_id
        if as_json:
            typer.echo(cli_chat.dumps(result.as_dict()))
        else:
            for action in result.actions:
                typer.echo(f"Waiting for approval: coworker actions approve {action.id}")
            typer.echo(f"(conversation {conversation_id})")
        return 1 if result.errors else 0

    _run(work)


@actions_app.command("list")
def actions_list(
    status: str | None = typer.Option(
        "pending", help="pending, succeeded, rejected, ... or 'all'."
    ),
    limit: int = typer.Option(
        50, "--limit", min=1, max=200, help="Actions per page, newest first (at most 200)."
    ),
    cursor: str | None = typer.Option(
        None, "--cursor", help="Where the previous page ended (its next cursor)."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List your actions (pending ones by default), a page at a time."""
    from rich.console import Console

    from coworker.agent.listing import page_actions
    from coworker.channels import cli_chat

    async def work(runtime: Runtime, user: UserRecord) -> int:
        page = await page_actions(runtime.coworker, user, status=status, limit=limit, cursor=cursor)
        actions = page.items
        if as_json:
            typer.echo(
                cli_chat.dumps(
                    {"actions": [a.as_dict() for a in actions], "next_cursor": page.next_cursor}
                )
            )
            return 0
        console = Console()
        if not actions:
            wanted = "" if status in (None, "all") else status
            console.print(f"No {wanted} actions.".replace("  ", " "))
        for action in actions:
            console.print(
                cli_chat.action_card(action)
                if action.status == "pending"
                else f"{action.id}  {action.tool}  {action.status}"
            )
        if page.next_cursor is not None:
            console.print(
                f"More: coworker actions list --status {status or 'all'} "
                f"--limit {limit} --cursor {page.next_cursor}",
                soft_wrap=True,
            )
        return 0

    _run(work)


def _decide(
    action_id: str, *, approve: bool, sets: list[str], reason: str | None, as_json: bool
) -> None:
    from rich.console import Console

    from coworker.channels import cli_chat
    from coworker.errors import ActionNotPending

    async def work(runtime: Runtime, user: UserRecord) -> int:
        coworker = runtime.coworker
        try:
            events = (
                coworker.approve(user, action_id, cli_chat.parse_sets(sets) or None)
                if approve
                else coworker.reject(user, action_id, reason)
            )
            result = await cli_chat.render(events, Console(), quiet=as_json)
        except ActionNotPending as error:
            _fail(error.message, 2)
        if as_json:
            typer.echo(cli_chat.dumps(result.as_dict()))
        failed = any(a.status in {"failed", "unknown", "stale"} for a in result.decided)
        return 1 if failed or result.errors else 0

    _run(work)


@actions_app.command("approve")
def actions_approve(
    action_id: str,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Edit a field first: subject=..., body=..., message=..."),
    ] = None,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Approve an action (optionally edited); prints the coworker's resumed reply."""
    _decide(action_id, approve=True, sets=set_ or [], reason=None, as_json=as_json)


@actions_app.command("reject")
def actions_reject(
    action_id: str,
    reason: str | None = typer.Option(None, "--reason", help="Why; the coworker reads it."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Reject (cancel) an action; nothing is executed."""
    _decide(action_id, approve=False, sets=[], reason=reason, as_json=as_json)


@actions_app.command("reconcile")
def actions_reconcile(action_id: str) -> None:
    """Check the CRM's history for a send whose outcome is unknown (never sends again).

    An action left `executing` by a process that died is first recovered to `unknown`, once
    its lease (COWORKER_EXECUTING_LEASE_SECONDS) is over."""

    async def work(runtime: Runtime, user: UserRecord) -> int:
        from coworker.agent.recovery import ActionRecovery

        recovery = ActionRecovery.from_runtime(runtime)
        action = await recovery.reconcile(user.id, (user.external_id,), action_id)
        typer.echo(f"{action.id}: {action.status}")
        return 0 if action.status == "succeeded" else 1

    _run(work)


@app.command("mcp")
def mcp_stdio() -> None:
    """Serve the tools over MCP on stdin/stdout (for desktop clients), as the local user.

    Sends, enrollments and deletes come back as pending actions: approve them with
    `coworker actions approve ID` or in the web chat. Logs go to stderr.
    """
    from coworker.channels.mcp.stdio import serve_stdio

    async def work(runtime: Runtime, user: UserRecord) -> int:
        await serve_stdio(runtime)
        return 0

    _run(work)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (start-up does this too)."""
    from coworker.store.engine import database_url
    from coworker.store.migrate import upgrade_sync

    url = database_url(get_settings())
    upgrade_sync(url)
    typer.echo("database is up to date")


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
    """Mint a web token for USER with COWORKER_WEB_SECRET (what a host application does)."""
    from coworker.channels.web.identity import AUDIENCES, mint_token

    settings = get_settings()
    if settings.web_secret is None:
        _fail("COWORKER_WEB_SECRET is not set; without it the web API needs no token")
    if audience is not None and audience not in AUDIENCES:
        _fail(f"unknown audience {audience!r}; use one of: {', '.join(sorted(AUDIENCES))}")
    secret = settings.web_secret.get_secret_value()
    typer.echo(mint_token(secret, user, ttl_seconds=int(hours * 3600), audience=audience))


@user_app.command("set-key")
def user_set_key(
    user: str = typer.Argument(
        "local", help="'local', or the id a web token names (web users are web:<id>)."
    ),
) -> None:
    """Connect USER's Dialsheet API key: checked against the CRM, stored encrypted."""
    key = typer.prompt("Dialsheet API key (ds_...)", hide_input=True).strip()

    async def work(runtime: Runtime, local: UserRecord) -> int:
        person = local
        if user != "local":
            external = user if ":" in user else f"web:{user}"
            person = await runtime.store.ensure_user(external, display_name=user.split(":")[-1])
        await runtime.connect_key(person, key)
        typer.echo(f"Connected a Dialsheet key for {user}; it is stored encrypted.")
        return 0

    _run(work)


async def _person(runtime: Runtime, local: UserRecord, user: str | None) -> UserRecord:
    """'local' (or nothing) is the local user; else a stored person by id or external id."""
    if user in (None, "local"):
        return local
    assert user is not None
    found = await runtime.store.get_user(user) or await runtime.store.find_user(user)
    if found is None and ":" not in user:
        found = await runtime.store.find_user(f"web:{user}")
    if found is None:
        _fail(f"no such user: {user}")
    return found


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
        person = await _person(runtime, local, user)
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

    _run(work)


@summary_app.command("run")
def summary_run(
    user: str | None = typer.Option(None, "--user", help="Only this person (id or external id)."),
    day: str | None = typer.Option(None, "--date", help="Local date YYYY-MM-DD (default today)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print instead of claiming/sending."),
) -> None:
    """Send daily summaries now, once per person and date (for cron).

    Without --user or --date: everyone whose summary time has come today. With them: those
    people for that date, whatever the time. Runs already delivered are never redone.
    """
    from datetime import date as Date

    from coworker.summary.runs import SummaryService
    from coworker.summary.schedule import Scheduler, due_date, local_now

    try:
        wanted = Date.fromisoformat(day) if day else None
    except ValueError:
        _fail(f"--date wants YYYY-MM-DD, not {day!r}")

    async def work(runtime: Runtime, local: UserRecord) -> int:
        service = SummaryService.from_runtime(runtime)
        now = service.clock()
        if user is None and wanted is None:
            everyone = await runtime.store.summary_users()
            people = [(p, d) for p in everyone if (d := due_date(p, now)) is not None]
        else:
            chosen = [await _person(runtime, local, user)] if user else None
            chosen = chosen or await runtime.store.summary_users()
            people = [(p, wanted or local_now(p, now).date()) for p in chosen]
        if dry_run:
            for person, when in people:
                summary = await service.compose(person, when)
                typer.echo(f"--- {person.display_name or person.external_id} ({when}) ---")
                typer.echo(summary.text)
            if not people:
                typer.echo("nobody is due now")
            return 0
        if user is None and wanted is None:
            results = await Scheduler(service).tick()
        else:
            results = [await service.run(person, when) for person, when in people]
        for result in results:
            typer.echo(
                f"{result.user_id} {result.local_date}: {result.outcome}"
                + (f" ({result.error})" if result.error else "")
            )
        if not results:
            typer.echo("nobody is due now")
        return 1 if any(r.outcome == "failed" for r in results) else 0

    _run(work)


@summary_app.command("preview")
def summary_preview(
    user: str = typer.Option("local", "--user", help="'local', a user id or an external id."),
) -> None:
    """Print USER's summary for today in the terminal (nothing is sent or recorded)."""
    from rich.console import Console
    from rich.markdown import Markdown

    from coworker.summary.runs import SummaryService

    async def work(runtime: Runtime, local: UserRecord) -> int:
        person = await _person(runtime, local, user)
        summary = await SummaryService.from_runtime(runtime).compose(person)
        Console().print(Markdown(summary.text))
        return 0

    _run(work)


@app.command("eval")
def eval_command(
    cases: Annotated[
        Path | None,
        typer.Option("--cases", help="A case file or directory (default: evals/cases)."),
    ] = None,
    tags: Annotated[
        list[str] | None, typer.Option("--tags", help="Only cases with any of these tags.")
    ] = None,
    model: str | None = typer.Option(
        None, "--model", help="'offline', or a Claude model id (default: Claude with a key)."
    ),
    trials: int = typer.Option(1, "--trials", help="Trials per case: pass^1 ... pass^k."),
    concurrency: int = typer.Option(4, "--concurrency", help="Trials run at once."),
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Write the report as JSON.")
    ] = None,
    markdown_path: Annotated[
        Path | None, typer.Option("--markdown", help="... and as Markdown.")
    ] = None,
    min_pass: float | None = typer.Option(
        None, "--min-pass", help="Exit 1 when pass^1 is below this fraction (0.8 = 80%)."
    ),
    record: Annotated[
        Path | None, typer.Option("--record", help="Keep a Claude run in a file.")
    ] = None,
    replay: Annotated[
        Path | None, typer.Option("--replay", help="Replay a kept run, offline.")
    ] = None,
) -> None:
    """Run the eval suite and report pass^k, safety and cost (exit 3 on a safety violation)."""
    from coworker.evals.command import EvalOptions
    from coworker.evals.command import main as run_evals

    options = EvalOptions(
        cases, tags, model, trials, concurrency, json_path, markdown_path, min_pass, record, replay
    )
    code = run_evals(options, get_settings())
    if code:
        raise typer.Exit(code)


def main() -> None:
    app()
