"""The stored conversation, kept valid for the Messages API at every step.

The rule the whole agent rests on: every `tool_use` gets exactly one `tool_result`, in the
user message right after it. Results and new text that arrive later (an approval, a new
message) are merged into that trailing user message, tool results first.

Changes are made in memory at once and written with `save()` where they must be durable,
one strategy, in order, awaited:
- the person's message, before the model reads it;
- every step before anything with an effect (a write, a send, a pending action must never
  lack the tool_use that asked for it: after a crash, that is how the call is found);
- a write's result as soon as it is back (else "may or may not have run" would invite the
  model to do it twice);
- the whole turn before it is reported done.
The steps in between (a read tool's call and its result) are saved with whatever comes
next, in the same transaction: a crash between them loses only reads, which the next turn
can repeat, and the stored transcript is valid at every point. `settle()` saves in the
`finally` that lets go of the conversation's lock (the next turn must load all of this):
without raising, and to the end even if the caller is cancelled meanwhile.

Writes used to be queued behind the turn (write-behind) to take ~1 ms of SQLite off a
turn's path; the agent-overhead benchmark showed no gain worth the machinery
(bench/RESULTS.md, issue #15 item 6), so every save is awaited where it is made.

A turn loads the recent end of the conversation, not its history (`load_recent`): what the
model is sent is a window of it anyway (`context.window`), and everything a turn does
with the transcript looks at its last messages, so a turn costs the same at 20,000
messages as at 10.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any, Protocol

from anthropic.types import ToolUseBlockParam

from coworker.agent.context import MAX_WINDOW_MESSAGES, can_start_window
from coworker.llm.base import Block, Message, is_text, is_tool_result, is_tool_use
from coworker.store.records import StoredMessage

log = logging.getLogger("coworker.agent")


class MessageStore(Protocol):
    async def load_messages(self, conversation_id: str) -> list[Message]: ...
    async def load_latest_messages(
        self, conversation_id: str, limit: int, *, before: int | None = None
    ) -> list[StoredMessage]: ...
    async def append_messages(
        self,
        conversation_id: str,
        messages: list[Message],
        usages: Sequence[dict[str, Any] | None] | None = None,
        *,
        title: str | None = None,
    ) -> list[int]: ...
    async def replace_last_message(self, conversation_id: str, message: Message) -> None: ...


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
        self._stored = len(messages)  # messages[:_stored] are in the store
        self._stored_last_changed = False  # messages[_stored - 1] was merged into since
        self._usages: dict[int, dict[str, int]] = {}  # by index, for messages not yet written
        self.title: str | None = None  # the conversation's title, written with the next save
        self._last_seq: int | None = None  # messages[_stored - 1]'s seq, once this appended

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
            merged: Message = {
                "role": "user",
                "content": _ordered([*self.messages[-1]["content"], *blocks]),
            }
            self.messages[-1] = merged
            if len(self.messages) == self._stored:
                self._stored_last_changed = True
            return
        self.messages.append({"role": "user", "content": _ordered(list(blocks))})

    def add_assistant(self, content: list[Block], usage: dict[str, int] | None = None) -> None:
        self.messages.append({"role": "assistant", "content": content})
        if usage is not None:
            self._usages[len(self.messages) - 1] = usage

    async def save(self) -> None:
        """Bring the store up to date with everything so far: the last stored message if
        merged into since, then the new messages, in one call each."""
        if self._stored_last_changed:
            await self.store.replace_last_message(
                self.conversation_id, self.messages[self._stored - 1]
            )
            self._stored_last_changed = False
        if len(self.messages) > self._stored:
            first, last = self._stored, len(self.messages)
            usages = [self._usages.pop(index, None) for index in range(first, last)]
            title, self.title = self.title, None
            seqs = await self.store.append_messages(
                self.conversation_id, self.messages[first:], usages, title=title
            )
            if seqs:
                self._last_seq = seqs[-1]
            self._stored = last

    async def settle(self) -> None:
        """Save, for the `finally` that lets go of the lock: a failure is logged (nobody is
        left to raise it to), and a cancellation waits for the write, then goes on."""
        write = asyncio.ensure_future(self.save())
        cancelled = False
        while not write.done():
            try:
                await asyncio.wait({write})  # never cancels the write itself
            except asyncio.CancelledError:
                cancelled = True
        if not write.cancelled() and write.exception() is not None:
            log.error(
                "conversation %s: messages could not be saved (%s)",
                self.conversation_id,
                type(write.exception()).__name__,
            )
        if cancelled:
            raise asyncio.CancelledError

    def final_reply_seq(self) -> int | None:
        """The stored `seq` of the turn's final reply: the newest assistant message, unless
        the person's own words come after it (the turn ended before the model answered).
        None also when unknown: nothing saved through this transcript has a seq to count
        back from (the loaded messages are the conversation's contiguous end, so one
        known seq gives every other)."""
        if self._last_seq is None or self._stored != len(self.messages):
            return None
        for index in range(len(self.messages) - 1, -1, -1):
            message = self.messages[index]
            if message["role"] == "assistant":
                return self._last_seq - (len(self.messages) - 1 - index)
            if any(is_text(block) for block in message["content"]):
                return None
        return None

    def unanswered_tool_uses(self) -> list[ToolUseBlockParam]:
        """The last assistant message's tool_use blocks that have no tool_result yet."""
        for index in range(len(self.messages) - 1, -1, -1):
            if self.messages[index]["role"] != "assistant":
                continue
            uses = [b for b in self.messages[index]["content"] if is_tool_use(b)]
            answered: set[str] = set()
            if index + 1 < len(self.messages):
                answered = {
                    b["tool_use_id"]
                    for b in self.messages[index + 1]["content"]
                    if is_tool_result(b)
                }
            return [b for b in uses if b["id"] not in answered]
        return []
