"""The terminal's rendering and Ctrl-C rules, in-process (#19 item 3).

Replies are Markdown rendered by rich at a terminal and stay plain text into a pipe; cards
in a pipe are plain lines with a body indented as it will be sent. A Ctrl-C during an
approval lets the decision finish (sent once or not at all) and stops only what follows.
"""

from __future__ import annotations

import asyncio
import io
import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from rich.console import Console

from coworker.agent.events import ActionDecided, ActionView, CardField, Event, TextDelta
from coworker.channels.cli_chat import plain_card, render
from coworker.channels.cli_edit import final_view, read_lines, typed_text
from coworker.channels.cli_interrupt import Interrupts

REPLY = "Here is **Jane Smith**:\n\n| Stage | Deals |\n|---|---:|\n| Closed won | 2 |\n"


def action(status: str = "pending") -> ActionView:
    now = datetime.now(UTC)
    return ActionView(
        id="a1",
        conversation_id="c1",
        tool_use_id="t1",
        tool="send_email",
        risk="outbound",
        input={},
        display={},
        status=status,
        created_at=now,
        expires_at=now + timedelta(hours=24),
        label="Send an email",
        card=(
            CardField("to", "To", "Jane Smith <jane@acme.com>"),
            CardField("subject", "Subject", "Pricing", editable=True),
            CardField("body_text", "Body", "Hi Jane,", editable=True, multiline=True),
        ),
    )


async def stream(*events: Event) -> AsyncIterator[Event]:
    for event in events:
        yield event


async def test_markdown_is_rendered_at_a_terminal() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80, color_system="standard")
    pieces = [REPLY[i : i + 7] for i in range(0, len(REPLY), 7)]
    result = await render(stream(*(TextDelta(p) for p in pieces)), console)
    output = out.getvalue()
    shown = output[output.rindex("\x1b[1A") :]  # the last frame: the reply as it stays
    assert result.reply == REPLY.strip()
    assert "**" not in shown and "|---" not in shown, "Markdown syntax is not shown raw"
    assert "\x1b[1mJane Smith" in shown, "bold is bold"
    assert "Closed won \x1b[36m" in shown, "the table is drawn as columns"


async def test_a_pipe_gets_the_plain_text_as_it_streams() -> None:
    out = io.StringIO()
    console = Console(file=out, width=80)
    await render(stream(TextDelta(REPLY[:20]), TextDelta(REPLY[20:])), console)
    assert out.getvalue() == REPLY, "no escape codes, nothing reflowed"


def test_a_plain_card_indents_a_body_as_it_will_be_sent() -> None:
    edited = final_view(action(), {"body_text": "Hi Jane,\n\nThree tiers.\nBest, Alex"})
    text = plain_card(edited, final=True)
    assert text.splitlines() == [
        "Send an email: exactly what will run (action a1)",
        "  To: Jane Smith <jane@acme.com>",
        "  Subject: Pricing",
        "  Body:",
        "    Hi Jane,",
        "    ",
        "    Three tiers.",
        "    Best, Alex",
    ]
    assert action().card[2].value == "Hi Jane,", "the server's card is left as it was"


def test_typed_text_never_keeps_a_literal_backslash_n() -> None:
    assert typed_text(r"Hi Jane,\nThanks", multiline=True) == "Hi Jane,\nThanks"
    # A one-line field keeps the break, so the mail guard refuses it (never a silent rewrite).
    assert typed_text(r"Pricing\nfor Q3", multiline=False) == "Pricing\nfor Q3"
    assert typed_text("Hi\r\nBcc: x@evil.example", multiline=False) == "Hi\r\nBcc: x@evil.example"
    lines = iter(["Hi Jane,", "", "Thanks", ".", "never read"])
    assert read_lines(lambda _: next(lines)) == "Hi Jane,\n\nThanks"

    def ended(_: str) -> str:
        raise EOFError

    assert read_lines(ended) is None, "Ctrl-D on nothing keeps the current text"


async def _until(condition: object) -> None:
    for _ in range(10_000):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("never happened")


async def test_ctrl_c_during_an_approval_lets_the_decision_finish_then_stops() -> None:
    said: list[str] = []
    seen: list[Event] = []
    sending = asyncio.Event()
    decided = ActionDecided(action("succeeded"))

    async def turn() -> AsyncIterator[Event]:
        await sending.wait()  # the approved send is in flight
        yield decided
        await asyncio.sleep(0)  # the model is called with the outcome...
        yield TextDelta("Sent to Jane.")  # ...and never gets to say it

    async def consume(events: AsyncIterator[Event]) -> list[Event]:
        async for event in events:
            seen.append(event)
        return seen

    with Interrupts(said.append) as interrupts:
        running = asyncio.create_task(
            interrupts.run(consume(interrupts.released(turn())), holds_decision=True)
        )
        await _until(lambda: interrupts._task is not None)
        signal.raise_signal(signal.SIGINT)
        await _until(lambda: bool(said))
        assert "Finishing the decision" in said[0] and seen == []
        sending.set()
        assert await running is None, "the turn stopped"
    assert seen == [decided], "the decision was taken and reported, nothing after it"
    assert not interrupts.exit


async def test_ctrl_c_cancels_a_turn_at_once_and_a_second_in_a_row_exits() -> None:
    never = asyncio.Event()

    async def forever() -> str:
        await never.wait()
        return "unreachable"

    with Interrupts(lambda _: None) as interrupts:
        running = asyncio.create_task(interrupts.run(forever()))
        await _until(lambda: interrupts._task is not None)
        signal.raise_signal(signal.SIGINT)
        assert await running is None and interrupts.armed and not interrupts.exit
        assert interrupts.at_prompt() is True and interrupts.exit
