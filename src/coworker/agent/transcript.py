"""The stored conversation, kept valid for the Messages API at every step.

The rule the whole agent rests on: every `tool_use` gets exactly one `tool_result`, in the
user message right after it. Results and new text that arrive later (an approval, a new
message) are merged into that trailing user message, tool results first.

Changes are made in memory at once; the store catches up when it matters, in order, behind
the turn rather than in its way:
- `save_soon()` queues a write of everything not yet stored and returns: the person's
  message goes out so while the model is already thinking about it.
- `saved()` writes and waits: before a side effect (a write, a send, a pending action must
  never lack the tool_use that asked for it), and before a turn is reported done.
- The steps in between (a read tool's call and its result) are saved with whatever comes
  next, in the same transaction: a crash between them loses only reads, which the next turn
  can repeat, and the stored transcript is valid at every point.
- `settle()` saves and waits without raising, for the `finally` that lets go of the
  conversation's lock (the next turn must load all of this).
A write that fails stops the writes queued after it (they would land out of order) and is
raised by `saved()`.

A turn loads the recent end of the conversation, not its history (`load_recent`): what the
model is sent is a window of it anyway (`context.window`), and everything a turn does
with the transcript looks at its last messages, so a turn costs the same at 20,000
messages as at 10.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from coworker.agent.context import MAX_WINDOW_MESSAGES, can_start_window
from coworker.errors import CoworkerError
from coworker.llm.base import Block, Message
from coworker.store.queries import StoredMessage

log = logging.getLogger("coworker.agent")


class MessageStore(Protocol):
    async def load_messages(self, conversation_id: str) -> list[dict[str, Any]]: ...
    async def load_latest_messages(
        self, conversation_id: str, limit: int, *, before: int | None = None
    ) -> list[StoredMessage]: ...
    async def append_messages(
        self,
        conversation_id: str,
        messages: list[dict[str, Any]],
        usages: Sequence[dict[str, Any] | None] | None = None,
    ) -> None: ...
    async def replace_last_message(self, conversation_id: str, message: dict[str, Any]) -> None: ...


async def load_recent(
    store: MessageStore, conversation_id: str, keep: int = MAX_WINDOW_MESSAGES
) -> list[Message]:
    """The end of the transcript that `context.window(..., keep)` needs, now and after
    anything a turn appends: the whole of it if short, otherwise the messages from the
    latest one a window may start at (`can_start_window`) that lies more than `keep`
    messages from the end.

    Why that is enough: the window's start is searched forward from `keep` messages before
    the end, then backwards; both searches stop at or after such a message, so they never
    look before it, and with more than `keep` messages loaded the short-transcript case
    (sent as is, first message uncut) never applies to a suffix when it would not to the
    whole. Why more is not needed: `unanswered_tool_uses` and the channels look at the
    last two messages at most. Normally one read of `2 * keep + 1` rows; a stretch with no
    such message (a chain of approvals, each answered by results alone) reads further back
    a batch at a time, as far as the window itself will reach.
    """
    batch = 2 * keep + 1
    rows = await store.load_latest_messages(conversation_id, batch)
    newer: list[StoredMessage] = []
    last_start = len(rows) - keep - 1  # the latest index a loaded suffix may start at
    while True:
        if len(rows) < batch and not newer:
            return [row.as_message() for row in rows]  # the whole conversation
        for start in range(last_start, -1, -1):
            if can_start_window(rows[start].as_message()):
                return [row.as_message() for row in [*rows[start:], *newer]]
        newer = [*rows, *newer]
        if len(rows) < batch:  # reached the first message: there is no such start
            return [row.as_message() for row in newer]
        rows = await store.load_latest_messages(conversation_id, batch, before=rows[0].seq)
        last_start = len(rows) - 1


def _ordered(blocks: list[Block]) -> list[Block]:
    results = [b for b in blocks if b.get("type") == "tool_result"]
    return results + [b for b in blocks if b.get("type") != "tool_result"]


class Transcript:
    def __init__(self, store: MessageStore, conversation_id: str, messages: list[Message]) -> None:
        self.store = store
        self.conversation_id = conversation_id
        self.messages = messages
        self._stored = len(messages)  # messages[:_stored] are in the store, or queued to be
        self._stored_last_changed = False  # messages[_stored - 1] was merged into since
        self._usages: dict[int, dict[str, int]] = {}  # by index, for messages not yet written
        self._writes: asyncio.Task[None] | None = None
        self._failure: BaseException | None = None

    @classmethod
    async def load(
        cls, store: MessageStore, conversation_id: str, *, whole: bool = False
    ) -> Transcript:
        """The conversation's recent end, which the model's window and the checks on the
        last messages need; `whole` for a caller that asks about the entire history."""
        if whole:
            return cls(store, conversation_id, await store.load_messages(conversation_id))
        return cls(store, conversation_id, await load_recent(store, conversation_id))

    def add_user_blocks(self, blocks: list[Block]) -> None:
        if not blocks:
            return
        if self.messages and self.messages[-1]["role"] == "user":
            merged = {"role": "user", "content": _ordered([*self.messages[-1]["content"], *blocks])}
            self.messages[-1] = merged
            if len(self.messages) == self._stored:
                self._stored_last_changed = True
            return
        self.messages.append({"role": "user", "content": _ordered(list(blocks))})

    def add_assistant(self, content: list[Block], usage: dict[str, int] | None = None) -> None:
        self.messages.append({"role": "assistant", "content": content})
        if usage is not None:
            self._usages[len(self.messages) - 1] = usage

    def save_soon(self) -> None:
        """Queue the writes that bring the store up to date; they run in order, behind."""
        if self._stored_last_changed:
            self._stored_last_changed = False
            last = self.messages[self._stored - 1]
            self._queue(lambda: self.store.replace_last_message(self.conversation_id, last))
        if len(self.messages) > self._stored:
            first, self._stored = self._stored, len(self.messages)
            batch = self.messages[first:]
            usages = [self._usages.pop(index, None) for index in range(first, self._stored)]
            self._queue(lambda: self.store.append_messages(self.conversation_id, batch, usages))

    async def saved(self) -> None:
        """Save everything so far and wait for it; raise the first write that failed."""
        self.save_soon()
        await self._writes_finished()
        if self._failure is not None:
            raise self._failure
        if self._writes is not None and self._writes.cancelled():  # the event loop closing
            raise CoworkerError("the conversation's last writes were cancelled before saving")

    async def settle(self) -> None:
        """Save everything so far and wait until no write is left running, failed or not.

        Cancelling the caller does not cut this short: the writes are waited for all the
        same, and the cancellation goes on afterwards.
        """
        self.save_soon()
        await self._writes_finished()
        if self._failure is not None:  # nobody will raise it now: say it
            log.error(
                "conversation %s: messages could not be saved (%s)",
                self.conversation_id,
                type(self._failure).__name__,
            )

    async def _writes_finished(self) -> None:
        cancelled = False
        while self._writes is not None and not self._writes.done():
            try:
                await asyncio.wait({self._writes})  # never cancels or raises the writes
            except asyncio.CancelledError:
                cancelled = True
        if cancelled:
            raise asyncio.CancelledError

    def _queue(self, write: Callable[[], Awaitable[None]]) -> None:
        previous = self._writes

        async def after_previous() -> None:
            if previous is not None:
                await previous  # never raises: failures are kept in `_failure`
            if self._failure is not None:
                return
            try:
                await write()
            except Exception as error:  # noqa: BLE001 - kept, and raised by saved()
                self._failure = error

        self._writes = asyncio.get_running_loop().create_task(after_previous())

    def unanswered_tool_uses(self) -> list[Block]:
        """The last assistant message's tool_use blocks that have no tool_result yet."""
        for index in range(len(self.messages) - 1, -1, -1):
            if self.messages[index]["role"] != "assistant":
                continue
            uses = [b for b in self.messages[index]["content"] if b.get("type") == "tool_use"]
            answered: set[str] = set()
            if index + 1 < len(self.messages):
                answered = {
                    b["tool_use_id"]
                    for b in self.messages[index + 1]["content"]
                    if b.get("type") == "tool_result"
                }
            return [b for b in uses if b["id"] not in answered]
        return []
