"""`coworker chat` and `coworker mcp`: talking to the coworker as the local user."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from coworker.cli.app import app, run_as_local_user
from coworker.config import get_settings

if TYPE_CHECKING:
    from coworker.runtime import Runtime
    from coworker.store.records import UserRecord


@app.command()
def chat(
    message: str | None = typer.Option(None, "-m", "--message", help="Send one message and exit."),
    conversation: str | None = typer.Option(
        None, "--conversation", help="Continue this conversation."
    ),
    as_json: bool = typer.Option(False, "--json", help="With -m: print one JSON object."),
) -> None:
    """Chat with the coworker in the terminal (streamed replies, approval cards)."""
    from coworker.channels import cli_chat
    from coworker.channels.cli_interrupt import PromptConsole

    console = PromptConsole()

    async def work(runtime: Runtime, user: UserRecord) -> int:
        coworker = runtime.coworker
        conversation_id = conversation or await coworker.start_conversation(user, channel="cli")
        if message is None:
            parts = runtime.describe()
            banner = (
                f"CRM: {parts['crm']} · model: {parts['model']} · store: {parts['database']}\n"
                "Sends, enrollments and deletes wait for your approval. Ctrl-C stops what is "
                "under way; press it twice, or type 'exit', to leave."
            )
            editor = get_settings().editor
            await cli_chat.interactive(
                coworker, user, conversation_id, console, banner, editor=editor
            )
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

    run_as_local_user(work)


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

    run_as_local_user(work)
