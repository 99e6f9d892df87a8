"""Two tasks in one reminder: "remind me to call naomi harris tmrw 10am and email olivia white
thurs". Read by `split.py`: where a second task may start, and whether it does (a verb, another
lead and a date of its own); "remind me to call jane and send her the deck" stays one task."""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.intents.common import I
from coworker.llm.offline.intents.tasks import create_task_request
from coworker.llm.offline.text import Utterance

# What opens a second task in one reminder: a verb said to someone ("... and email olivia").
_ANOTHER = re.compile(
    r"^(?:call|ring|phone|email|e-mail|text|ping|send|chase|nudge|follow up with|fu w/?|"
    r"check in with|meet|book|invite)\b",
    I,
)
_LEAD_IN = re.compile(
    r"^(?:remind (?:me|us) to|(?:add|create|set|make) (?:a |me a )?(?:task|reminder) to|"
    r"task to)\s+",
    I,
)


def another_task(first: str, rest: str, now: datetime) -> str | None:
    """ "remind me to call naomi harris tmrw 10am and email olivia white thurs": after a task
    about one lead, a verb, another lead and a date of its own are another task. The words
    that open the first ("remind me to "), to say the second the same way; None when `rest`
    goes on with the first task ("... and send her the deck": one task)."""
    lead_in = _LEAD_IN.match(first)
    if lead_in is None or not _ANOTHER.match(rest.strip()):
        return None
    second = lead_in.group(0) + rest.strip()
    one = create_task_request(Utterance.of(first), first, now)
    two = create_task_request(Utterance.of(second), second, now)
    if one is None or two is None or one.kind != "create_task" or two.kind != "create_task":
        return None
    a, b = one.slots.get("ref"), two.slots.get("ref")
    if a is None or b is None or a.empty or b.empty or a.pronoun or b.pronoun:
        return None
    if a.text.lower() == b.text.lower() or not two.slots.get("due"):
        return None
    return lead_in.group(0)


# "... fri and call ingrid ross mon": where a second task may start that no request verb
# opens (calling is not something the coworker does, so it only ever opens a task).
_AND_VERB = re.compile(
    r",?\s+and\s+(?:then\s+|also\s+)?(?=(?:call|ring|phone|chase|nudge|meet|follow up|check in)\b)",
    I,
)


def task_cuts(text: str, end: int) -> list[re.Match[str]]:
    """Where a reminder ("remind me to …") may go on with another task, for `split`."""
    return list(_AND_VERB.finditer(text, 0, end)) if _LEAD_IN.match(text) else []
