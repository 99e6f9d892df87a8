"""A call report, "log it", then the follow-up task asked for after it, read by `split.py`.

"just hung up w marcus. keen on the 50 seat plan. log it + fu task for tmrw am pls", "kwame
no pickup, tried twice. log it and have me try him again in 2 days": the report is the note,
and what follows "log it" is a request of its own. The usual cut (`split._CUT`) only opens a
request at a verb, and neither "fu task ..." nor "have me ..." opens with one, so without
this the task's words were logged inside the note, or the whole message read as a listing.
Only a part that reads as a new task is cut off: anything else stays as the person said it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from coworker.llm.offline.intents import classify
from coworker.llm.offline.text import Utterance

_SOMETIME = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # only the kind is read, never a date

# "log it" (or "log that", "note it") and the connector after it: "+", "&", "and", ", then".
_AFTER_LOG_IT = re.compile(
    r"\b(?:log|note|record)\s+(?:it|that|this)(?:\s+(?:pls|please|plz))?"
    r"(?P<cut>\s*(?:\+|&|,|;|\band\b)\s*(?:(?:then|also|and)\s+)*|\s+(?:then|also)\s+)(?=\S)",
    re.I,
)


def logged_then_cuts(text: str, end: int) -> list[re.Match[str]]:
    """Where a follow-up task starts after "log it", before `end` (the first pasted words)."""
    cuts = []
    for said in _AFTER_LOG_IT.finditer(text, 0, end):
        rest = text[said.end() : end].strip()
        if classify(Utterance.of(rest), _SOMETIME).kind == "create_task":
            cut = re.compile(re.escape(said["cut"])).search(text, said.start("cut"))
            if cut is not None:
                cuts.append(cut)
    return cuts
