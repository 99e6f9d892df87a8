"""Editing a card in the terminal, then one last look before anything is sent.

A body is several lines, and a one-line prompt cannot hold them: a typed "\\n" used to be
sent literally. So a multi-line field opens the person's editor (`$VISUAL`/`$EDITOR`, read
by Settings) or, without one, a prompt that reads lines until one that is just "." (or
Ctrl-D). Whatever was edited, the person then sees the final card, exactly what will run,
and approves it once more; declining sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import click
from rich.console import Console
from rich.prompt import Confirm, Prompt

from coworker.agent.events import ActionView, CardField

END_OF_TEXT = "."  # a line that is just this ends a multi-line prompt

Ask = Callable[[str], str]


def typed_text(text: str, *, multiline: bool) -> str:
    """What a person meant: a typed `\\n` is a line break. In a one-line field (a subject)
    a break is then refused by the mail guard, with a clear error, rather than quietly
    turned into something the person did not type (a CR/LF there is header injection)."""
    text = text.replace("\\n", "\n")
    return text.replace("\r\n", "\n") if multiline else text


def typed_edits(action: ActionView, edits: dict[str, str]) -> dict[str, str]:
    """`--set` edits as meant: each value read by its field (named by key or label)."""
    multiline = {name for f in action.card if f.multiline for name in (f.key, f.label.lower())}
    return {
        name: typed_text(value, multiline=name.lower() in multiline)
        for name, value in edits.items()
    }


def read_lines(ask: Ask) -> str | None:
    """Lines until one that is just "." or the end of input; None when none was typed."""
    lines: list[str] = []
    while True:
        try:
            line = ask("")
        except EOFError:
            break
        if line.strip() == END_OF_TEXT:
            break
        lines.append(line)
    text = "\n".join(lines).strip("\n")
    return text or None


def in_editor(current: str, editor: str) -> str | None:
    """The text after the person's editor, None if unchanged (or the editor failed)."""
    try:
        edited = click.edit(current + "\n", editor=editor, require_save=False, extension=".txt")
    except click.ClickException:
        return None
    if edited is None:
        return None
    edited = edited.rstrip("\n")
    return edited if edited.strip() and edited != current else None


def edit_field(field: CardField, console: Console, editor: str | None) -> str | None:
    """A new value for one field, or None to keep it."""
    if field.multiline and editor:
        console.print(f"[dim]Opening {field.label.lower()} in {editor}…[/dim]")
        value = in_editor(field.value, editor)
    elif field.multiline:
        console.print(
            f"New {field.label.lower()}: type it, then a line with just "
            f'"{END_OF_TEXT}" (or Ctrl-D). Nothing typed keeps the current one.'
        )
        value = read_lines(lambda prompt: console.input(prompt))
    else:
        value = Prompt.ask(field.label, default=field.value, console=console)
    if value is None:
        return None
    value = typed_text(value, multiline=field.multiline)
    return value if value.strip() and value != field.value else None


def edit_card(action: ActionView, console: Console, editor: str | None) -> dict[str, str]:
    """Ask which editable field to change until the person presses Enter; the edits."""
    fields = {f.label.lower(): f for f in action.card if f.editable}
    if not fields:
        console.print("[yellow]Nothing on this card can be edited.[/yellow]")
        return {}
    edits: dict[str, str] = {}
    only = len(fields) == 1
    while True:
        if only and not edits:
            name = next(iter(fields))
        else:
            name = Prompt.ask(
                f"Edit which? ({', '.join(fields)}; Enter when done)",
                choices=[*fields, ""],
                default="",
                show_choices=False,
                show_default=False,
                console=console,
            )
        if not name:
            return edits
        field = fields[name]
        shown = replace(field, value=edits.get(field.key, field.value))
        value = edit_field(shown, console, editor)
        if value is not None:
            edits[field.key] = value
        if only:
            return edits


def final_view(action: ActionView, edits: dict[str, str]) -> ActionView:
    """The card as it will run: the server's card with the person's edits in place."""
    card = tuple(replace(f, value=edits.get(f.key, f.value)) for f in action.card)
    return replace(action, card=card)


def confirm_final(action: ActionView, console: Console) -> bool:
    """One more approve, of the final card; anything but yes sends nothing."""
    question = f"[bold]{action.label or action.tool}, exactly as shown?[/bold]"
    return Confirm.ask(question, default=False, console=console)
