"""Reading the request the loop sends: the person's clock, the episodes, the tool results.

The offline model keeps no state between turns; everything it knows is recomputed from the
windowed transcript, exactly like Claude. An *episode* is one message from the person (the
last user message with text) and the tool calls made for it since; its results come back
as `tool_result` blocks, found by `tool_use_id` wherever the loop put them (an approval's
result can share a user message with the next request).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from anthropic.types import ToolResultBlockParam, ToolUseBlockParam

from coworker.llm.base import Message, is_tool_result, is_tool_use
from coworker.llm.decisions import LateDecision, read_late_decision

_CLOCK = re.compile(
    r"\((\d{4}-\d{2}-\d{2})\);\s*the time is (\d{1,2}):(\d{2}) in ([A-Za-z0-9_+\-/]+)"
)
_USER = re.compile(r"You work for (.+?) inside their")


@dataclass(frozen=True)
class Clock:
    """The person's now, in their timezone, as the system prompt states it."""

    now: datetime
    zone: ZoneInfo
    user_name: str | None = None


def read_clock(system: str, override: datetime | None = None) -> Clock:
    """Today and the timezone from the system prompt; UTC and the real now as fallbacks."""
    zone = ZoneInfo("UTC")
    local: datetime | None = None
    m = _CLOCK.search(system or "")
    if m:
        try:
            zone = ZoneInfo(m[4])
        except (KeyError, ValueError):
            zone = ZoneInfo("UTC")
        try:
            day = datetime.fromisoformat(m[1])
            local = day.replace(hour=int(m[2]), minute=int(m[3]), tzinfo=zone)
        except ValueError:
            local = None
    if override is not None:
        local = override.astimezone(zone) if override.tzinfo else override.replace(tzinfo=zone)
    if local is None:
        local = datetime.now(UTC).astimezone(zone)
    user = _USER.search(system or "")
    name = user[1].strip() if user else None
    if name == "the person you work for":
        name = None
    return Clock(local, zone, name)


_RESULT_PREFIX = re.compile(r"^The person approved this(?: with their edits to [^.]*)?\.\s*")
_DONE = re.compile(
    r"^(?:It was done\. |The CRM answered late, but its history shows it was done\.)"
)
# An approved action whose effect changed since the card (the gate's `stale`): what the
# person is told, e.g. "The phone for Jane Smith changed from ... since you saw the card;
# nothing was sent."
_STALE = re.compile(r"It was NOT run\. (.*? since you saw the card; [^.]*\.)", re.S)


@dataclass
class Result:
    """One tool's answer as the interpreter reads it.

    The JSON is parsed on first use: a long transcript holds many results and most turns
    read only the last few.
    """

    name: str
    input: dict[str, Any]
    content: str
    is_error: bool
    payload: str | None = None  # the JSON text of the CRM's answer, if there is one
    # approved | rejected | superseded | expired | unknown | failed | stale | waiting
    decision: str | None = None
    done_without_data: bool = False

    @cached_property
    def data(self) -> dict[str, Any] | None:
        if self.payload is None:
            return {} if self.done_without_data else None
        parsed = _json(self.payload)
        if parsed is None and self.done_without_data:
            return {}
        return parsed

    @property
    def ok(self) -> bool:
        return not self.is_error and self.data is not None

    def items(self, key: str) -> list[dict[str, Any]]:
        value = (self.data or {}).get(key)
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    def record(self, key: str) -> dict[str, Any] | None:
        value = (self.data or {}).get(key)
        return value if isinstance(value, dict) else None


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b.get("text", "") for b in content if isinstance(b, dict))
    return ""


def _json(text: str) -> dict[str, Any] | None:
    text = text.strip()
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def read_result(use: ToolUseBlockParam, block: ToolResultBlockParam | None) -> Result:
    """A `Result` for a tool_use and its tool_result (None: not answered)."""
    name = str(use.get("name", ""))
    arguments = use.get("input") if isinstance(use.get("input"), dict) else {}
    if block is None:
        return Result(name, dict(arguments or {}), "", True, decision="missing")
    content = _text_of(block.get("content"))
    is_error = bool(block.get("is_error"))
    decision: str | None = None
    payload: str | None = None
    done = False
    if content.startswith("The person approved this"):
        decision = "approved"
        rest = _RESULT_PREFIX.sub("", content)
        if is_error and _STALE.search(rest):
            decision = "stale"
        elif is_error and rest.startswith("It was NOT run"):
            decision = "failed"  # nothing ran (the CRM could not be read first)
        elif is_error:
            decision = "unknown" if "unknown" in rest or "did not answer" in rest else "failed"
        else:
            marker = rest.find("Result: ")
            payload = rest[marker + 8 :] if marker >= 0 else None
            done = bool(_DONE.match(rest))
    elif content.startswith("The person rejected this"):
        decision = "rejected"
    elif content.startswith("Waiting for the person's approval"):
        decision = "waiting"  # the card still waits; its outcome comes as a note later
    elif content.startswith("Not executed"):
        decision = "expired" if "expired" in content else "superseded"
    elif content.startswith("Approved, but the CRM did not answer"):
        decision = "unknown"
    elif not is_error:
        payload = content
    return Result(name, dict(arguments or {}), content, is_error, payload, decision, done)


