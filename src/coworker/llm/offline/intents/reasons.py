"""A note asked to carry "why": "put a note on chris saying why", "add a note with the reason".

The word "why" is no note. The reason is what the person said in the same message ("they went
w a competitor on price"), kept in their words; when the message says none, the note's text is
left unread so the plan asks for it rather than storing "why".
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I

_SAYING = r"(?:saying|explaining|giving|stating|with|w/?|about)"
# A note's words that only point at a reason: "saying why", "with the reason", "why".
_WHY = re.compile(
    rf"(?:^(?:{_SAYING}\s+)?|,?\s+{_SAYING}\s+)(?:the\s+|a\s+)?"
    r"(?:why|reasons?(?:\s+why)?|reason for it|what happened|why (?:we|they|she|he) "
    r"(?:lost|passed|said no|walked)(?: it)?)[\s.!]*$",
    I,
)


def without_why(rest: str) -> tuple[str, bool]:
    """`rest` without its pointer at a reason ("on chris saying why" -> "on chris"), and
    whether it had one."""
    m = _WHY.search(rest)
    return (rest[: m.start()], True) if m else (rest, False)


# Where the person's own requests begin ("mark it lost", "+ put a note ..."): what comes
# before is their news, and holds the reason.
_REQUEST_START = re.compile(
    r"(?:^|[,.;!:]\s*|\s+(?:and|then|also|so|\+|&)\s+|\s+)(?:pls\s+|please\s+|can you\s+|"
    r"could you\s+)?(?:mark|move|set|put|add|log|close|tag|update|change|make|create|remind|"
    r"flip|note|drop|write|record|jot)\b",
    I,
)
# A reason said with its own connective, anywhere: "because no budget", "bc they chose X".
_BECAUSE = re.compile(r"\b(?:because|bc|b/c|cause|cuz|since|due to)\s+(?P<why>[^.;!+]{3,})", I)


def reason_said(raw: str) -> str | None:
    """The reason the message gives, in the person's words, or None when it gives none."""
    because = _BECAUSE.search(raw)
    if because:
        return because["why"].strip(" ,")
    start = _REQUEST_START.search(raw)
    news = raw[: start.start()] if start else ""
    news = news.strip(" ,.;:-+&")
    return news if len(news.split()) >= 3 else None
