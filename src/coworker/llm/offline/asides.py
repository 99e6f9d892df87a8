"""What a message says around its requests: the reason for one, or a slip owned up to.

"zoe moreau is a dud, no budget til 2028. mark her unqualified" asks for one change; the
first sentence is why. "ugh sorry i meant hannah watson. put phillips back to qualified and
mark watson unqualified" owns up to a slip, then says what to do. Writing such words down
(a note on Zoe) or failing the message because they are not a request would both be wrong:
they are set aside, and only lend their lead to a later "her". Only a statement before a
request that opens with its verb is set aside; a call reported in so many words ("left vm
for priya. remind me ...") is logged, as it always was.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from coworker.llm.offline.intents import Intent, classify
from coworker.llm.offline.intents.notes import lead_opening
from coworker.llm.offline.text import Utterance

# The verbs that open a request.
VERBS = (
    r"remind|tag|untag|mark|email|e-mail|text|sms|log|create|add|move|send|update|set|"
    r"schedule|put|change|enroll|open|close|delete|remove|complete|show|list|find|tell|let|"
    r"ping|make|bump|push|"
    # "mark luis contacted. should i also move priya to qualified?": a question of its own
    r"(?:should|shd) (?:i|we)"
)
LED_BY_VERB = re.compile(rf"^(?:please\s+|pls\s+|can you\s+|could you\s+)?(?:{VERBS})\b", re.I)
_SLIP = re.compile(
    r"^(?:(?:ugh|argh|oops|whoops|sorry|my bad|oh|wait|no|nope|actually)\b[\s,.!-]*)*"
    r"(?:i\s+)?(?:meant|mean|got the wrong|wrong (?:one|person|lead|guy|gal))\b",
    re.I,
)
_MEANT = re.compile(r"\bmeant\s+(?P<name>[a-z][\w'.-]*(?:\s+(?!not\b)[a-z][\w'.-]*)?)", re.I)
# A call or a note said in so many words: "olivia not interested, call back q3" is a call
_REPORTED = re.compile(
    r"\b(?:log|note|call|called|calls|spoke|talked|chatted|got off|met|meeting|mtg|vm|"
    r"voicemail|rang|phoned|demo|convo|conversation|heard back)\b",
    re.I,
)
# Readings a statement falls back to when it is no request: nothing, or a lookup of its words
_STATEMENT_KINDS = frozenset({"unsupported", "noise", "unknown_status", "find_leads"})
_SOMETIME = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # classify wants a now; these don't use it


def set_aside(parts: list[str]) -> tuple[list[str], list[str]]:
    """The requests to do, and what was said only as their reason or as a slip."""
    kept: list[str] = []
    aside: list[str] = []
    for index, part in enumerate(parts):
        request_follows = any(LED_BY_VERB.match(later) for later in parts[index + 1 :])
        if request_follows and not LED_BY_VERB.match(part) and _only_context(part):
            aside.append(part)
        else:
            kept.append(part)
    return kept, aside


def statement_lead(part: str) -> str | None:
    """The lead a statement said as a reason or a slip is about ("luis is a dud": luis;
    "sorry i meant dana whitfield": dana whitfield); None for anything else."""
    if LED_BY_VERB.match(part):
        return None
    meant = _MEANT.search(part) if _SLIP.match(part) else None
    if meant:  # a slip, whether or not it reads as taking a change back on its own
        return meant["name"]
    if _intent_of(part).kind not in _STATEMENT_KINDS:
        return None
    return lead_opening(part) or None


def not_logged(reason: str) -> bool:
    """Whether `reason`, set aside, reads as a note (so the reply says it was not logged)."""
    return _intent_of(reason).kind == "add_note"


def _only_context(part: str) -> bool:
    if _SLIP.match(part):
        return True
    if _intent_of(part).kind == "add_note":
        return not _REPORTED.search(part)
    return statement_lead(part) is not None


def _intent_of(part: str) -> Intent:
    return classify(Utterance.of(part), _SOMETIME)
