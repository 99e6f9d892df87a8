"""The terminal channel: `coworker chat` and `coworker actions`.

It renders the service's events (streamed replies as Markdown, tool activity, confirmation
cards) and turns keystrokes into approve / edit / reject, with the same rules as every
channel. At a terminal, replies are Markdown rendered by rich as they stream; into a pipe
(a script, a test) everything is plain text, so it stays readable and greppable.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.markdown import Markdown
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
from coworker.channels import batched, cli_batch, cli_edit
from coworker.channels.cli_interrupt import Interrupts
from coworker.channels.cli_tables import show_table
from coworker.errors import CoworkerError
from coworker.store.records import UserRecord
from coworker.tools.derived.figures import figure_of

EXIT_WORDS = frozenset({"exit", "quit", ":q"})


def _card_title(action: ActionView, *, final: bool = False) -> str:
    label = action.label or action.tool
    if final:
        return f"{label}: exactly what will run"
    if action.status == "pending":
        return f"{label} — waiting for your approval ({action.risk})"
    return f"{label} — {action.outcome or action.status}"


def action_card(action: ActionView, *, final: bool = False) -> Panel:
    """The exact payload a person approves, as the server's card reads (recipient, subject,
    body, or what gets deleted), and how it ended once decided."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold")
    table.add_column()
    for field in action.card:
        table.add_row(field.label, Text(field.value))
    border = "green" if final else "yellow" if action.status == "pending" else "dim"
    return Panel(
        table,
        title=_card_title(action, final=final),
        subtitle=f"action {action.id}",
        border_style=border,
    )


def plain_card(action: ActionView, *, final: bool = False) -> str:
    """The same card as plain lines, for a pipe: a multi-line value is indented under its
    label, so a body reads as it will be sent."""
    lines = [f"{_card_title(action, final=final)} (action {action.id})"]
    for field in action.card:
        if "\n" in field.value:
            lines.append(f"  {field.label}:")
            lines += [f"    {line}" for line in field.value.split("\n")]
        else:
            lines.append(f"  {field.label}: {field.value}")
    return "\n".join(lines)


def show_card(action: ActionView, console: Console, *, final: bool = False) -> None:
    if console.is_terminal:
        console.print(action_card(action, final=final))
    else:
        console.print(
            plain_card(action, final=final), markup=False, highlight=False, soft_wrap=True
        )


