"""When a task is due, as said in its request: the due phrase, whether it is sure, and a day
gone by. Apart from `tasks.py` because people say it in more ways than once: "thurs, no
fri" (said again, shown first), "not today tho, day after tmrw" and "tmrw not today" (one
day refused beside the day meant), "call dana yday" (a day no task is due on).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from coworker.llm.offline.dates import Due, When, find_when
from coworker.llm.offline.intents.common import I

# A date said, then said again differently: "thurs, no fri", "at 3 sorry 4".
_SAID_AGAIN = re.compile(
    r"[\s,;.-]*(?:no|nope|not|sorry|i mean|i meant|actually|wait|no wait|make (?:it|that)|"
    r"or rather|correction)\b[\s,;.:-]*",
    I,
)
# "not today tho, day after tmrw", "tmrw not today": one day refused, the other meant.
_NOT_BEFORE = re.compile(r"\bnot\s+$", I)
_THEN = re.compile(r"\s*(?:tho|though)?\s*[,;.:-]?\s*(?:but|rather|instead|make it)?\s*", I)
_NOT_AFTER = re.compile(r"\s*,?\s*(?:and\s+)?not\s*", I)
# A day gone by, which no task is due on ("call dana yday").
_PAST = re.compile(r"\b(?:yesterday|yday|yest|last (?:night|week|wk))\b", I)


def task_due(text: str, now: datetime) -> tuple[Due | None, bool, re.Match[str] | None]:
    """The due phrase of `text` (the span to cut from the title), whether it must be shown
    before it is set, and a day gone by that was said."""
    found = find_when(text, now)
    said = next((w for w in found if w.has_date), found[0] if found else None)
    due = Due(said.value, said.start, said.end, said.has_time) if said else None
    # a due date gone by is a slip, or a note of what was done
    unsure = said is not None and (not said.confident or said.value < now - timedelta(minutes=5))
    dated = [w for w in found if w.has_date] or found
    refused = _refused_day(text, dated)
    if refused is not None:
        due, unsure = refused, not all(w.confident for w in dated[-2:])
    elif len(dated) >= 2 and _SAID_AGAIN.fullmatch(text[dated[-2].end : dated[-1].start]):
        # "thurs, no fri": the last one said, shown first; both cut from the title
        last = dated[-1]
        due, unsure = Due(last.value, dated[-2].start, last.end, last.has_time), True
    past = _PAST.search(text)
    return due, unsure or past is not None, past


def _refused_day(text: str, dated: list[When]) -> Due | None:
    """The day meant when the person names one they do not mean beside it; both are cut."""
    if len(dated) < 2:
        return None
    first, last = dated[-2], dated[-1]
    between = text[first.end : last.start]
    negated = _NOT_BEFORE.search(text[: first.start])
    if negated is not None and _THEN.fullmatch(between):
        return Due(last.value, negated.start(), last.end, last.has_time)
    if _NOT_AFTER.fullmatch(between):
        return Due(first.value, first.start, last.end, first.has_time)
    return None
