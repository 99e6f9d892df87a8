"""Changing a task already made: "push the jane pricing task 2 days", "move the acme call to
friday", "make the proposal task high priority". Apart from `tasks.py` (creating and completing
tasks) because a change names a task by its words and says only what moves: a shift, a new due
date or a priority.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.dates import find_due, find_when
from coworker.llm.offline.intents.common import DEAL_WORDS, TASK_WORDS, I, Intent, make_intent
from coworker.llm.offline.intents.task_it_changes import it_changes
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
_MOVE = r"push|move|bump|delay|postpone|shift|slide|kick|reschedule|change|snooze"
# "olivia garcia pricing fu is overdue, bump it to wed 10am", "the acme fu overdue → tmrw am":
# the task named, said to be late, then where it goes (with a verb, or an arrow alone). Only
# a late task said and then moved: "is the olivia fu overdue?" asks, and stays a question.
_LATE_THEN = re.compile(
    r"^(?P<x>[^?]+?)\s+(?:is\s+|was\s+|'s\s+|s\s+)?(?:now\s+)?(?:overdue|late|past due|"
    r"slipped|behind)\s*(?:(?:[,;.:!]+|\s-+|\s*(?:→|->|=>|>))\s*(?:(?:pls|please|so|can you|"
    rf"could you|u can|go ahead and)\s+)?(?:(?:{_MOVE})\s+(?:it|that|this|that one)\s+"
    r"(?:(?:out|back)\s+)?(?:to|until|till|for|til)?\s*)|\s*(?:→|->|=>|>)\s*)(?P<when>[^?]+)$",
    I,
)
# "move my 3pm to 4", "push my 10am to tmrw": the task due at that time, moved.
_AT_TIME = re.compile(
    rf"^(?:{_MOVE})\s+(?:my|the)\s+(?P<at>\d{{1,2}}(?::\d{{2}})?\s*(?:am|pm|a|p)?|noon)"
    r"(?:\s+(?:call|mtg|meeting|task|one|appt|appointment|today))?\s+(?:to|till|until|til|"
    r"back to|out to)\s+(?P<to>[^?]+)$",
    I,
)


def _at_time(cmd: str, now: datetime) -> Intent | None:
    """ "move my 3pm to 4": the open task due at 3pm, to 4pm on its own day; "move my 10am to
    tmrw": to tomorrow, at its own time. The plan finds the task by its time."""
    m = _AT_TIME.match(cmd)
    if m is None:
        return None
    at = find_when(f"at {m['at']}" if m["at"].lower() != "noon" else "at noon", now)
    to = m["to"].strip()
    moved = [w for w in find_when(to, now) if w.end >= len(to.rstrip(" .!")) - 1]
    if not moved and re.fullmatch(r"\d{1,2}(?::\d{2})?\s*(?:am|pm|a|p)?", to, I):
        moved = find_when(f"at {to}", now)
    if not at or not moved or not at[0].has_time:
        return None
    new = moved[-1]
    return make_intent(
        "update_task",
        hour=at[0].value.hour,
        minute=at[0].value.minute,
        due=new.value.isoformat(),
        day_text=new.text if new.has_date else None,  # the new day, when one was said
        time_raw=new.text if new.has_time else None,  # the new time, when one was said
    )


# "jane wants to push our call to thurs 2pm": the person's call with her, moved
_THEY_MOVE = re.compile(
    r"^(?P<who>[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)\s+(?:wants|asked|needs|would like|'d like|"
    r"asked me|asked us)\s+to\s+(?:push|move|reschedule|bump|shift)\s+(?:our|the|my)\s+"
    r"(?P<what>call|meeting|mtg|demo|check[- ]?in)\s+(?:to|till|until)\s+(?P<when>.+)$",
    I,
)