class _Reply:
    """The streamed text of one stretch of the reply: Markdown redrawn as it grows at a
    terminal, the raw text into a pipe."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.text = ""
        self.live: Live | None = None

    def add(self, delta: str) -> None:
        if not self.console.is_terminal:
            self.console.print(delta, end="", markup=False, highlight=False, soft_wrap=True)
            self.text += delta
            return
        self.text += delta
        if self.live is None:
            # While it grows, the reply is drawn in place, cut to the screen's height (a
            # frame taller than the screen cannot be redrawn); once done it is printed whole.
            self.live = Live(
                console=self.console,
                auto_refresh=False,
                transient=True,
                vertical_overflow="ellipsis",
            )
            self.live.start()
        self.live.update(Markdown(self.text), refresh=True)

    def end(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
            self.console.print(Markdown(self.text))
        elif self.text and not self.text.endswith("\n"):
            self.console.print()
        self.text = ""


async def render(
    events: AsyncIterator[Event],
    console: Console,
    *,
    quiet: bool = False,
    batch_cards: bool = True,
) -> RunSummary:
    """Print events as they arrive (unless quiet) and collect what they said; a batch's
    cards wait for their numbered list when `batch_cards` is off (`cli_batch.py`)."""
    result = RunSummary()
    reply = _Reply(console)
    try:
        async for event in events:
            result.add(event)
            if quiet:
                continue
            if isinstance(event, TextDelta):
                reply.add(event.text)
                continue
            reply.end()
            if isinstance(event, ToolStarted):
                console.print(f"[dim]· {event.name}…[/dim]")
            elif isinstance(event, ToolFinished) and event.is_error:
                console.print(f"[dim red]· {event.name} failed[/dim red]")
            elif isinstance(event, ToolFinished) and (figure := figure_of(event.content)):
                show_table(figure, console)
            elif isinstance(event, ConfirmationRequired):
                if batch_cards or event.action.batch_id is None:
                    show_card(event.action, console)
            elif isinstance(event, ActionDecided):
                said = event.action.outcome or event.action.status
                style = "dim" if event.action.status == "succeeded" else "yellow"
                console.print(Text(f"· {event.action.label}: {said}", style=style))
            elif isinstance(event, ErrorEvent):
                console.print(Text(event.message, style="red"))
    finally:
        reply.end()
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


class Session:
    """One person's interactive chat: prompts, turns, decisions, and Ctrl-C."""

    def __init__(
        self,
        coworker: Coworker,
        user: UserRecord,
        conversation_id: str,
        console: Console,
        editor: str | None = None,
    ) -> None:
        self.coworker, self.user, self.conversation_id = coworker, user, conversation_id
        self.console, self.editor = console, editor
        self.interrupts = Interrupts(lambda said: console.print(f"[dim]{said}[/dim]"))

    def ask(self, question: str, **options: Any) -> str | None:
        """A prompt's answer; None when Ctrl-C (or the end of input) dropped it."""
        try:
            answer = Prompt.ask(question, console=self.console, **options)
        except KeyboardInterrupt:
            self.interrupted()
            return None
        except EOFError:
            self.console.print()
            self.interrupts.exit = True
            return None
        self.interrupts.typed()
        return str(answer)

    def interrupted(self) -> None:
        """A Ctrl-C outside a running turn. A second one can land while the first is still
        being answered (a quick double press): that is the second in a row, so exit."""
        try:
            self.console.print()
            self.interrupts.at_prompt()
        except KeyboardInterrupt:
            self.interrupts.exit = True

    async def turn(self, events: AsyncIterator[Event], *, decision: bool) -> RunSummary | None:
        """Render one turn; None when a Ctrl-C cancelled it."""
        stream = self.interrupts.released(events)
        shown = render(stream, self.console, batch_cards=False)
        result = await self.interrupts.run(shown, holds_decision=decision)
        if result is None:
            self.console.print("[dim]Stopped. The conversation is saved up to here.[/dim]")
        return result

    async def decide(self, action: ActionView) -> RunSummary | None:
        """Approve, edit, reject or leave one action; edits end on a final card that is
        approved once more before anything runs."""
        while not self.interrupts.exit:
            choice = self.ask(
                "[bold]Approve[/bold], [bold]e[/bold]dit, [bold]r[/bold]eject or "
                "[bold]l[/bold]ater?",
                choices=["a", "e", "r", "l"],
                default="l",
            )
            if choice is None or choice == "l":
                self.console.print(
                    f"[dim]Left pending. Later: coworker actions approve {action.id}[/dim]"
                )
                return None
            if choice == "r":
                reason = self.ask("Reason (optional)", default="")
                if reason is None:
                    continue
                events = self.coworker.reject(self.user, action.id, reason or None)
                return await self.turn(events, decision=True)
            edits: dict[str, str] = {}
            if choice == "e":
                try:
                    edits = cli_edit.edit_card(action, self.console, self.editor)
                    if not edits:
                        self.console.print("[dim]Nothing changed.[/dim]")
                        continue
                    show_card(cli_edit.final_view(action, edits), self.console, final=True)
                    approved = cli_edit.confirm_final(action, self.console)
                except KeyboardInterrupt:
                    self.interrupted()
                    continue
                except EOFError:
                    approved = False
                if not approved:
                    self.console.print("[dim]Not sent; the card still waits.[/dim]")
                    continue
            events = self.coworker.approve(self.user, action.id, edits or None)
            return await self.turn(events, decision=True)
        return None

    async def run(self, banner: str) -> None:
        if self.console.is_terminal:
            self.console.print(Panel(banner, title="Dialsheet Coworker", border_style="cyan"))
        else:
            self.console.print(f"Dialsheet Coworker\n{banner}", markup=False, highlight=False)
        with self.interrupts:
            while not self.interrupts.exit:
                try:
                    text = self.ask("[bold cyan]you[/bold cyan]")
                    if text is None:
                        continue
                    if text.strip().lower() in EXIT_WORDS:
                        return
                    await self.exchange(text)
                except KeyboardInterrupt:  # between prompts, or between a turn and a prompt
                    self.interrupted()
                except CoworkerError as error:
                    self.console.print(Text(error.message, style="red"))

    async def exchange(self, text: str) -> None:
        """One message, its reply, and the decisions its cards ask for."""
        events = self.coworker.chat(self.user, text, conversation_id=self.conversation_id)
        result = await self.turn(events, decision=False)
        queue = batched.groups(result.actions) if result else []
        while queue and not self.interrupts.exit:
            group = queue.pop(0)  # one card, or a batch's (one decision: cli_batch.py)
            if len(group) > 1:
                decided = await cli_batch.decide(self, group)
            else:
                decided = await self.decide(group[0])
            queue.extend(batched.groups(decided.actions) if decided else [])


async def interactive(
    coworker: Coworker,
    user: UserRecord,
    conversation_id: str,
    console: Console,
    banner: str,
    *,
    editor: str | None = None,
) -> None:
    await Session(coworker, user, conversation_id, console, editor).run(banner)


def dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)
