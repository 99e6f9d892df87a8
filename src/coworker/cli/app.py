"""The typer app, its command groups, and the one way a command opens the runtime.

Commands are thin: they parse options, open the runtime through `run_as_local_user`, call
the service and print. Each group lives in a module of its own (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, NoReturn

import typer

from coworker.config import get_settings

if TYPE_CHECKING:
    from coworker.runtime import Runtime
    from coworker.store.records import UserRecord

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
feedback_app = typer.Typer(
    help="Feedback on replies: export it for review and eval cases.", no_args_is_help=True
)
app.add_typer(feedback_app, name="feedback")

Work = Callable[["Runtime", "UserRecord"], Awaitable[int]]


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines, or text at a terminal (COWORKER_LOG_FORMAT); no content by default."""
    from coworker.observability.logs import configure

    configure(get_settings(), level=level)


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def run_as_local_user(work: Work) -> None:
    """Open the runtime (store, CRM, model), run `work` as the local user, close everything;
    a CoworkerError becomes `error: ...` and exit 1, a non-zero result the exit code."""
    from coworker.errors import CoworkerError
    from coworker.observability.context import bind
    from coworker.runtime import open_runtime

    configure_logging(logging.WARNING)

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
        fail(error.message)
    if code:
        raise typer.Exit(code)


async def find_person(runtime: Runtime, local: UserRecord, user: str | None) -> UserRecord:
    """'local' (or nothing) is the local user; else a stored person by id or external id."""
    if user in (None, "local"):
        return local
    assert user is not None
    found = await runtime.find_person(user)
    if found is None:
        fail(f"no such user: {user}")
    return found
