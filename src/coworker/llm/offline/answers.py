"""Reading the person's reply to a question the plan asked: which option it picks, if any.

A plan that stops to ask ("which Chris?") is replayed with the answer; this module decides
whether a message answers the open question at all ("the one at Initech", "2", "yes",
"not parker, the other one") and which option it names. It reads only the question and the
words, never the CRM, so the interpreter can match answers before any plan runs.
"""

from __future__ import annotations

import re

from coworker.llm.offline.engine import Option, Question
from coworker.llm.offline.names import is_ruled_out, negated_names
from coworker.llm.offline.text import similarity
from coworker.llm.offline.vocab import COMMON_WORDS, NUMBER_WORDS

Answer = Option | str


_ORDINAL = re.compile(
    r"\b(?:(?P<word>first|second|third|fourth|fifth|sixth|seventh|eighth|1st|2nd|3rd|4th|5th|"
    r"6th|7th|8th|last|latter|former|top|bottom|one|two|three|four|five|six|seven|eight)\b|"
    r"(?:^|#|\bnumber\s*|\bno\.?\s*|\boption\s*)(?P<num>[1-9])\b)",
    re.I,
)
_YES = re.compile(
    r"^(?:yes|yeah|yep|yup|sure|correct|right|that'?s (?:her|him|them|it|the one|right|"
    r"correct)|exactly|y|ok|okay|that one|go ahead|please do|do it|indeed|affirmative|"
    r"uh huh|yes please)\b",
    re.I,
)
# A reply that turns the one option offered down, whatever else it names
_DENIED = re.compile(r"^(?:no|nope|nah)\b|\b(?:wrong|not (?:that|him|her|them|this)|other one)\b")
# "the 91k one", "the other one": a word before "one" that is no counting word describes it.
_DESCRIBED_ONE = re.compile(r"\b(?!(?:the|number|option|no|just|only)\b)[\w$.,]+\s+one\b")
_ORDINAL_VALUES = {**NUMBER_WORDS, "last": -1, "latter": -1, "bottom": -1, "former": 1, "top": 1}


def match_answer(question: Question, message: str) -> Answer | None:
    """The option (or text) a reply to `question` gives, or None if it is not an answer."""
    text = message.strip()
    if not text:
        return None
    if question.kind == "text":
        return text
    options = list(question.options)
    low = text.lower().strip(" .!?")
    if len(options) == 1 and _YES.match(low):
        return options[0]
    if len(options) == 1 and _DENIED.search(low):
        return None  # "wrong noah, the one at brightline" to "did you mean Noah Walker?"
    ruled_out = negated_names(low)
    if ruled_out:
        return _not_these(question, low, ruled_out)
    scored: list[tuple[float, int]] = []
    words = [w for w in re.findall(r"[\w@.+-]+", low) if w not in COMMON_WORDS or w.isdigit()]
    for i, option in enumerate(options):
        record = option.record
        fields = [str(record.get(k) or "") for k in ("name", "company", "title", "email", "phone")]
        fields.append(option.label)
        hay = " ".join(fields).lower()
        if low == str(record.get("name", "")).lower():
            return option
        if not words:
            continue
        hits = 0.0
        hay_words = re.findall(r"[\w@.+-]+", hay)
        for w in words:
            if w in ("one", "the", "at", "from"):
                continue
            if len(w) < 2:
                # an initial: "Chris P"
                hits += 0.5 if any(h.startswith(w) for h in hay_words[1:]) else 0.0
                continue
            if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", hay):
                hits += 1
            elif len(w) >= 4 and any(similarity(w, h, 0.8) >= 0.8 for h in hay_words):
                hits += 0.8
            elif len(w) >= 3 and any(h.startswith(w) for h in hay_words):
                hits += 0.6
        if hits:
            scored.append((hits, i))
    if scored:
        scored.sort(reverse=True)
        if len(scored) == 1 or scored[0][0] > scored[1][0]:
            return options[scored[0][1]]
    m = _ORDINAL.search(low)
    if m and m["word"] and m["word"].lower() == "one" and _DESCRIBED_ONE.search(low):
        return None  # "the 91k one", "the license one": described, not counted
    if m and len(low.split()) <= 6:
        value = int(m["num"]) if m["num"] else _ORDINAL_VALUES.get(m["word"].lower(), 0)
        if value == -1:
            return options[-1]
        if 1 <= value <= len(options):
            return options[value - 1]
    return None


def _not_these(question: Question, low: str, ruled_out: list[list[str]]) -> Answer | None:
    """ "not parker, the other one", "not nathan, maya": the options left once the ones ruled
    out are gone; the one left, or the one the rest of the words name among them."""
    left = [o for o in question.options if not is_ruled_out(o.record, ruled_out)]
    if not left or len(left) == len(question.options):
        return None
    rest = low
    for words in ruled_out:
        for w in words:
            rest = re.sub(rf"\b{re.escape(w)}\b", " ", rest)
    rest = re.sub(
        r"\b(?:not|isn'?t|other than|except(?: for)?|instead of|rather than)\b", " ", rest
    )
    if any(w not in COMMON_WORDS for w in re.findall(r"[a-z]{2,}", rest)):
        return match_answer(Question(question.key, question.kind, tuple(left)), rest)
    return left[0] if len(left) == 1 else None
