"""Two questions in one message, each answered in order: "whats maya's phone # and anything
in her notes", "quick rundown on tariq, whats his number", "who's the coo at sterling cooper
and whose lead is she", "book me a flight, and whats evelyn's email". The request splitter
(`split.py`) cuts before a verb; a question starts with a question word instead, so it is
cut here, and only there: never inside a message or a note (anything after a colon or a
quote), and only when what follows is a question of its own.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from coworker.llm.offline.intents import classify
from coworker.llm.offline.text import Utterance
from coworker.llm.offline.unread_parts import MISREAD, out_of_scope

_ASKS = (
    r"(?:what'?s|whats|what is|what are|what about|who'?s|whos|who is|whose|who|when'?s|"
    r"when is|where'?s|where is|how many|how much|how'?s|is (?:she|he|it|that)|"
    r"does (?:she|he|it)|did (?:she|he|i|we)|any(?:thing|one)? (?:in|on|from|new)|"
    r"anything (?:i|we) should|and (?:her|his|their))\b"
)
_CUT = re.compile(
    rf"(?:\s*,\s*(?:and\s+|&\s*)?|\s+(?:and|\+|&)\s+|\s*\?\s*(?:and\s+)?|[.;!]+\s+)(?={_ASKS})",
    re.I,
)
_PAYLOAD = re.compile(r"[:\"“”']\s|[\"“”]")


def question_parts(text: str) -> list[str]:
    """The questions in `text`, in order; `[text]` when it asks one thing (or carries words
    to send or store, which are never cut)."""
    if _PAYLOAD.search(text):
        return [text]
    parts: list[str] = []
    start = 0
    for cut in _CUT.finditer(text):
        before = text[start : cut.start()].strip()
        if len(before.split()) >= 2:
            parts.append(before)
            start = cut.end()
    rest = text[start:].strip()
    if not parts or len(rest.split()) < 2:
        return [text]
    parts.append(rest)
    return parts if all(_read(part) for part in parts) else [text]


def _read(part: str) -> bool:
    """A part that is a request of its own: read, or refused as out of scope; a part read
    as nothing ("did marcus reply about the team plan") keeps the message whole."""
    intent = classify(Utterance.of(part), datetime.now(UTC))
    return intent.kind not in MISREAD or out_of_scope(intent)
