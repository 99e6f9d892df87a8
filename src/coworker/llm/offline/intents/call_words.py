"""Words that say who a call or meeting was with, read by the note reader (`notes.py`):
"log that i left a vm for tom becker", "notes from call w/ chris johnson: ...", "chris parker
call done. booked the kickoff for next wk", "jane smith returned my call"; and the request
that only looks like a report ("move the initech deal to proposal, they liked the demo"). A
lead found this way only places the note; the note keeps every word the person wrote.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I

# "i left a vm for tom becker", "spoke with marcus reed": whom, after the call's words
WHOM = re.compile(
    r"\b(?:(?:vm|voicemail|message|msg)\s+(?:for|with|w/?)|(?:spoke|talked|chatted)\s+"
    r"(?:to|with|w/?)|(?:demo|meeting|mtg|call|lunch|coffee)\s+(?:with|w/?)|called|met with|"
    r"reached)\s+(?P<r>[a-z].*)$",
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
# "move the initech deal to proposal, they liked the demo": a request, then its reason; the
# words before the comma are no lead a call is reported about.
REQUEST_OPENING = re.compile(
    r"^(?:(?:can|could|would)\s+(?:you|u|ya)\s+|pls\s+|please\s+)?(?:move|mark|set|update|"
    r"change|push|bump|close|tag|email|text|send|add|create|open|remind|schedule|enroll|delete|"
    r"remove|complete|make|put)\b",
    I,
)
# The lead first, then that they came back: "chris parker called back re ...", "jane smith
# returned my call", "priya got back to me".
CALLED_BACK = re.compile(
    r"^(?P<ref>[\w'.-]+(?:\s+[\w'.-]+){0,2}?)\s+(?:(?:called|rang|phoned|rung|buzzed)\s+"
    r"(?:(?:me\s+|us\s+)?back|in)|returned\s+(?:my|our)\s+call|got back to (?:me|us)|picked up|"
    r"answered)\b",
    I,
)
