"""Diagnostics: how a run got where it did. Reported per trial, never pass or fail.

- Hallucinated ids: an id a tool call used that is neither in the acting user's
  organisation's seeded data nor in any earlier tool result or earlier message of the
  person: the model made it up. Another organisation's ids count as made up: the model
  cannot have seen them.
- Tool-selection F1: the tools called against the case's `expect.tools`.
"""

from __future__ import annotations

import json

from coworker.evals.trial import TrialRecord
from coworker.llm.base import is_tool_use


def hallucinated_ids(record: TrialRecord) -> tuple[int, list[str]]:
    """(how many id arguments the tool calls had, those that were made up as `tool.arg=id`)."""
    seen: list[str] = []
    total = 0
    invented: list[str] = []
    for message in record.transcript:
        for block in message["content"]:
            kind = block.get("type")
            if is_tool_use(block):
                for key, value in (block.get("input") or {}).items():
                    if not (key == "id" or key.endswith("_id")) or not isinstance(value, str):
                        continue
                    total += 1
                    if value not in record.seed_ids and not any(value in text for text in seen):
                        invented.append(f"{block.get('name')}.{key}={value}")
            elif kind == "tool_result":
                content = block.get("content")
                seen.append(content if isinstance(content, str) else json.dumps(content))
            elif kind == "text" and message["role"] == "user":
                seen.append(str(block.get("text", "")))
    return total, invented


def tool_f1(record: TrialRecord) -> float | None:
    expected = record.case.expect.tools
    if expected is None:
        return None
    called = {
        str(block.get("name"))
        for message in record.transcript
        if message["role"] == "assistant"
        for block in message["content"]
        if block.get("type") == "tool_use"
    }
    if not expected and not called:
        return 1.0
    hits = len(called & expected)
    if not hits:
        return 0.0
    precision, recall = hits / len(called), hits / len(expected)
    return 2 * precision * recall / (precision + recall)