# "my pipeline review task has no date, make it due tmrw": the task, then its new day.
_NO_DATE_THEN = re.compile(
    r"^(?P<x>.+?)\s+(?:has|have|got|is)\s+(?:no|not got a|without a?)\s+(?:due\s+)?date\s*[,;.!-]*"
    r"\s*(?:(?:pls|please|can you|can u|could you)\s+)?(?:make|set|put|move)\s+it\s+(?:due\s+)?"
    r"(?:for\s+|on\s+|to\s+|by\s+)?(?P<when>.+)$",
    I,
)


_PRIORITY = {"urgent": "high", "top": "high", "normal": "medium"}


def _a_deal(x: str) -> bool:
    """Words naming a deal ("the pipeline"), unless they say it is a task ("my pipeline
    review task")."""
    return bool(re.search(rf"\b{DEAL_WORDS}\b", x, I)) and not re.search(rf"\b{TASK_WORDS}\b", x, I)


def task_update_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    several = it_changes(cmd, now)  # "make it high priority and due fri": the task just made
    if several is not None:
        return several
    undated = _NO_DATE_THEN.match(cmd)
    if undated and find_due(undated["when"], now):
        cmd = f"move {undated['x'].strip()} to {undated['when'].strip()}"
    moved = _THEY_MOVE.match(cmd)
    if moved and not re.fullmatch(r"i|we|you|he|she|they", moved["who"], I):
        cmd = f"move my {moved['what']} w {moved['who']} to {moved['when']}"
    late = _LATE_THEN.match(cmd)
    if late and find_due(late["when"], now) and not _a_deal(late["x"]):
        cmd = f"move {late['x'].strip()} to {late['when'].strip()}"
    by_time = _at_time(cmd, now)
    if by_time is not None:
        return by_time
    shift = _SHIFT.match(cmd)
    if shift and not _a_deal(shift["x"]):
        n = _COUNT.get(shift["n"].lower()) or int(shift["n"])
        days = n * (7 if shift["unit"].lower().startswith("w") else 1)
        return make_intent(
            "update_task", phrase=clean_task_phrase(shift["x"]) or None, shift_days=days
        )
    m = re.match(
        r"^(?:move|push|reschedule|postpone|delay|bump|shift|change|set|update|defer|bring forward|"
        r"pull forward|pull in|snooze|make)\s+(?:the\s+)?(?:due date (?:of|for|on)\s+|deadline "
        r"(?:of|for|on)\s+)?(?P<x>.+?)\s+(?:to|until|till|for|by|on|back to|"
        r"out to|due(?: on| by| for)?)\s+(?P<when>.+)$",
        cmd,
        I,
    )
    if m:
        due = find_due(m["when"], now)
        new = re.match(r"(?:a|an|another|new)\s", m["x"], I)  # "set a fu for thurs": a new one
        if due and not new and not _a_deal(m["x"]):
            return make_intent(
                "update_task", phrase=clean_task_phrase(m["x"]) or None, due=due.iso()
            )
    m = re.match(
        r"^(?:make|set|mark|change|bump|raise|lower|flag)\s+(?P<x>.+?)\s+(?:to\s+|as\s+)?(?:a\s+)?"
        r"(?P<p>high|low|medium|urgent|normal|top)(?:\s+priority|\s+prio)?$",
        cmd,
        I,
    )
    if m and re.fullmatch(r"(?:and\s+)?(?:it|that|this|that one|th(?:e|at) task)", m["x"], I):
        # "oh and make it high priority": the task just written or shown
        priority = _PRIORITY.get(m["p"].lower(), m["p"].lower())
        return make_intent("update_task", phrase=None, priority=priority)
    if m and re.search(rf"\b{TASK_WORDS}\b|follow up|\bcall\b|proposal|\bdemo\b", m["x"], I):
        value = _PRIORITY.get(m["p"].lower(), m["p"].lower())
        return make_intent("update_task", phrase=clean_task_phrase(m["x"]) or None, priority=value)
    return None
