"""Ctrl-C in `coworker chat`: the first cancels what is under way, a second in a row exits.

Under `asyncio.run`, SIGINT only cancels the main task: a prompt blocked in `input()` kept
waiting for Enter. So while the chat runs it owns SIGINT. At a prompt, Python's own
handler raises KeyboardInterrupt inside `input()`: the line is dropped at once. While a turn
runs, the loop's handler cancels the turn's task: the service saves what the turn did and
answers any call it cut off when the conversation next moves (`agent/service.py`), so the
transcript stays valid. An approval is never cut in half: a Ctrl-C during one waits until
the decision is taken and carried out (the send done once, or not at all), then stops the
rest of the turn.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Callable, Coroutine
from types import FrameType
from typing import Any, TypeVar

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
