"""Words that say who a call or meeting was with, read by the note reader (`notes.py`):
"log that i left a vm for tom becker", "notes from call w/ chris johnson: ...", "chris parker
call done. booked the kickoff for next wk". A lead found this way only places the note; the
note keeps every word the person wrote.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I

# "i left a vm for tom becker", "spoke with marcus reed": whom, after the call's words
WHOM = re.compile(
    r"\b(?:(?:vm|voicemail|message|msg)\s+(?:for|with|w/?)|(?:spoke|talked|chatted)\s+"
    r"(?:to|with|w/?)|called|met with|reached)\s+(?P<r>[a-z].*)$",
    I,
)
# "call w/ chris johnson: ...": the meeting's words before whom it was with
MEETING_WITH = re.compile(r"^(?:(?:my|the|a)\s+)?(?:call|mtg|meeting)\s+(?:w/?|with)\s+", I)
# "chris parker call done", "jane's demo went well": a call or meeting reported finished
CALL_DONE = re.compile(
    r"^(?!(?:the|my|our|that|this|a|an|your|his|her|their)\b)"
    r"(?P<ref>[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)(?:'s)?\s+(?:call|mtg|meeting|demo)\s+"
    r"(?:done|went (?:well|great|ok|okay|fine|badly|sideways)|finished|over|wrapped(?: up)?)\b",
    I,
)
