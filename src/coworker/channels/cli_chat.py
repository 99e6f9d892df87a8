"""The terminal channel: `coworker chat` and `coworker actions`.

It renders the service's events with rich (streamed text, tool activity, confirmation cards)
and turns keystrokes into approve / edit / reject, with the same rules as every channel.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.prompt import Prompt
from rich.table import Table
from rich.text import Text

from coworker.agent.events import (
    ActionDecided,
    ActionView,
    ConfirmationRequired,
    ErrorEvent,
    Event,
    RunSummary,
    TextDelta,
    ToolFinished,
    ToolStarted,
)
from coworker.agent.service import Coworker
from coworker.errors import CoworkerError
from coworker.store.records import UserRecord


def action_card(action: ActionView) -> Panel:
    """The exact payload a person approves, as the server's card reads (recipient, subject,
    body, or what gets deleted), and how it ended once decided."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold")
    table.add_column()
    for field in action.card:
        table.add_row(field.label, Text(field.value))
    label = action.label or action.tool
    if action.status == "pending":
        title = f"{label} — waiting for your approval ({action.risk})"
        border = "yellow"
    else:
        title, border = f"{label} — {action.outcome or action.status}", "dim"
    return Panel(table, title=title, subtitle=f"action {action.id}", border_style=border)


async def render(
    events: AsyncIterator[Event], console: Console, *, quiet: bool = False
) -> RunSummary:
    """Print events as they arrive (unless quiet) and collect what they said."""
    result = RunSummary()
    streaming = False
    async for event in events:
        result.add(event)
        if quiet:
            continue
        if isinstance(event, TextDelta):
            console.print(event.text, end="", markup=False, highlight=False)
            streaming = True
            continue
        if streaming:
            console.print()
            streaming = False
        if isinstance(event, ToolStarted):
            console.print(f"[dim]· {event.name}…[/dim]")
        elif isinstance(event, ToolFinished) and event.is_error:
            console.print(f"[dim red]· {event.name} failed[/dim red]")
        elif isinstance(event, ConfirmationRequired):
            console.print(action_card(event.action))
        elif isinstance(event, ActionDecided):
            said = event.action.outcome or event.action.status
            style = "dim" if event.action.status == "succeeded" else "yellow"
            console.print(Text(f"· {event.action.label}: {said}", style=style))
        elif isinstance(event, ErrorEvent):
            console.print(f"[red]{event.message}[/red]")
    if streaming and not quiet:
        console.print()
    return result


def parse_sets(sets: list[str]) -> dict[str, str]:
    """`--set body=Hello` pairs into edits."""
    edits: dict[str, str] = {}
    for item in sets:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise CoworkerError(f"--set takes FIELD=VALUE, got {item!r}")
        edits[name.strip()] = value
    return edits


async def decide_interactively(
    coworker: Coworker, user: UserRecord, action: ActionView, console: Console
) -> RunSummary:
    """Ask approve / edit / reject / later for one action, and run the decision."""
    choice = Prompt.ask(
        "[bold]Approve[/bold], [bold]e[/bold]dit, [bold]r[/bold]eject or [bold]l[/bold]ater?",
        choices=["a", "e", "r", "l"],
        default="l",
        console=console,
    )
    if choice == "l":
        console.print(f"[dim]Left pending. Later: coworker actions approve {action.id}[/dim]")
        return RunSummary()
    if choice == "r":
        reason = Prompt.ask("Reason (optional)", default="", console=console)
        return await render(coworker.reject(user, action.id, reason or None), console)
    edits: dict[str, Any] = {}
    if choice == "e":
        for field in action.card:
            if field.editable:
                edits[field.key] = Prompt.ask(field.label, default=field.value, console=console)
    return await render(coworker.approve(user, action.id, edits or None), console)


async def interactive(
    coworker: Coworker, user: UserRecord, conversation_id: str, console: Console, banner: str
) -> None:
    console.print(Panel(banner, title="Dialsheet Coworker", border_style="cyan"))
    while True:
        try:
            text = Prompt.ask("[bold cyan]you[/bold cyan]", console=console)
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if text.strip().lower() in {"exit", "quit", ":q"}:
            return
        try:
            result = await render(
                coworker.chat(user, text, conversation_id=conversation_id), console
            )
            queue = list(result.actions)
            while queue:
                decided = await decide_interactively(coworker, user, queue.pop(0), console)
                queue.extend(decided.actions)
        except CoworkerError as error:
            console.print(f"[red]{error.message}[/red]")


def dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)
