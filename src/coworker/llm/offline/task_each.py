"""One follow-up task for each of two leads: "fu tasks tmrw for kwame chen and amelia okafor
pls" is two tasks, each linked to its lead, read by `split.py`.

A task said for "jane and marcus" may be one task (a call with both), so only follow-ups
said as more than one task ("fu tasks", "callback reminders") are split, and only when
each half, read on its own, is a new task that names exactly that lead. A question
("any fu tasks tmrw for X and Y?") asks for a listing and is never split.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from coworker.llm.offline.intents import classify
from coworker.llm.offline.slots import LeadRef
from coworker.llm.offline.text import Utterance

_SOMETIME = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # only the kind and the lead are read

_NAME = r"[A-Za-z][\w'.-]*(?:\s+[A-Za-z][\w'.-]*){0,2}?"
_EACH = re.compile(
    r"^(?P<head>(?:(?:pls|please)\s+)?(?:(?:set|add|make|create|put in|schedule)\s+(?:me\s+)?"
    r"(?:up\s+)?(?:two\s+|2\s+)?)?(?:fu|f/u|fup|follow[- ]?up|check[- ]in|call[- ]?back)\s+"
    r"(?:tasks|reminders)\b[^?]*?\b(?:for|with|w/?)\s+)"
    rf"(?P<a>{_NAME})\s*(?:,\s*|\s+)?(?:and|&|\+|n)\s+(?P<rest>[^?]+)$",
    re.I,
)


def each_task(part: str) -> list[str]:
    """`part` as one task per lead when it asks for a follow-up task for each of two; else []."""
    said = _EACH.match(part.strip())
    if said is None:
        return []
    head = re.sub(r"\b(task|reminder)s\b", r"\1", said["head"], flags=re.I)
    second = head + said["rest"]
    b_ref = _task_lead(second)
    if b_ref is None:
        return []
    at = said["rest"].lower().find(b_ref.lower())
    if at < 0:
        return []
    first = head + said["a"] + said["rest"][at + len(b_ref) :]
    a_ref = _task_lead(first)
    if a_ref is None or a_ref.lower() != said["a"].strip().lower():
        return []
    return [first, second]


def _task_lead(part: str) -> str | None:
    """The one lead `part` names, when it reads as a new task; else None."""
    intent = classify(Utterance.of(part), _SOMETIME)
    ref = intent.slots.get("ref")
    if intent.kind != "create_task" or not isinstance(ref, LeadRef) or ref.pronoun:
        return None
    if not ref.text or re.search(r"\b(?:and|&)\b", ref.text, re.I):
        return None
    return ref.text