def stale_change(result: Result) -> str:
    """What changed since the card, as the person is told it ("" if not stale)."""
    m = _STALE.search(result.content)
    return m[1].strip() if m else ""


def rejection_reason(result: Result) -> str | None:
    m = re.search(r'Their reason: "(.*)"\.?$|Reason: (.+)$', result.content, re.S)
    if not m:
        return None
    reason = (m[1] or m[2] or "").strip()
    return None if reason in ("", "None") else reason


@dataclass
class Step:
    """One assistant turn's tool calls and their results, in the order they were asked."""

    uses: list[ToolUseBlockParam]
    results: list[Result]
    text: str = ""


@dataclass
class Episode:
    """One message from the person and what was done for it."""

    request: str
    steps: list[Step] = field(default_factory=list)
    final_text: str = ""  # the reply that closed it (empty while it is still running)


def episodes(messages: list[Message]) -> list[Episode]:
    """The conversation cut into episodes, oldest first (tool calls before any text dropped)."""
    results: dict[str, ToolResultBlockParam] = {}
    for message in messages:
        if message.get("role") == "user" and isinstance(message.get("content"), list):
            for block in message["content"]:
                if isinstance(block, dict) and is_tool_result(block):
                    results[str(block.get("tool_use_id"))] = block
    out: list[Episode] = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, str):
            content = [{"type": "text", "text": content}]
        if not isinstance(content, list):
            continue
        if message.get("role") == "user":
            texts = [
                str(b.get("text", ""))
                for b in content
                if isinstance(b, dict) and b.get("type") == "text"
            ]
            notes = [n for t in texts if (n := read_late_decision(t)) is not None]
            texts = [t for t in texts if read_late_decision(t) is None]
            out.extend(_decided_late(note, out) for note in notes)
            if texts:
                out.append(Episode("\n".join(texts)))
            continue
        if not out:
            continue
        episode = out[-1]
        uses = [b for b in content if isinstance(b, dict) and is_tool_use(b)]
        text = "".join(
            str(b.get("text", ""))
            for b in content
            if isinstance(b, dict) and b.get("type") == "text"
        )
        if uses:
            step_results = [read_result(u, results.get(str(u.get("id")))) for u in uses]
            episode.steps.append(Step(uses, step_results, text))
        elif text:
            episode.final_text = text
    return out


def _decided_late(note: LateDecision, earlier: list[Episode]) -> Episode:
    """A decision that came after the person wrote again (`llm/decisions.py`): the episode
    that proposed the call is played again with the decision as the call's result, so the
    reply is the one an approval in the same turn gets."""
    block: ToolResultBlockParam = {
        "type": "tool_result",
        "tool_use_id": note.tool_use_id,
        "content": note.text,
    }
    if note.is_error:
        block["is_error"] = True
    for episode in reversed(earlier):
        for index, step in enumerate(episode.steps):
            ids = [str(u.get("id")) for u in step.uses]
            if note.tool_use_id in ids:
                at = ids.index(note.tool_use_id)
                results = list(step.results)
                results[at] = read_result(step.uses[at], block)
                steps = [*episode.steps[:index], Step(step.uses, results, step.text)]
                return Episode(episode.request, steps)
    use: ToolUseBlockParam = {
        "type": "tool_use",
        "id": note.tool_use_id,
        "name": note.tool,
        "input": {},
    }
    return Episode("", [Step([use], [read_result(use, block)])])  # its proposal is out of sight


def last_tool_use_id(messages: list[Message]) -> str:
    for message in reversed(messages):
        content = message.get("content")
        if message.get("role") == "assistant" and isinstance(content, list):
            for block in reversed(content):
                if isinstance(block, dict) and block.get("type") == "tool_use":
                    return str(block.get("id", ""))
    return ""
