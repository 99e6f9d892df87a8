"""A batch in the terminal: the cards one model response proposed, as one numbered list.

Every item starts ticked. `t 2` leaves item 2 out (or puts it back), `e 2` edits it with
the same multi-line edit a single card uses, `a` approves every ticked item and `c`
cancels them all. Nothing runs before the final look: every card exactly as it will run,
then one more yes. The decision is `Coworker.decide_batch` (each ticked item approved, each
unticked one rejected as "Left out of the batch"), so each item keeps its own at-most-once
run and audit; the model goes on once, after the last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.console import Console
from rich.prompt import Confirm

from coworker.agent.events import ActionView, RunSummary
from coworker.channels import cli_edit

if TYPE_CHECKING:
    from coworker.channels.cli_chat import Session

KEYS = "a approve the ticked · t N tick/untick · e N edit · c cancel all · l later"


@dataclass
class Choices:
    """What the person has decided so far on the list (nothing runs until the final yes)."""

    actions: Sequence[ActionView]
    left_out: set[str] = field(default_factory=set)
    edits: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def ticked(self) -> list[ActionView]:
        return [a for a in self.actions if a.id not in self.left_out]

    def item(self, word: str) -> ActionView | None:
        """Item `word` (1-based, as the list numbers them), or None."""
        number = int(word) if word.strip().isdigit() else 0
        return self.actions[number - 1] if 1 <= number <= len(self.actions) else None

    def as_shown(self, action: ActionView) -> ActionView:
        return cli_edit.final_view(action, self.edits.get(action.id, {}))


def _card_lines(mark: str, number: int, action: ActionView, note: str = "") -> list[str]:
    lines = [f"{mark}{number}. {action.label or action.tool}{note}"]
    for item in action.card:
        if "\n" in item.value:
            lines.append(f"      {item.label}:")
            lines += [f"        {line}" for line in item.value.split("\n")]
        else:
            lines.append(f"      {item.label}: {item.value}")
    return lines


def _say(console: Console, lines: list[str]) -> None:
    console.print("\n".join(lines), markup=False, highlight=False, soft_wrap=True)


def show_list(choices: Choices, console: Console) -> None:
    """The numbered list: each item's mark, what it does and every line of its card."""
    lines = [f"{len(choices.actions)} actions wait for your approval (one decision):"]
    for number, action in enumerate(choices.actions, 1):
        mark = "[ ] " if action.id in choices.left_out else "[x] "
        note = " (edited)" if action.id in choices.edits else ""
        lines += _card_lines(mark, number, choices.as_shown(action), note)
    _say(console, [*lines, KEYS])


def final_look(choices: Choices, console: Console) -> bool:
    """Every ticked card exactly as it will run, what is left out, then one more yes."""
    ticked = choices.ticked
    lines = [f"These {len(ticked)} will run, exactly as shown:"]
    for action in ticked:
        lines += _card_lines("", choices.actions.index(action) + 1, choices.as_shown(action))
    left = [str(choices.actions.index(a) + 1) for a in choices.actions if a.id in choices.left_out]
    if left:
        lines.append(f"Left out (cancelled): {', '.join(left)}")
    _say(console, lines)
    return Confirm.ask(f"[bold]Approve these {len(ticked)}?[/bold]", default=False, console=console)


async def decide(session: Session, actions: Sequence[ActionView]) -> RunSummary | None:
    """The list's keys until the person approves, cancels or leaves it for later."""
    choices = Choices(actions)
    console = session.console
    batch_id = actions[0].batch_id or ""
    show_list(choices, console)
    while not session.interrupts.exit:
        answer = session.ask("[bold]Batch[/bold] (a, t N, e N, c, l)", default="l")
        if answer is None:
            continue
        key, _, rest = answer.strip().lower().partition(" ")
        if key == "l":
            console.print(
                f"Left pending. Later: coworker actions approve --batch {batch_id}",
                markup=False,
                highlight=False,
            )
            return None
        if key in ("t", "e"):
            item = choices.item(rest)
            if item is None:
                console.print(f"No item {rest.strip() or '?'}: 1 to {len(actions)}.", style="red")
                continue
            if key == "t":
                choices.left_out ^= {item.id}
            else:
                try:
                    edits = cli_edit.edit_card(choices.as_shown(item), console, session.editor)
                except (KeyboardInterrupt, EOFError):
                    console.print()
                    continue
                choices.edits[item.id] = {**choices.edits.get(item.id, {}), **edits}
                choices.left_out.discard(item.id)
            show_list(choices, console)
            continue
        if key == "c":
            if not Confirm.ask("Cancel all of them?", default=False, console=console):
                continue
            events = session.coworker.decide_batch(
                session.user, batch_id, reject=[a.id for a in actions]
            )
            return await session.turn(events, decision=True)
        if key != "a":
            console.print(f"Keys: {KEYS}", markup=False, highlight=False)
            continue
        if not choices.ticked:
            console.print("Nothing is ticked; `c` cancels them all.", markup=False)
            continue
        if not final_look(choices, console):
            console.print("Not sent; the list still waits.", markup=False, highlight=False)
            continue
        ticked = [a.id for a in choices.ticked]
        events = session.coworker.decide_batch(
            session.user,
            batch_id,
            approve=ticked,
            reject=[a.id for a in actions if a.id in choices.left_out],
            edits={i: e for i, e in choices.edits.items() if i in ticked and e},
        )
        return await session.turn(events, decision=True)
    return None
