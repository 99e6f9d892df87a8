"""What a reader makes of one message, in the shape the reader tests compare: the intent's
kind and its slots, the lead reference flattened to the words it was read from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from coworker.llm.offline.intents import classify
from coworker.llm.offline.text import Utterance

NOW = datetime(2026, 11, 26, 11, 30, tzinfo=ZoneInfo("America/New_York"))  # a Thursday


def intent(text: str) -> tuple[str, dict[str, Any]]:
    found = classify(Utterance.of(text), NOW)
    slots: dict[str, Any] = dict(found.slots)
    ref = slots.pop("ref", None)
    if ref is not None:
        slots["who"] = "<pronoun>" if ref.pronoun else ref.text.lower()
    return found.kind, slots


MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # the questions' clock


def question(text: str) -> tuple[str, dict[str, Any]]:
    """A question's reading: its kind and slots, the lead named flattened to "who"
    (lower-case words, or "pronoun")."""
    found = classify(Utterance.of(text), MONDAY)
    slots: dict[str, Any] = dict(found.slots)
    ref = slots.pop("ref", None)
    if ref is not None and (ref.text or ref.pronoun):
        slots["who"] = ref.text.lower() or "pronoun"
    return found.kind, slots
