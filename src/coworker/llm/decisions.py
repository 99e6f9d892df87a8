"""How a decision that comes after the conversation moved on is told to the model.

A card waits until the person decides, however many messages they send meanwhile; its
`tool_use` was answered ("waiting for the person's approval") before their next message, as
the Messages API requires. When they decide, the outcome joins the conversation as a text
block of the next user message, in this one wording, which our offline model reads back
(`llm/offline/conversation.py`) to say what happened, as Claude does from the text itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coworker.llm.base import Block

_NOTE = re.compile(
    r"^\[Decision on an earlier request: (?P<tool>[\w.-]+) \(action (?P<action>[\w-]+), "
    r"tool_use (?P<use>[\w-]+)\)\] (?P<text>.*)$",
    re.S,
)


@dataclass(frozen=True, slots=True)
class LateDecision:
    tool: str
    action_id: str
    tool_use_id: str
    text: str  # what the tool_result would have said, had it been decided at once
    is_error: bool


def late_decision_block(decision: LateDecision) -> Block:
    flag = " (not done)" if decision.is_error else ""
    return {
        "type": "text",
        "text": (
            f"[Decision on an earlier request: {decision.tool} (action {decision.action_id}, "
            f"tool_use {decision.tool_use_id})] {decision.text}{flag}"
        ),
    }


def read_late_decision(text: str) -> LateDecision | None:
    """The note written by `late_decision_block`, or None for anything else."""
    found = _NOTE.match(text)
    if found is None:
        return None
    said = found["text"]
    failed = said.endswith(" (not done)")
    return LateDecision(
        found["tool"],
        found["action"],
        found["use"],
        said.removesuffix(" (not done)"),
        failed,
    )
