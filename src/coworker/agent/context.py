"""What the model sees of a conversation: the system prompt and a window of the history.

Long conversations are cut at a clean boundary (a user message that is not only tool
results), so tool_use/tool_result pairs are never split. The window's start moves rarely,
which keeps the cached prefix (tools, system, older history) reusable turn after turn.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from coworker.llm.base import Message

MAX_WINDOW_MESSAGES = 60


def can_start_window(message: Message) -> bool:
    """Whether a window may begin at `message`: a user message with something besides tool
    results (what it would keep once its results, whose calls lie before it, are cut)."""
    return message["role"] == "user" and any(
        b.get("type") != "tool_result" for b in message["content"]
    )


def window(messages: list[Message], limit: int = MAX_WINDOW_MESSAGES) -> list[Message]:
    """The last `limit` or so messages, starting at a user message with no orphaned results.

    A user message can hold tool results *and* new text (results are merged into it), so the
    window's first message is cut down to its non-result blocks: the calls those results
    answer lie before the window, and the API refuses a result without its call.

    `messages` need not be the whole transcript: a suffix of it that begins at a message
    `can_start_window` accepts and is longer than `limit` gives the same window, whatever
    is appended to both (`transcript.load_recent` loads such a suffix, not the history).
    """
    if len(messages) <= limit:
        return messages
    first = len(messages) - limit
    for start in [*range(first, len(messages)), *range(first - 1, -1, -1)]:
        message = messages[start]
        if can_start_window(message):
            kept = [b for b in message["content"] if b.get("type") != "tool_result"]
            return [{"role": message["role"], "content": kept}, *messages[start + 1 :]]
    return messages[-1:]


@cache
def load_prompt(name: str) -> str:
    return resources.files("coworker.prompts").joinpath(name).read_text("utf-8")


def system_prompt(*, user_name: str | None, timezone: str, now: datetime) -> str:
    """The system prompt with today's date and the person's timezone filled in."""
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone, timezone = ZoneInfo("UTC"), "UTC"
    local = now.astimezone(zone)
    return load_prompt("system.md").format(
        today=local.strftime("%A %d %B %Y"),
        now=local.strftime("%H:%M"),
        iso_today=local.date().isoformat(),
        timezone=timezone,
        user_name=user_name or "the person you work for",
    )
