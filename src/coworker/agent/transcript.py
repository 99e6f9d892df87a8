"""The stored conversation, kept valid for the Messages API at every step.

The rule the whole agent rests on: every `tool_use` gets exactly one `tool_result`, in the
user message right after it. Results and new text that arrive later (an approval, a new
message) are merged into that trailing user message, tool results first.
"""

from __future__ import annotations

from typing import Any, Protocol

from coworker.llm.base import Block, Message


class MessageStore(Protocol):
    async def load_messages(self, conversation_id: str) -> list[dict[str, Any]]: ...
    async def append_messages(
        self,
        conversation_id: str,
        messages: list[dict[str, Any]],
        usage: dict[str, Any] | None = None,
    ) -> None: ...
    async def replace_last_message(self, conversation_id: str, message: dict[str, Any]) -> None: ...


def _ordered(blocks: list[Block]) -> list[Block]:
    results = [b for b in blocks if b.get("type") == "tool_result"]
    return results + [b for b in blocks if b.get("type") != "tool_result"]


class Transcript:
    def __init__(self, store: MessageStore, conversation_id: str, messages: list[Message]) -> None:
        self.store = store
        self.conversation_id = conversation_id
        self.messages = messages

    @classmethod
    async def load(cls, store: MessageStore, conversation_id: str) -> Transcript:
        return cls(store, conversation_id, await store.load_messages(conversation_id))

    async def add_user_blocks(self, blocks: list[Block]) -> None:
        if not blocks:
            return
        if self.messages and self.messages[-1]["role"] == "user":
            merged = {"role": "user", "content": _ordered([*self.messages[-1]["content"], *blocks])}
            self.messages[-1] = merged
            await self.store.replace_last_message(self.conversation_id, merged)
            return
        message = {"role": "user", "content": _ordered(list(blocks))}
        self.messages.append(message)
        await self.store.append_messages(self.conversation_id, [message])

    async def add_assistant(
        self, content: list[Block], usage: dict[str, int] | None = None
    ) -> None:
        message = {"role": "assistant", "content": content}
        self.messages.append(message)
        await self.store.append_messages(self.conversation_id, [message], usage=usage)

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
