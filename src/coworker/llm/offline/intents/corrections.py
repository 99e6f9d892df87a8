"""Taking back or correcting the coworker's last change: "undo that", "put it back",
"sorry, 15k not 12k", "make it 20k". What was changed comes from the conversation
(`memory.last_write`), never from the words.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.amounts import find_amounts
from coworker.llm.offline.dates import iso
from coworker.llm.offline.intents.common import I, Intent, make_intent

UNDO = re.compile(
    r"^(?:(?:oops|sorry|no|wait|actually|my bad)[,!.]?\s+)*(?:(?:wrong one|my mistake)[,!.]?\s+)?"
    r"(?:please\s+)?(?:undo|revert|reverse|take back|roll back)(?:\s+(?:that|this|it|the last "
    r"(?:one|change)|what you (?:just )?did|the change))?(?:\s*,?\s*please)?"
    r"(?:\s*[.,;]\s*(?:i meant|i mean|it was|it'?s|should be)\s+(?P<meant>.+))?$|"
    r"^(?:put|set|change)\s+(?:it|that)\s+back(?:\s+(?:how|the way)\s+it\s+was)?$",
    I,
)
AMOUNT_FIX = re.compile(
    r"^(?:(?:sorry|no|oops|actually|wait|my bad)[,!.]?\s+)*(?:i meant\s+|it'?s\s+|it should be\s+|"
    r"make (?:it|that)\s+|should be\s+)?(?P<new>[$€£]?\d[\d.,]*\s*(?:k|m|grand)?)"
    r"(?:\s*,?\s*not\s+(?P<old>[$€£]?\d[\d.,]*\s*(?:k|m|grand)?))?$",
    I,
)


# "make that 4pm", "sorry, 4:30 not 3": a time of day with its am/pm or its minutes.
TIME_FIX = re.compile(
    r"^(?:(?:sorry|no|oops|actually|wait|my bad)[,!.]?\s+)*(?:make (?:it|that)\s+|"
    r"change (?:it|that) to\s+|move (?:it|that) to\s+|i meant\s+|it'?s\s+|should be\s+)?(?:at\s+)?"
    r"(?P<h>\d{1,2})(?:(?::(?P<m>\d{2}))\s*(?P<ap1>am|pm)?|\s*(?P<ap2>am|pm))"
    r"(?:\s*,?\s*not\s+(?:at\s+)?\d{1,2}(?::\d{2})?\s*(?:am|pm)?)?$",
    I,
)


def _time_fix(text: str) -> Intent | None:
    m = TIME_FIX.match(text)
    if not m or not (
        re.match(r"^(?:sorry|no|oops|actually|wait|make|change|move|i meant)", text, I)
        or "not" in text.lower()
    ):
        return None
    hour, minute = int(m["h"]), int(m["m"] or 0)
    half = (m["ap1"] or m["ap2"] or "").lower()
    if hour > 23 or minute > 59 or (half and not 1 <= hour <= 12):
        return None
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    return make_intent("correct_time", hour=hour, minute=minute, time_raw=m.group(0))


def amend(intent: Intent, fix: Intent) -> Intent | None:
    """A request not yet done, with the person's correction of one of its values ("make that
    4pm" while "follow up with Luis tomorrow at 3pm?" waits): None when it has no such value."""
    if fix.kind == "correct_time" and intent.get("due"):
        due = datetime.fromisoformat(str(intent.get("due")))
        moved = due.replace(hour=fix.get("hour"), minute=fix.get("minute"), second=0)
        return make_intent(intent.kind, **{**intent.slots, "due": iso(moved), "amended": True})
    if fix.kind == "correct_value" and intent.get("value") is not None:
        slots = {**intent.slots, "value": fix.get("value"), "value_raw": fix.get("value_raw")}
        slots["amended"] = True
        return make_intent(intent.kind, **slots)
    return None


def correction_request(cmd: str) -> Intent | None:
    text = cmd.strip().rstrip("?!. ")
    undo = UNDO.match(text)
    if undo:
        return make_intent("undo", meant=undo["meant"])
    moved = _time_fix(text)
    if moved is not None:
        return moved
    fix = AMOUNT_FIX.match(text)
    if fix and (fix["old"] or re.match(r"^(?:sorry|no|oops|actually|make|i meant)", text, I)):
        amounts = find_amounts(fix["new"])
        if amounts:
            return make_intent("correct_value", value=amounts[0].value, value_raw=amounts[0].text)
    return None
