"""New words for the message that is waiting on its card: "actually make it: see u at 3:30",
"change the subject to: Q1 pricing", "make it say running late instead".

The person writes instead of pressing Edit. The new words are taken verbatim from the raw
message (never the shorthand-expanded or trimmed reading), and only the card's own text or
subject changes: the plan (`plans.revisions`) proposes the same message with the new words,
which replaces the old card, so the old words can no longer be approved by mistake.

Only a lead-in that clearly introduces words (a colon or quotes after "make it", or a verb
of saying: "make it say", "have it read") is read here: "make it 4pm" and "make it 25k"
correct a time or an amount and belong to `corrections`.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I, Intent, make_intent

_OOPS = (
    r"(?:(?:actually|no|nah|nope|wait|sorry|oops|hmm|um|ok|okay|instead|on second thought|"
    r"scratch that|change of plan)[\s,.!-]+)*(?:(?:pls|please|can (?:you|u)|could (?:you|u))\s+)?"
)
_WHAT = r"(?:it|that|the (?:text|message|msg|sms|email|e-?mail|body|wording|note))"
# A lead-in followed by a colon, a dash or quotes: what comes after is the new wording.
_MARKED = re.compile(
    rf"^{_OOPS}(?:make {_WHAT}|change {_WHAT} to|change {_WHAT}|reword {_WHAT}(?: to| as)?|"
    rf"use this instead|send this instead|say this instead|instead say|say|write)"
    r"\s*(?::|\s-\s|—|–)\s*(?P<words>.+)$",
    I | re.S,
)
_QUOTED = re.compile(
    rf"^{_OOPS}(?:make {_WHAT}|change {_WHAT} to|reword {_WHAT}(?: to| as)?|make {_WHAT} say|"
    rf"have {_WHAT} (?:say|read)|say)\s*(?P<q>[\"“'])(?P<words>.+?)[\"”']\s*(?:instead)?[.!]*$",
    I | re.S,
)
# A verb of saying needs no colon: "make it say running late instead".
_SAYING = re.compile(
    rf"^{_OOPS}(?:make {_WHAT} (?:say|read)|have {_WHAT} (?:say|read)|let {_WHAT} say)\s+"
    r"(?P<words>.+?)(?:\s+instead)?$",
    I | re.S,
)
_SUBJECT = re.compile(
    rf"^{_OOPS}(?:change|make|set|use)\s+the\s+subject(?:\s+line)?\s*(?:to\s*:?|:|as|-)\s*"
    r"(?P<q>[\"“'])?(?P<words>.+?)(?(q)[\"”'])$",
    I | re.S,
)


def revise_request(raw: str) -> Intent | None:
    """New words for the waiting message, as the person wrote them (None: not a revision)."""
    text = raw.strip()
    subject = _SUBJECT.match(text)
    if subject is not None:
        return make_intent("revise_message", subject=subject["words"].strip())
    for pattern in (_QUOTED, _MARKED, _SAYING):
        m = pattern.match(text)
        if m is not None and m["words"].strip(" \"“”'"):
            return make_intent("revise_message", text=_unquoted(m["words"].strip()))
    return None


def _unquoted(words: str) -> str:
    if len(words) > 1 and words[0] in "\"“'" and words[-1] in "\"”'":
        return words[1:-1].strip()
    return words
