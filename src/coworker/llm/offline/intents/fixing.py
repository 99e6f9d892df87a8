"""Corrections of the coworker's last change that `corrections` does not read alone: a day
said relative to the one just written ("no not tomorrow, the day after", "actually a day
later"), a word of a title said wrong ("typo, 14 seats not 40"), a deal's value and name
corrected together ("make it 15k and call it Acme - office rollout"), and any of these with
the person's reason after it ("make it 2pm, he has a standup in the morning").

What was changed still comes from the conversation (the plans in `plans.corrections`);
these readers only say what the person corrected, and a value they cannot place is asked
about, never written on a guess.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from coworker.llm.offline.amounts import find_amounts
from coworker.llm.offline.dates import find_when
from coworker.llm.offline.intents.common import I, Intent, calm, make_intent
from coworker.llm.offline.intents.corrections import correction_request
from coworker.llm.offline.intents.oops import OOPS

# "a day later", "the day after", "one day earlier", "the next day", "2 days later"
_SHIFT = re.compile(
    r"^(?:(?:make it|move it|push it)\s+)?(?:(?P<n>a|one|two|three|\d)\s+days?\s+(?P<dir>later|"
    r"earlier|after|before)|the\s+(?:day|one)\s+(?P<dir2>after|before)(?:\s+that)?|the next day)"
    r"(?:\s+instead)?$",
    I,
)
_COUNT = {"a": 1, "one": 1, "two": 2, "three": 3}
# "no not tomorrow, the day after": the day ruled out first, then the one meant
_NOT_THEN = re.compile(rf"^{OOPS}*not\s+(?P<old>[^,]+?)\s*,\s*(?P<new>.+)$", I)
# A reason after the correction: ", he has a standup in the morning", " because he's away"
_REASON = re.compile(
    r"(?:\s*[,;.!-]+\s*|\s+)(?:because|bc|cause|cuz|since)\s+.+$|\s*[,;.!-]+\s*(?:he|she|they|"
    r"we|i)(?:'s|'re|'m|\s+(?:has|have|is|are|was|were|will|won'?t|can'?t|cant|had|got|'ll))\b.*$",
    I,
)
# "typo, 14 seats not 40", "sorry, the q3 deck not q2": words of the title just written
_WORDS_NOT = re.compile(
    rf"^{OOPS}*(?:(?:it'?s|its|it should be|should be|should say|i meant|meant)\s+)?"
    r"(?P<new>[\w$%.'-]+(?:\s+[\w$%.'-]+){0,3}?)\s*,?\s+(?:not|instead of)\s+"
    r"(?P<old>[\w$%.'-]+(?:\s+[\w$%.'-]+){0,2})$",
    I,
)
# "make it 15k and call it Acme - office rollout", "call it X and make it 9k"
_AMOUNT = r"(?P<amount>[$€£]?\d[\d.,]*\s*(?:k|m|grand)?)"
_NAME = r"(?P<name>\S.{1,60}?)"
_CALL_IT = r"(?:call|name|rename|title)\s+it(?:\s+to)?\s+"
_VALUE_AND_NAME = (
    re.compile(rf"^{OOPS}*(?:make it|change it to|set it to)\s+{_AMOUNT}\s*,?\s+and\s+{_CALL_IT}"
               rf"{_NAME}$", I),
    re.compile(rf"^{OOPS}*{_CALL_IT}{_NAME}\s*,?\s+and\s+(?:make it|change it to|set it to)\s+"
               rf"{_AMOUNT}$", I),
)  # fmt: skip


def fix_request(text: str, now: datetime, said: str) -> Intent | None:
    """A correction of the last change in one of the shapes above, or None."""
    text, said = calm(text).strip().rstrip("?!. "), calm(said)
    return _value_and_name(text) or _shifted(text, now) or _with_reason(text, now, said)


def _value_and_name(text: str) -> Intent | None:
    for pattern in _VALUE_AND_NAME:
        m = pattern.match(text)
        amounts = find_amounts(m["amount"]) if m else []
        if m and amounts:
            name = m["name"].strip().strip("\"'“”")
            return make_intent(
                "correct_value", value=amounts[0].value, value_raw=amounts[0].text, name=name
            )
    return None


def _shifted(text: str, now: datetime) -> Intent | None:
    """ "not tomorrow, the day after": that day moved; "a day later": the due just written."""
    ruled = _NOT_THEN.match(text)
    rest = ruled["new"].strip() if ruled else re.sub(rf"^{OOPS}+", "", text + " ", flags=I)
    m = _SHIFT.match(rest.strip())
    if m is None:
        return None
    if m["n"]:
        count = _COUNT.get(m["n"].lower()) or int(m["n"])
        days = count if m["dir"].lower() in ("later", "after") else -count
    else:
        days = -1 if (m["dir2"] or "").lower() == "before" else 1
    if ruled is None:
        if not re.match(rf"^{OOPS}", text + " ", I) and not m["n"]:
            return None  # "the day after" alone may be a question
        return make_intent("correct_time", shift_days=days, time_raw=rest.strip())
    old = ruled["old"].strip()
    found = find_when(old, now)
    if len(found) != 1 or found[0].start > 0 or found[0].end < len(old):
        return None
    day = found[0].value.astimezone(now.tzinfo).date() + timedelta(days=days)
    return make_intent("correct_time", date=day.isoformat(), time_raw=text, sure=True)


def _with_reason(text: str, now: datetime, said: str) -> Intent | None:
    """ "actually make it 2pm, he has a standup in the morning": the correction, read without
    the reason after it (only a day, time or value: a reason never changes a record)."""
    reason = _REASON.search(text)
    if reason is None or reason.start() == 0:
        return None
    head = text[: reason.start()]
    fix = correction_request(head, now, said[: len(said) - (len(text) - reason.start())] or head)
    if fix is not None and fix.kind in ("correct_time", "correct_value"):
        return fix
    return None


def words_fix_request(text: str) -> Intent | None:
    """ "typo, 14 seats not 40": the plan replaces the old words in the title just written
    (only when they are there once), so nothing is written on a guess. Read late: "luis not
    priya" and "tues not thurs" are read before it as what they are."""
    text = text.strip().rstrip("?!. ")
    m = _WORDS_NOT.match(text)
    if m is None:
        return None
    new, old = m["new"].strip(), m["old"].strip()
    if re.match(r"what\b", old, I):
        return None  # "ugh no thats not what i meant": no words of a title
    if new.lower() == old.lower() or re.fullmatch(r"(?:the|a|an|it|that|this)", old, I):
        return None
    if re.fullmatch(r"no+|nope|nah|wait|sorry|oops|oh", new, I) or re.search(r"\bones?$", old, I):
        return None  # "no not the initech one": which record, not a word of the title
    return make_intent("correct_value", text=new, words=old)
