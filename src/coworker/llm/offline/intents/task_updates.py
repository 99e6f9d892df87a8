"""Changing a task already made: "push the jane pricing task 2 days", "move the acme call to
friday", "make the proposal task high priority". Apart from `tasks.py` (creating and completing
tasks) because a change names a task by its words and says only what moves: a shift, a new due
date or a priority.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.dates import find_due
from coworker.llm.offline.intents.common import DEAL_WORDS, TASK_WORDS, I, Intent, make_intent
from coworker.llm.offline.intents.tasks import clean_task_phrase
from coworker.llm.offline.text import Utterance

# "push the jane pricing task 2 days", "bump the olivia fu a week": moved by so long from
# the day it is due on (read from the task, in the plan)
_SHIFT = re.compile(
    r"^(?:push|move|bump|delay|postpone|shift|slide|kick)\s+(?P<x>.+?)\s+(?:out\s+|back\s+)?"
    r"(?:by\s+)?(?P<n>\d{1,2}|a|an|one|two|three|four|five)\s+(?P<unit>days?|d|weeks?|wks?|w)"
    r"(?:\s+(?:out|back|later))?$",
    I,
)
_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def task_update_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    shift = _SHIFT.match(cmd)
    if shift and not re.search(rf"\b{DEAL_WORDS}\b", shift["x"], I):
        n = _COUNT.get(shift["n"].lower()) or int(shift["n"])
        days = n * (7 if shift["unit"].lower().startswith("w") else 1)
        return make_intent(
            "update_task", phrase=clean_task_phrase(shift["x"]) or None, shift_days=days
        )
    m = re.match(
        r"^(?:move|push|reschedule|postpone|delay|bump|shift|change|set|update|defer|bring forward|"
        r"pull forward|pull in|snooze|make)\s+(?:the\s+)?(?:due date (?:of|for|on)\s+|deadline "
        r"(?:of|for|on)\s+)?(?P<x>.+?)\s+(?:to|until|till|for|by|on|back to|"
        r"out to)\s+(?P<when>.+)$",
        cmd,
        I,
    )
    if m:
        due = find_due(m["when"], now)
        if due and not re.search(rf"\b{DEAL_WORDS}\b", m["x"], I):
            return make_intent(
                "update_task", phrase=clean_task_phrase(m["x"]) or None, due=due.iso()
            )
    m = re.match(
        r"^(?:make|set|mark|change|bump|raise|lower|flag)\s+(?P<x>.+?)\s+(?:to\s+|as\s+)?(?:a\s+)?"
        r"(?P<p>high|low|medium|urgent|normal|top)(?:\s+priority|\s+prio)?$",
        cmd,
        I,
    )
    if m and re.search(rf"\b{TASK_WORDS}\b|follow up|\bcall\b|proposal|\bdemo\b", m["x"], I):
        value = {"urgent": "high", "top": "high", "normal": "medium"}.get(
            m["p"].lower(), m["p"].lower()
        )
        return make_intent("update_task", phrase=clean_task_phrase(m["x"]) or None, priority=value)
    return None
