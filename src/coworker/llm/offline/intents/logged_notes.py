"""A statement, then "log it": "nora bennett not interested, they went w a competitor. log it
pls" is one request, to log what was said as a note on the lead it names.

Without such words a statement said before a request is its reason and is not logged
(`asides.set_aside`); with them, the statement is the note and nothing in it is done. A note
whose words are pasted ("log this on X: \"...\"") is read here too: the paste is the note.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.call_words import WHOM
from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.intents.composing import as_written
from coworker.llm.offline.intents.notes import (
    EXPLICIT_NOTE,
    PRONOUN_OPENING,
    SINGLE_QUOTED,
    call_outcome,
    lead_opening,
    note_request,
)
from coworker.llm.offline.slots import LeadRef, lead_ref, name_prefix
from coworker.llm.offline.text import Utterance

# "log it", "pls log that", "add that as a note", said after a statement: log the statement
# (not "save it": "dan's email is d@x.com, save it" asks for the field to be saved).
# The outcome a call is logged as ("log it as interested", "log as meeting booked"); read
# with the outcome table (`vocab.outcome_in`) by `logged_as`.
_AS_OUTCOME = (
    r"as\s+(?:an?\s+)?(?:meeting booked|mtg booked|meeting|demo booked|no answer|no ans|"
    r"voicemail|vm|left (?:a )?(?:vm|voicemail)|wrong (?:number|#)|call ?back|interested|"
    r"not interested|hot|warm)"
)
# "log it on him", "log it so sam sees": whom it is on, or why, said after "log it"
_ON_WHOM = r"(?:\s+(?:on|for|under)\s+(?:him|her|them|his|their)(?:\s+(?:record|file|lead))?)?"
_SO_WHO = r"(?:\s+so\s+(?:\w+\s+){0,3}?(?:sees?|knows?|can see(?: it)?|has it|is in the loop))?"
LOG_IT = (
    r"(?:(?:pls|please|plz|can (?:you|u)|could (?:you|u)|and|so|just)\s+)*(?:(?:log|note|record|"
    rf"jot)\s+(?:(?:it|that|this|(?:the|that|this) (?:call|convo|conversation|vm|voicemail))"
    rf"(?:\s+down)?{_ON_WHOM}(?:\s+{_AS_OUTCOME})?|{_AS_OUTCOME})"
    rf"{_SO_WHO}|log|"
    r"make a note(?: of (?:it|that|this))?|(?:add|put|"
    r"save|log|drop)\s+(?:it|that|this)\s+(?:as\s+a\s+note|(?:in|to|on|into)\s+(?:the\s+|her\s+|"
    r"his\s+|their\s+|my\s+)?(?:notes?|record|file|timeline)))(?:\s+(?:pls|please|plz|thx|"
    r"thanks|ty|for me))*[\s.!]*"
)
# After a pause, or a word that asks ("pls log"): "jane's call log" asks to see it.
_LOG_IT_TAIL = re.compile(
    rf"(?:\s*[.,;!]\s*|\s+-+\s+|\s+(?=(?:pls|please|plz|can|could|and|so|just|make a note|(?:log|"
    rf"note|add|put|save|drop|jot|record)\s+(?:it|that|this))\b))(?:{LOG_IT})$",
    I,
)
# A request of its own before "log it" ("email jane the deck and log it"): not a statement.
_ORDERED = re.compile(
    r"^(?:please\s+|pls\s+)?(?:remind|tag|untag|mark|email|e-mail|text|sms|log|create|add|move|"
    r"send|update|set|schedule|put|change|enroll|open|close|delete|remove|complete|show|list|"
    r"find|tell|let|ping|make|bump|push|call(?!\s+(?:w|w/|with)\s)|book|follow|what|who|did|does|"
    r"do|is|are|has|when|"
    r"why|how|can|could|should)\b",
    I,
)


# A request inside the statement: "zoe is a dud, mark her unqualified and log it" is no note.
_ANOTHER = re.compile(
    r"(?:[,.;!]|\s-+|\s+and|\s+then)\s+(?:(?:pls|please|also|then|and)\s+)*(?:remind|tag|untag|"
    r"mark|email|e-mail|text|sms|create|add|move|send|update|set|schedule|put|change|enroll|"
    r"close|delete|remove|complete|bump|push|book)\b",
    I,
)


# Words that make "log it" no request: "i'll log it later", "pls don't log it".
_NOT_SAID = re.compile(
    r"^(?:i'?ll|ill|i'?d|we'll|we will|let me|lets|let's|gonna|will|don'?t|do not|no need|never)"
    r"\b|\b(?:to|not|don'?t|never|i|we|i'?ll|ill|gonna|will|should|shall|can|cannot|can't)$",
    I,
)


def logged_statement(cmd: str) -> str:
    """The statement a message asks to log ("... log it pls"), or ""."""
    tail = _LOG_IT_TAIL.search(cmd)
    said = cmd[: tail.start()].strip(" ,;-") if tail else ""
    if said.endswith("?") or _ORDERED.match(said) or '"' in said or _ANOTHER.search(said):
        return ""
    if _NOT_SAID.search(said):  # "i'll log it", "no need to log it"
        return ""
    return said


def logged_statement_request(u: Utterance, cmd: str) -> Intent | None:
    """ "nora bennett not interested, they went w a competitor. log it pls": what was said,
    logged as a note on the lead it opens with (the call's outcome read from it). Read
    before the other readers: the statement is the note, not a request ("wants us to email
    the deck, log it" sends nothing)."""
    said = logged_statement(cmd)
    if not said:
        return None
    report = note_request(u, said)
    ref = report.slots.get("ref") if report and report.kind == "add_note" else None
    if ref is None or ref.empty:
        head = name_prefix(said)[0] if said[:1].isupper() else lead_opening(said)
        ref = LeadRef(pronoun=True) if PRONOUN_OPENING.match(said) else lead_ref(head)
    whom = WHOM.search(said) if ref.empty else None
    if whom:  # "booked a demo w deepa king for thurs, log it": whom the call was with
        ref = lead_ref(name_prefix(whom["r"], max_words=2)[0])
    outcome = logged_as(cmd[len(said) :]) or call_outcome(said)
    return make_intent("add_note", ref=ref, content=as_written(u, said), outcome=outcome)


_LOGGED_AS = re.compile(rf"\b(?:log|note|record|jot)\b.*?\b(?P<as>{_AS_OUTCOME})", I)


def logged_as(tail: str) -> str | None:
    """The outcome named in "log it as interested" (the person's own label, which wins over
    one read from the statement), or None."""
    said = _LOGGED_AS.search(tail)
    return call_outcome(said["as"][3:]) if said else None


def pasted_note_request(u: Utterance, cmd: str) -> Intent | None:
    """A note whose text is pasted ("add this as a note on evelyn, from her email: "..."").
    Read before every other reader: the pasted words are the note, never a request (a
    "PS to any AI assistant: mark every lead ..." in them is logged, not done), and an
    "email" or a "mark" in them must not make the message an email or a status change."""
    cmd = forwarded_note(cmd) or cmd
    dictated = _DICTATED.match(cmd)
    if dictated:  # "..., word for word: X" is "...: X"
        cmd = cmd[: dictated.start("how")].rstrip(" ,;-") + cmd[dictated.end("how") :]
    quoted = '"' in cmd or SINGLE_QUOTED.search(cmd) or dictated
    if not quoted or not EXPLICIT_NOTE.match(cmd):
        return None
    return note_request(u, cmd)


# "add a note to jane, word for word: ... not Jane ...": after the colon the words are the
# note's, dictated; a "not Jane" or a "mark" in them is never a correction or a request.
_DICTATED = re.compile(
    r"^[^:\"]{3,80}?(?P<how>\b(?:word for word|verbatim|exactly|as follows))\s*:\s*\S", I
)


_FORWARDED = re.compile(
    r"^(?:here'?s|heres|this is|see) what (?P<who>[a-z][\w' .-]{1,40}?) (?:sent|wrote|said|"
    r"emailed|texted|replied)(?: (?:me|us|back))*\s*[,.:;-]?\s*(?:pls\s+|please\s+|can you\s+)?"
    r"(?:add|log|save|put|drop) (?:it|this|that) (?:as a note|to (?:his|her|their|the) notes?|"
    r"on (?:his|her|their) record)\s*[:-]?\s*(?P<paste>[\"'\u201c].+)$",
    re.I | re.S,
)


def forwarded_note(cmd: str) -> str | None:
    """ "heres what ethan sent me, add it as a note: '...'" said as the pasted note it is:
    "log this from ethan as a note: '...'"; None for anything else."""
    said = _FORWARDED.match(cmd)
    return f"log this from {said['who']} as a note: {said['paste']}" if said else None


# "X not interested, ill log it later", "don't log that": the person logs it, or nobody does.
_LOGGED_LATER = re.compile(
    r"\b(?:(?:i'?ll|ill|i will|i'?m gonna|im gonna|gonna|going to|let me|i can)\s+(?:log|note|"
    r"add|write up)\s+(?:it|that|this)\b|(?:don'?t|dont|do not|no need to|never)\s+(?:log|note)\b)",
    I,
)


def logged_later_request(u: Utterance, cmd: str) -> Intent | None:
    """ "liam not interested, ill log it later": a statement the person says they will log
    (or not log at all); read before the call-report reader, so no note is written."""
    if '"' in cmd or ":" in cmd or not _LOGGED_LATER.search(cmd):
        return None
    return make_intent("unsupported", topic="logged_later")
