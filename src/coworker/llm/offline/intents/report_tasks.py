"""A call report that goes on with the follow-up the person asks for, read by `split.py`.

"called ingrid 3x, no answer. fu to try her again in 3 days", "spoke w nora, not interested,
budget frozen. circle back in 2 months": the report is a note, and the follow-up said after
it with a day of its own is a task (without a day it stays in the note: "circle back at some
point" is what was said). "asked me to ring him back tmrw at 4. log it + set the callback":
"the callback" is the one the report just named, with its day and hour.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.dates import find_when
from coworker.llm.offline.intents.common import I
from coworker.llm.offline.intents.tasks import create_task_request
from coworker.llm.offline.text import Utterance

# Where a follow-up starts after a report: a sentence or clause that opens with its kind.
_FOLLOW_UP_AT = re.compile(
    r"(?:[,;.!]|\s-+|\s+and|\s+but|\s+so)\s+(?:(?:and|but|so|also|then|pls|please)\s+)?"
    r"(?=(?:fu|f/u|fup|follow[- ]?up|circle[- ]back|check[- ]in|touch[- ]base)\b)|"
    # "… wants pricing before end of week uh put a high priority task for me to send her …"
    r"(?:[,;.!]|\s-+|\s+(?:and|but|so|uh|um|oh|ok))\s+(?=(?:pls\s+|please\s+)?(?:put|set|add|"
    r"make|create)\s+(?:(?:me|in)\s+)?(?:a|an)\s+(?:new\s+)?(?:(?:high|low|urgent|top)[- ]?"
    r"(?:priority|prio)?\s+)?(?:task|reminder|to-?do|fu|follow[- ]?up|callback)\b)",
    I,
)


def report_task_cuts(text: str, end: int, now: datetime) -> list[re.Match[str]]:
    """Where a call report goes on with a follow-up task that has a day of its own."""
    cuts = list(_FOLLOW_UP_AT.finditer(text, 0, end))
    if not cuts:
        return []
    ends = [cut.start() for cut in cuts[1:]] + [end]
    kept = []
    for cut, stop in zip(cuts, ends, strict=True):
        said = text[cut.end() : stop].strip()
        task = create_task_request(Utterance.of(said), said, now)
        if task is not None and task.kind == "create_task" and task.slots.get("due"):
            kept.append(cut)
    return kept


# "set the callback", "add the fu", "put that callback in": the follow-up just spoken of.
_THE_CALLBACK = re.compile(
    r"^(?:(?:pls|please|and|also|then)\s+)*(?:set|add|make|create|schedule|book|put)\s+(?:me\s+)?"
    r"(?:in\s+)?(?:(?:the|that|a)\s+(?:callback|call[- ]back|follow[- ]?up|fu|f/u|reminder|call)"
    # "she wants a call thurs at 11. set that up": the call just spoken of
    r"|(?:that|it)(?=\s+up\b))"
    r"(?:\s+(?:task|reminder|up))?(?:\s+in)?"
    # "set the callback for 10am that day": the hour, on the day the report named
    r"(?:\s+(?:for|at|@)\s+(?P<at>\d{1,2}(?::\d{2})?\s*(?:am|pm)?|noon)"
    r"(?:\s+(?:that|the same|on that)\s+day|\s+then)?)?"
    r"(?:\s+(?:too|as well|pls|please|for me))*[\s.!]*$",
    I,
)
# The callback a report names: "asked me to ring him back tmrw at 4", "wants a callback fri".
_NAMED_CALLBACK = re.compile(
    r"\b(?:(?:call|ring|phone)\s+(?P<who>him|her|them)\s+back|(?:a\s+)?call[- ]?back|"
    # "she wants a call thurs at 11": the call she asked for
    r"(?P<subject>she|he|they)\s+(?:wants|wanted|would like|needs|asked for)\s+(?:a\s+)?"
    r"(?:quick\s+)?call(?![- ]?back))\s+(?P<when>\S.*)$",
    I | re.S,
)
_OBJECT = {"she": "her", "he": "him", "they": "them"}
# A part that only says the call is wanted (no report of a call around it)
_ONLY_WANTED = re.compile(
    r"^(?:(?:ok|okay|so|and)\s+)*(?:she|he|they)\s+(?:wants|wanted|would like|needs|asked for)\s",
    I,
)


def said_callbacks(parts: list[str], now: datetime) -> list[str]:
    """ "set the callback" after a report that names one with its day: "call him back <day>",
    which the rest of the split links to the report's lead. Left as said otherwise."""
    out: list[str] = []
    for part in parts:
        the_callback = _THE_CALLBACK.match(part.strip())
        if the_callback and out:
            named = next(filter(None, map(_NAMED_CALLBACK.search, reversed(out))), None)
            found = find_when(named["when"], now) if named else []
            if named and found and found[0].start == 0:
                last = found[0]
                for more in found[1:]:  # "tmrw" "at 4": one day and hour, said together
                    if not re.fullmatch(
                        r"[\s,]*(?:at|@)?\s*", named["when"][last.end : more.start]
                    ):
                        break
                    last = more
                who = named["who"] or _OBJECT.get((named["subject"] or "").lower(), "them")
                at = f" at {the_callback['at']}" if the_callback["at"] else ""
                back = "" if named["subject"] else " back"  # "she wants a call": not a callback
                task = f"call {who}{back} {named['when'][: last.end].strip()}{at}"
                if named["subject"] and _ONLY_WANTED.match(out[-1]):
                    out[-1] = task  # "she wants a call thurs at 11" said only to be set up
                else:
                    out.append(task)
                continue
        out.append(part)
    return out
