"""A waiting text's or email's day or time revised in words: "actually make it wednesday,
same time", "change the time to 4pm", "sorry make it thursday 3pm", "it's at 3pm actually,
send that".

The one day phrase and the one time of day in the waiting words are replaced by the ones
said, verbatim; everything else stays as the person wrote it. When the words hold no such
phrase, or more than one ("tuesday or thursday?"), which to change is not guessed: the
revision is reported as unclear, so the reply can ask and say the card is unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coworker.llm.offline.date_patterns import WEEKDAYS
from coworker.llm.offline.engine import Call

_RELATIVE = r"today|tonight|tomorrow|tmrw|tmr|tmw|tomorow"
_DAYS = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
# A day said in the revision (any weekday spelling) ...
_DAY_SAID = rf"(?:next\s+|this\s+)?(?:{_DAYS}|{_RELATIVE})"
# ... and one found in the waiting words: not "sat"/"sun", which are words too, nor "today"
# ("thanks for the time today" names no meeting)
_DAY_IN_WORDS = re.compile(
    rf"(?<![\w'])(?:next\s+|this\s+)?(?:{'|'.join(d for d in WEEKDAYS if d not in ('sat', 'sun'))}"
    r"|tomorrow|tmrw|tmr|tmw|tomorow)(?![\w'])",
    re.I,
)
_TIME_SAID = r"\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}:\d{2}|noon"
_LEAD = r"(?P<lead>(?:(?:actually|no|nah|nope|sorry|oops|wait|eh|hmm|ok|okay|my bad)[\s,.!-]+)+)?"
_VERB = (
    r"(?P<verb>(?:make (?:it|that)|change (?:it|that) to|change the (?:day|date|time) to|"
    r"move (?:it|that) to|it'?s|it is|should be|i meant|meant)\s+)?"
)
_WHEN = (
    rf"(?:(?:on|for|at)\s+)?(?:(?P<day>{_DAY_SAID})(?:\s*,?\s*(?:at\s+|@\s*)?(?P<time>{_TIME_SAID}))?"
    rf"|(?P<time2>{_TIME_SAID})(?:\s+(?:on\s+)?(?P<day2>{_DAY_SAID}))?)"
)
_TAIL = (
    r"(?:\s*,?\s*same (?:time|day))?(?:\s*,?\s*(?:instead|actually|then))?"
    r"(?:\s*[,.;-]?\s*(?:(?:and|then|pls|please|ok)\s+)*(?:send|resend|re-send)\s+(?:that|it|this)"
    r"(?:\s+(?:then|now|pls|please))?)?[\s.!]*$"
)
_REVISED = re.compile(rf"^{_LEAD}{_VERB}{_WHEN}{_TAIL}", re.I)
# A time in the waiting words: "3pm", "3:30", or an hour said after "at"/"to"/"by" at the
# end of a clause or before a day ("can we move our call to 3?", "the demo's at 2 tmrw"),
# never a count ("to 3 people")
_HOUR_END = rf"(?=\s*(?:[?.!,;]|$|(?:{_DAY_SAID})\b))"
TIME_IN_WORDS = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b|"
    rf"(?<=\bat )\d{{1,2}}\b{_HOUR_END}|(?<=\bto )\d{{1,2}}\b{_HOUR_END}|"
    rf"(?<=\bby )\d{{1,2}}\b{_HOUR_END}|(?<=@)\s?\d{{1,2}}\b{_HOUR_END}",
    re.I,
)


@dataclass(frozen=True)
class Rescheduled:
    """The revised words, or None when which words to change is unclear."""

    words: str | None


def rescheduled(pending: Call | None, said: str) -> Rescheduled | None:
    """The waiting message's words with the day and/or time said, or None when `said` is not
    such a revision (or no text or email waits)."""
    if pending is None or pending.name not in ("send_email", "send_sms"):
        return None
    m = _REVISED.match(said.strip())
    if m is None or not (m["lead"] or m["verb"]):
        return None  # a bare "wednesday" may answer something else
    day, time = m["day"] or m["day2"], m["time"] or m["time2"]
    key = "body_text" if pending.name == "send_email" else "message"
    words: str | None = str(pending.input.get(key) or "")
    if day:
        words = _replaced(words, _DAY_IN_WORDS, day)
    if time and words is not None:
        words = _replaced(words, TIME_IN_WORDS, time, carry_half=True)
    return Rescheduled(words)


def _replaced(
    words: str | None, pattern: re.Pattern[str], new: str, carry_half: bool = False
) -> str | None:
    if words is None:
        return None
    found = list(pattern.finditer(words))
    if len(found) != 1:
        return None
    hit = found[0]
    taken = hit.group(0)
    if carry_half and new[-1:].isdigit() and taken[-2:].lower() in ("am", "pm"):
        new += taken[len(taken.rstrip("apmAPM")) :]  # "3" for "2pm": 3pm
    return words[: hit.start()] + new + words[hit.end() :]
