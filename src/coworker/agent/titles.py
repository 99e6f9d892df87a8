"""A conversation's title: the person's first request, trimmed to fit a list.

People find yesterday's conversation by what they asked in it, so the title is their own
words, not a summary a model writes: the first line of the first message, whitespace
folded, cut at a word near `MAX_TITLE_CHARS`. A conversation is named when its first
message is saved (`Coworker.chat`); one made before titles were kept is named the first
time it is listed (`fill_titles`), from its first message, once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from coworker.llm.base import is_text
from coworker.llm.decisions import read_late_decision
from coworker.store.records import ConversationRecord, StoredMessage

MAX_TITLE_CHARS = 60
# Enough of a conversation's start to find the person's first words (a summary's thread
# opens with the coworker's message; the person's reply comes after it).
_FIRST_MESSAGES = 4
_SPACE = re.compile(r"\s+")


def title_from(text: str) -> str | None:
    """The title a first message gives, or None when it says nothing (empty, spaces)."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    words = _SPACE.sub(" ", line).strip()
    if not words:
        return None
    if len(words) <= MAX_TITLE_CHARS:
        return words
    cut = words[: MAX_TITLE_CHARS - 1]
    space = cut.rfind(" ")
    if space >= MAX_TITLE_CHARS // 2:  # a word boundary not too far back
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def first_request(messages: Sequence[StoredMessage]) -> str | None:
    """The person's first words in these messages (notes for the model are not theirs)."""
    for message in messages:
        if message.role != "user":
            continue
        for block in message.content:
            if is_text(block) and read_late_decision(block["text"]) is None:
                if block["text"].strip():
                    return block["text"]
    return None


class TitleStore(Protocol):
    async def load_first_messages(
        self, conversation_id: str, limit: int
    ) -> list[StoredMessage]: ...
    async def name_conversation(self, conversation_id: str, title: str) -> bool: ...


async def fill_titles(
    store: TitleStore, conversations: Sequence[ConversationRecord]
) -> list[ConversationRecord]:
    """The conversations with a title each where their first request gives one, stored so
    the next listing reads it: at most a page's worth of small reads, once per conversation."""
    named: list[ConversationRecord] = []
    for record in conversations:
        if record.title is None:
            first = first_request(await store.load_first_messages(record.id, _FIRST_MESSAGES))
            title = title_from(first) if first else None
            if title is not None:
                await store.name_conversation(record.id, title)
                record = replace(record, title=title)
        named.append(record)
    return named
