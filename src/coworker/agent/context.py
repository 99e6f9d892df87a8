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


def _starts_cleanly(message: Message) -> bool:
    return message["role"] == "user" and any(
        block.get("type") != "tool_result" for block in message["content"]
    )


def window(messages: list[Message], limit: int = MAX_WINDOW_MESSAGES) -> list[Message]:
    if len(messages) <= limit:
        return messages
    for start in range(len(messages) - limit, len(messages)):
        if _starts_cleanly(messages[start]):
            return messages[start:]
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
