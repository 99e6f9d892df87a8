"""A callback asked for, with its time: "priya at acme wants a callback tmrw at 2pm", "liam
asked me to call him back fri". What the person must do is call them then: a task, read as
"call priya at acme back tmrw at 2pm" is. Without a day or a time, or with only a span ("next
week"), it is what a lead said, and the note reader logs it as the call's outcome.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.dates import find_due
from coworker.llm.offline.intents.common import I, Intent
from coworker.llm.offline.intents.tasks import create_task_request
from coworker.llm.offline.shorthand import normalise
from coworker.llm.offline.text import Utterance

_WORD = r"[a-z][\w'.-]*"
_WANTS_CALLBACK = re.compile(
    rf"^(?P<who>{_WORD}(?:\s+{_WORD})?(?:\s+(?:at|from)\s+{_WORD}(?:\s+{_WORD})?)?)\s+"
    r"(?:wants|wanted|asked for|requested|needs|would like|asked (?:me|us) (?:for|to))\s+"
    r"(?:a\s+|me\s+to\s+|us\s+to\s+)?(?:call\s*back|callback|call-back|(?:call|ring)\s+"
    r"(?:her|him|them)\s+back)\s+(?P<when>\S.*)$",
    I | re.S,
)
_SOMETIME = re.compile(r"\b(?:weeks?|months?|quarter|year|(?:next|this) (?:week|month))\b", I)
_NOT_WHO = re.compile(r"^(?:i|we|you|u|he|she|they|it|who|what|did|does|do|is|if)\b", I)


def callback_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    """ "priya at acme wants a callback tmrw at 2pm": a task to call her back then."""
    m = _WANTS_CALLBACK.match(cmd.strip())
    if m is None or cmd.rstrip().endswith("?") or _NOT_WHO.match(m["who"]):
        return None
    when = m["when"].strip(" .!")
    due = find_due(when, now) or find_due(normalise(when).text, now)
    if due is None or (not due.has_time and _SOMETIME.search(normalise(when).text)):
        return None  # "call her back next week": a span, said as the call's outcome
    return create_task_request(u, f"call {m['who']} back {when}", now)
