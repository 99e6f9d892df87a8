"""Several changes to the task just made or shown, said together: "make it high priority and
due fri", "bump it to urgent, due monday 10am", "and due fri" (after "make a task to ...").

Apart from `task_updates.py`, which reads one change to a task named by its words: here the
task is "it" (or nothing), the one in the conversation, and each part after the verb must
read as a priority or a due day; a part that reads as neither leaves the whole message to
the other readers, so nothing is guessed.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.dates import find_due
from coworker.llm.offline.intents.common import I, Intent, make_intent

_PRIORITY = {"urgent": "high", "top": "high", "normal": "medium", "asap": "high"}
_IT = r"(?:it|that|this|that one|this one|th(?:e|at|is) task)"
_OPENING = re.compile(
    rf"^(?:(?:oh|also|and|plus|actually|pls|please)\s+)*(?:(?:make|set|mark|change|bump|raise|"
    rf"lower|flag|put|move|push|have)\s+{_IT}\s*(?:to\s+|as\s+)?|(?={{DUE}}))(?P<rest>.+)$".replace(
        "{DUE}", r"(?:due|by|for|on)\b"
    ),
    I,
)
_PART_SPLIT = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bplus\b)\s*", I)
_VERB_IT = re.compile(
    rf"^(?:(?:make|set|mark|change|bump|raise|lower|flag|put|move|push)\s+{_IT}\s*"
    r"(?:to\s+|as\s+)?)?",
    I,
)
_A_PRIORITY = re.compile(
    r"^(?:a\s+)?(?:(?P<p>high|low|medium|urgent|normal|top)(?:\s+pri(?:ority|o)?)?|"
    r"pri(?:ority|o)\s*:?\s*(?P<p2>high|low|medium|urgent|normal|top)|(?P<asap>asap))[.!]*$",
    I,
)
_A_DUE = re.compile(r"^(?:(?:due|by|for|on)\s+)+(?P<when>.+?)[.!]*$", I)


def it_changes(cmd: str, now: datetime) -> Intent | None:
    """The priority and due day said for the task in the conversation (`phrase` None: the
    plan takes the task just made or shown, or asks which). None unless every part reads."""
    m = _OPENING.match(cmd.strip())
    if m is None or "?" in cmd:
        return None
    priority: str | None = None
    due: str | None = None
    for part in _PART_SPLIT.split(m["rest"]):
        part = _VERB_IT.sub("", part.strip())
        if not part:
            continue
        said = _A_PRIORITY.match(part)
        when = _A_DUE.match(part)
        if said and priority is None:
            word = (said["p"] or said["p2"] or said["asap"]).lower()
            priority = _PRIORITY.get(word, word)
        elif when and due is None and (day := find_due(when["when"], now)) is not None:
            due = day.iso()
        else:
            return None  # "make it high priority and call jane": a part not read, not guessed
    if due is None or (priority is None and not re.match(r"^(?:oh\s+|also\s+|and\s+)", cmd, I)):
        return None  # one change alone is `task_updates`' ("make it high priority")
    return make_intent("update_task", phrase=None, due=due, priority=priority)
