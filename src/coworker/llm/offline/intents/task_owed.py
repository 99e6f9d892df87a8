"""What the person still owes a lead, said as a statement of it: "need to email her the deck
tmrw", "gotta send him the quote fri", "owe her the case study by wed". Read by
`tasks.create_task_request` (which needs a due date said with it), most often as the part of
a call report that follows it ("spoke w ingrid, interested, need to send her … by wed")."""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.dates import find_due
from coworker.llm.offline.intents.common import I
from coworker.llm.offline.shorthand import normalise

# "need to email her the deck tmrw", "promised to text him fri": what the person still has to
# do, said after a call ("spoke w ingrid, interested, need to send her the case study by wed");
# with "need to" a message is a task, never sent. "owe her the deck": what to send her.
_OWED = re.compile(
    r"^(?:i\s+)?(?:still\s+)?(?:(?:need|have|got)\s+to|gotta|must|(?P<said>promised\s+to|said\s+"
    r"i(?:'?d|\s+would)))\s+(?P<x>(?:email|e-mail|text|forward|give|call|send|get|share|prep|"
    r"prepare|book|schedule|set up|follow up|check in|draft|write|chase|ping|ring)\b.+)$",
    I | re.S,
)
_OWE = re.compile(
    r"^(?:i\s+)?(?:still\s+)?owe\s+(?P<who>her|him|them|[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)\s+"
    r"(?P<what>(?:a|an|the|our|my|some|that|this|those|these)\s.+)$",
    I | re.S,
)


def owed_task(cmd: str) -> tuple[re.Match[str], bool] | None:
    """What the person owes a lead, as a task (the match of its words, and whether it is
    shown before it is created: "owe her the deck" is worded by the coworker, "promised to"
    tells what was said rather than asks)."""
    m = _OWED.match(cmd)
    if m is not None:
        return m, bool(m["said"])
    retry = _RETRY.match(cmd)
    if retry is not None:  # "try her again in 2 days", after a voicemail: a call to make
        return retry, False
    owe = _OWE.match(cmd)
    if owe is None:
        return None
    what = owe["what"]
    call = re.match(r"^(?:a\s+)?(?:call\s*back|callback|call|ring)\b\s*", what, I)
    said = f"call {owe['who']} {what[call.end() :]}" if call else f"send {owe['who']} {what}"
    again = re.match(r"^(?P<x>.+)$", said.strip(), re.S)
    return (again, True) if again else None


# "try her again in 2 days", "call him back fri": the call to make again, after a report of one
_RETRY = re.compile(
    r"^(?:i'?ll\s+|will\s+|gonna\s+|need to\s+)?(?P<x>(?:try|call|ring|phone)\s+(?:her|him|them|"
    r"[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)\s+(?:again|back)\b.*)$",
    I | re.S,
)
# Where what is owed starts after a call report: "spoke w ingrid, interested, need to send …".
_OWED_AT = re.compile(
    r"(?:[,;.]|\s-+|\s+and|\s+but)\s+(?:(?:and|but|so|also)\s+)?(?=(?:i\s+)?(?:still\s+)?"
    r"(?:(?:need|have|got)\s+to|gotta|must|owe|promised\s+to|said\s+i(?:'?d|\s+would))\s|"
    r"(?:i'?ll\s+|will\s+|gonna\s+)?(?:try|call|ring|phone)\s+(?:her|him|them)\s+(?:again|back)\b)",
    I,
)


def owed_cuts(text: str, end: int, now: datetime) -> list[re.Match[str]]:
    """Where a call report goes on with what the person owes the lead, for `split`: the report
    is a note, and each thing owed with a date of its own a task (without one it stays in the
    note: "need to send her the case study" is what was said, not a reminder asked for)."""
    cuts = list(_OWED_AT.finditer(text, 0, end))
    if not cuts:
        return []
    ends = [cut.start() for cut in cuts[1:]] + [end]
    return [
        cut
        for cut, stop in zip(cuts, ends, strict=True)
        if owed_task(text[cut.end() : stop])
        and (
            find_due(text[cut.end() : stop], now)
            or find_due(normalise(text[cut.end() : stop]).text, now)
        )
    ]
