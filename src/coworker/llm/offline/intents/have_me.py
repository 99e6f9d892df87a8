"""A task asked for as "have me <do something>": "have me try him again in 2 days", "have me
call jane friday". The person hands the coworker a job for themself, as "remind me to ..."
does; without this reader the words were not understood, and after a call report ("log it
and have me try him again") they were logged inside the note instead of becoming a task.

Only "me"/"us" and a verb a task is made of: "have sam call jane" asks someone else, and
"have me on the invite" is no task, so both are left to the other readers.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.intents.common import I, Intent
from coworker.llm.offline.intents.tasks import create_task_request
from coworker.llm.offline.text import Utterance

_HAVE_ME = re.compile(
    r"^(?:(?:pls|please|and|also|then)\s+)*have\s+(?:me|us)\s+(?P<x>(?:try|call|ring|phone|"
    r"email|e-mail|text|follow up|fu|check in|circle back|touch base|send|ping|reach out|chase|"
    r"nudge|prep|prepare|book|confirm)\b.+)$",
    I | re.S,
)


def have_me_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    """ "have me try kwame again in 2 days": read as "remind me to try kwame again in 2 days"
    (the title is still the person's own words after "have me")."""
    said = _HAVE_ME.match(cmd)
    if said is None:
        return None
    task = create_task_request(u, f"remind me to {said['x']}", now)
    return task if task is not None and task.kind == "create_task" else None
