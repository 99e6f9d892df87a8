"""Many tasks moved at once ("push all my overdue tasks to tomorrow", "move everything due
today to monday 9am"): which tasks, named by when they are due, and the day they go to.

Only a group named by its due date is read here; "move the pricing task to friday" is one
task (`task_updates`). The plan shows every task with its new time and asks first, as every
change to several records does (`trust.write_all`).
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.dates import find_when
from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.text import Utterance

_VERB = r"(?:push|move|bump|reschedule|shift|roll|slide|kick|punt|carry)"
_GROUP = r"(?:all|every|each)\s+(?:of\s+)?(?:(?:my|the)\s+)?|my\s+|the\s+"
_WHICH = (
    r"(?:(?:that\s+(?:are|is)\s+|that'?s\s+|thats\s+|still\s+)?(?:due\s+today|overdue|late|"
    r"past[- ]due|left\s+(?:over\s+)?(?:from\s+)?today))"
)
_NOUN = r"(?:tasks|to-?dos|items|fus|fu's|follow[- ]?ups|reminders|stuff)"
_TO = r"(?:to|till|until|for|over\s+to|out\s+to|onto|into)"
# "push all my overdue tasks to tomorrow", "move my tasks due today to monday",
# "bump everything that's overdue to tmrw 9am", "roll today's stuff over to tomorrow"
_MOVE_ALL = re.compile(
    rf"^{_VERB}\s+(?:"
    rf"(?:{_GROUP})?(?P<w1>overdue|late|past[- ]due|today'?s|todays)\s+{_NOUN}"
    rf"|(?:{_GROUP})?{_NOUN}\s+(?P<w2>{_WHICH})"
    rf"|(?:all|everything)\s+(?P<w3>{_WHICH})"
    rf")\s+(?:over\s+)?{_TO}\s+(?P<when>.+?)[\s.!]*$",
    I,
)


def bulk_task_move_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    m = _MOVE_ALL.match(cmd.strip())
    if m is None:
        return None
    which = (m["w1"] or m["w2"] or m["w3"] or "").lower()
    group = "today" if "today" in which else "overdue"
    said = m["when"]
    found = [w for w in find_when(said, now) if w.has_date or w.has_time]
    if len(found) != 1 or said[: found[0].start].strip() or said[found[0].end :].strip(" .!"):
        # "to next week sometime", "to whenever": not one moment read whole; asked
        return make_intent("bulk_task_move", when=group, day_text=said)
    when = found[0]
    return make_intent(
        "bulk_task_move",
        when=group,
        due=when.iso(),
        day_text=when.text,
        due_unsure=not when.confident or None,
        time_raw=when.text if when.has_time else None,  # else each task keeps its hour
    )
