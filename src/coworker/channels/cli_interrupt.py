"""Ctrl-C in `coworker chat`: the first cancels what is under way, a second in a row exits.

Under `asyncio.run`, SIGINT only cancels the main task: a prompt blocked in `input()` kept
waiting for Enter. So while the chat runs it owns SIGINT. At a prompt, Python's own
handler raises KeyboardInterrupt inside `input()`: the line is dropped at once. While a turn
runs, the loop's handler cancels the turn's task: the service saves what the turn did and
answers any call it cut off when the conversation next moves (`agent/service.py`), so the
transcript stays valid. An approval is never cut in half: a Ctrl-C during one waits until
the decision is taken and carried out (the send done once, or not at all), then stops the
rest of the turn.

At a terminal, prompts read through `PromptConsole`: Python's `input()` loses a Ctrl-C that
lands between its last check for signals and the blocking read (the handler is run only
after the next line arrives, so the prompt hangs). Waiting in `select` on the terminal and
on a wakeup pipe that the signal itself writes closes that window.
"""

from __future__ import annotations

import asyncio
import codecs
import os
import select
import signal
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from types import FrameType
from typing import Any, TextIO, TypeVar

from rich.console import Console
from rich.text import TextType

from coworker.agent.events import ActionDecided, Event

T = TypeVar("T")
Handler = Callable[[int, FrameType | None], Any] | int | None


class Interrupts:
    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.armed = False  # a Ctrl-C just cancelled something: the next one exits
        self.exit = False
        self._task: asyncio.Task[Any] | None = None
        self._holding = False
        self._deferred = False
        self._saved: Handler = None

    def __enter__(self) -> Interrupts:
        self._saved = signal.getsignal(signal.SIGINT)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        return self

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGINT, self._saved)

    def typed(self) -> None:
        """The person entered a line: a Ctrl-C after it cancels again before it exits."""
        self.armed = False

    def at_prompt(self) -> bool:
        """A Ctrl-C at a prompt; True when it is the second in a row (exit)."""
        if self.armed:
            self.exit = True
            return True
        self.armed = True
        self.say("Cancelled. Press Ctrl-C again to exit.")
        return False

    async def run(self, work: Coroutine[Any, Any, T], *, holds_decision: bool = False) -> T | None:
        """Run one turn; None when a Ctrl-C cancelled it. `holds_decision`: the turn starts
        with an approval or rejection, which a Ctrl-C never interrupts."""
        loop = asyncio.get_running_loop()
        task = loop.create_task(work)
        self._task, self._holding, self._deferred = task, holds_decision, False
        loop.add_signal_handler(signal.SIGINT, self._on_sigint)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if not task.cancelled():
                raise  # we were cancelled ourselves, not the turn
            return None
        finally:
            loop.remove_signal_handler(signal.SIGINT)  # back to Python's own handler
            if not task.done():  # our caller was cancelled: stop the turn with it
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            self._task = None

    async def released(self, events: AsyncIterator[Event]) -> AsyncIterator[Event]:
        """The turn's events; once its decision is taken, a waiting Ctrl-C stops the rest."""
        async for event in events:
            yield event
            if isinstance(event, ActionDecided) and self._holding:
                self._holding = False
                if self._deferred and self._task is not None:
                    self._task.cancel()

    def _on_sigint(self) -> None:
        task = self._task
        if task is None or task.done():
            return
        if self.armed:
            self.exit = True
        self.armed = True
        if self._holding:
            self._deferred = True
            self.say("Finishing the decision you made first; then the turn stops.")
            return
        task.cancel()


class PromptConsole(Console):
    """A console whose prompts a Ctrl-C always interrupts, however soon it is pressed."""

    def input(
        self,
        prompt: TextType = "",
        *,
        markup: bool = True,
        emoji: bool = True,
        password: bool = False,
        stream: TextIO | None = None,
    ) -> str:
        if password or stream is not None or not sys.stdin.isatty():
            return super().input(
                prompt, markup=markup, emoji=emoji, password=password, stream=stream
            )
        if prompt:
            self.print(prompt, markup=markup, emoji=emoji, end="")
        return read_terminal_line(sys.stdin.fileno())


def read_terminal_line(fd: int) -> str:
    """One line typed at the terminal `fd` (canonical mode: the terminal edits it), without
    its newline; KeyboardInterrupt on Ctrl-C, EOFError on Ctrl-D, as `input()` does."""
    wake_r, wake_w = os.pipe()
    try:
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        previous = signal.set_wakeup_fd(wake_w)
        try:
            return _read_line(fd, wake_r)
        finally:
            signal.set_wakeup_fd(previous)
    finally:
        os.close(wake_r)
        os.close(wake_w)


def _read_line(fd: int, wake_r: int) -> str:
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    line = ""
    while not line.endswith("\n"):
        # A SIGINT from here on either interrupts select (its handler raises) or has
        # already written to the pipe, so select returns and the handler runs next.
        ready, _, _ = select.select([fd, wake_r], [], [])
        if wake_r in ready:
            os.read(wake_r, 512)  # a signal whose handler did not raise: keep waiting
        if fd not in ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            if line:
                return line
            raise EOFError
        line += decoder.decode(chunk)
    return line[:-1]
