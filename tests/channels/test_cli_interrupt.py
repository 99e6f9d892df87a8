"""Ctrl-C in a real `coworker chat` process on a pseudo-terminal (#19 item 3).

The first SIGINT cancels what is under way, the line being typed or the running turn, at
once (it used to wait for Enter); a second in a row exits. A cancelled turn leaves the
transcript valid: the next message goes to the model after the person's earlier words.
The test waits for what the process prints, never for time to pass.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import sqlite3
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coworker.sandbox.seed import demo_id
from tests.support.anthropic_stub import AnthropicStub, StubReply

JANE = demo_id("lead", "northwind:jane-smith")

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")
WAIT_S = 90.0  # only a bound for a broken build; a passing run never waits for it


class Terminal:
    """`coworker chat` with a pty for stdin, stdout and stderr."""

    def __init__(self, env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from coworker.cli import main; main()", "chat"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,  # its own session, with the pty as its terminal:
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),  # Ctrl-C is a real ^C
        )
        os.close(slave)
        self.seen = ""
        self.read_to = 0

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return False
        self.seen += ANSI.sub("", chunk.decode("utf-8", "replace"))
        return bool(chunk)

    def expect(self, text: str) -> None:
        """Wait until `text` is printed after what was expected before."""
        while text not in self.seen[self.read_to :]:
            if not self._read(WAIT_S):
                pytest.fail(f"never printed {text!r}; printed:\n{self.seen[-3000:]}")
        self.read_to = self.seen.index(text, self.read_to) + len(text)

    def until(self, condition: Callable[[], bool]) -> None:
        """Wait for `condition`, reading what the process prints meanwhile."""
        deadline = time.monotonic() + WAIT_S
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"condition never held; printed:\n{self.seen[-3000:]}")
            self._read(0.05)

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def interrupt(self) -> None:
        """Ctrl-C as a person presses it: the terminal sends SIGINT to the process."""
        os.write(self.master, b"\x03")

    def exited(self) -> int:
        code = self.process.wait(timeout=WAIT_S)
        while self._read(0.1):
            pass
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[Terminal, AnthropicStub]]:
    stub = AnthropicStub(echo=False)
    with stub.run() as url:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"EDITOR", "VISUAL", "DIALSHEET_BASE_URL"}
        }
        env.update(
            ANTHROPIC_API_KEY="sk-ant-test-not-real",
            ANTHROPIC_BASE_URL=url,
            COWORKER_DATA_DIR=str(tmp_path),
            TERM="xterm",
            COLUMNS="100",
            LINES="40",
        )
        term = Terminal(env)
        try:
            yield term, stub
        finally:
            term.close()


def test_ctrl_c_at_the_prompt_drops_the_line_and_a_second_exits(
    terminal: tuple[Terminal, AnthropicStub],
) -> None:
    term, stub = terminal
    term.expect("you: ")
    os.write(term.master, b"half a thought")  # typed, no Enter
    term.interrupt()
    term.expect("Press Ctrl-C again to exit.")
    term.expect("you: ")
    term.type("exit")
    assert term.exited() == 0
    assert stub.requests == [], "the dropped line never reached the model"


def test_two_ctrl_c_in_a_row_exit(terminal: tuple[Terminal, AnthropicStub]) -> None:
    term, _ = terminal
    term.expect("you: ")
    term.interrupt()
    term.expect("Press Ctrl-C again to exit.")
    term.expect("you: ")
    term.interrupt()
    assert term.exited() == 0


def test_ctrl_c_stops_a_running_turn_and_the_conversation_goes_on(
    terminal: tuple[Terminal, AnthropicStub],
) -> None:
    term, stub = terminal
    stub.plan(StubReply.text("Acme has many leads.", delay_s=600))  # ten minutes to answer
    term.expect("you: ")
    term.type("tell me about Acme")
    term.until(lambda: len(stub.requests) == 1)  # the turn is waiting for the model
    term.interrupt()
    term.expect("Stopped. The conversation is saved up to here.")
    term.expect("you: ")

    stub.plan(StubReply.text("Here again: Acme has two open deals."))
    term.type("and now?")
    term.expect("Acme has two open deals.")
    messages = stub.requests[-1].body["messages"]
    users = [m for m in messages if m["role"] == "user"]
    said = json_text(users)
    assert "tell me about Acme" in said and said.index("tell me about Acme") < said.index(
        "and now?"
    ), "the cut-off turn's words stay in the transcript, in order"
    assert messages[-1]["role"] == "user" and messages[0]["role"] == "user"
    roles = [m["role"] for m in messages]
    assert all(a != b for a, b in zip(roles, roles[1:], strict=False)), roles

    term.expect("you: ")
    term.interrupt()
    term.expect("Press Ctrl-C again to exit.")
    term.interrupt()
    assert term.exited() == 0


def json_text(messages: list[dict[str, object]]) -> str:
    return json.dumps(messages)


def test_ctrl_c_at_a_card_leaves_it_pending_and_sends_nothing(
    terminal: tuple[Terminal, AnthropicStub], tmp_path: Path
) -> None:
    term, stub = terminal
    email = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, our pricing."}
    stub.plan(StubReply.tool_use("send_email", email, text="I'll email Jane:"))
    term.expect("you: ")
    term.type("email Jane our pricing")
    term.expect("Approve, edit, reject or later?")
    term.interrupt()
    term.expect("Left pending.")
    term.expect("you: ")
    term.type("exit")
    assert term.exited() == 0
    assert len(stub.requests) == 1, "the model was not called again: nothing was decided"
    with sqlite3.connect(tmp_path / "sandbox.db") as db:
        sent = db.execute("SELECT count(*) FROM emails WHERE body_text = ?", (email["body_text"],))
        assert sent.fetchone() == (0,)


def test_a_ctrl_c_landing_while_the_first_is_answered_counts_as_the_second() -> None:
    """A quick double press: the second SIGINT arrives while "Press Ctrl-C again" is being
    printed. It must exit cleanly, not escape as a KeyboardInterrupt (exit 130)."""
    import io
    from typing import Any, cast

    from rich.console import Console

    from coworker.channels.cli_chat import Session

    class SecondPressWhilePrinting(Console):
        def print(self, *objects: Any, **kwargs: Any) -> None:
            if any("again to exit" in str(o) for o in objects):
                raise KeyboardInterrupt
            super().print(*objects, **kwargs)

    console = SecondPressWhilePrinting(file=io.StringIO())
    chat = Session(cast(Any, None), cast(Any, None), "c1", console)
    chat.interrupted()
    assert chat.interrupts.exit
