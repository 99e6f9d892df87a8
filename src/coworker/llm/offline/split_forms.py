"""Two forms of a message the request splitter (`split.split_requests`) reads before cutting
it: the lead said first ("tariq walker: mark contacted and put him in X") and an undo with
the request meant instead after it ("undo that, not yet. just log that she asked about
pricing"). Apart from `split` so each stays one small piece the interpreter can ask too.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.intents import Intent, classify
from coworker.llm.offline.intents.notes import name_word
from coworker.llm.offline.intents.oops import named
from coworker.llm.offline.text import Utterance

_SOMETIME = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # only the kind is read, never a date


def _read(part: str) -> Intent:
    return classify(Utterance.of(part), _SOMETIME)


# "yuki lindqvist: mark contacted and ...": the lead said first, the status after its verb
_LEAD_FIRST = re.compile(
    r"^(?P<who>[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*){0,2})\s*:\s+(?P<verb>mark|set)\s+"
    r"(?:(?:him|her|them)\s+)?(?:(?:as|to)\s+)?(?P<word>[a-z]+)(?P<rest>(?:(?:\s*,|\s+(?:and|then|\+)).*)?)$",
    re.I | re.S,
)


def lead_first(text: str) -> str:
    """ "tariq: mark contacted and put him in X" said as "mark tariq contacted and put him
    in X", so each request names the lead (the later ones through their "him")."""
    m = _LEAD_FIRST.match(text)
    if m is None or not vocab.status_in(m["word"]) or not named(m["who"]):
        return text
    return f"{m['verb']} {m['who']} {m['word']}{m['rest']}"


# After an undo's reasons, the request said instead: "... just log that ...", ". remind me ..."
_THEN_REQUEST = re.compile(
    r"(?:[.;!?]+\s+|,\s*|\s+-+\s+)(?=(?:(?:so|then|and|but|instead|just|pls|please|ok)\s+)*"
    r"(?:mark|set|email|e-mail|text|add|create|remind|tag|log|update|schedule|enroll|"
    r"make (?:a|me)|put (?:a|in a))\b)",
    re.I,
)
_THEN_FILLER = re.compile(r"^(?:(?:so|then|and|but|instead|just|pls|please|ok)\s+)+", re.I)


# An undo said in so many words; "sorry meant dana whitfield" alone is a slip, not an undo.
_UNDO_SAID = re.compile(
    r"\b(?:undo|scratch|revert|reverse|take (?:that|it) back|cancel|"
    r"put (?:it|him|her|them) back)\b",
    re.I,
)


def undo_then(text: str) -> list[str] | None:
    """An undo with the request meant instead after it ("wait no undo that, she's not there
    yet. just log that she asked about pricing"): two requests, the undo first. Whole as
    one undo, the later request would be read as one of the undo's reasons and dropped."""
    payload = re.search(r"[:\"“]", text)
    head_end = payload.start() if payload else len(text)
    for cut in _THEN_REQUEST.finditer(text, 0, head_end):
        head, tail = text[: cut.start()].strip(), text[cut.end() :].strip()
        if _read(head).kind != "undo" or not _UNDO_SAID.search(head):
            continue  # "sorry meant dana. tag her hot": a slip owned up to, set aside
        tail = _THEN_FILLER.sub("", tail)
        if _read(tail).kind in ("unsupported", "noise", "undo", "correct_value"):
            return None
        return [head, tail]
    return None


def task_lead(intent: Intent) -> str | None:
    """The lead a task is named by ("move the chris parker callback …": "chris parker"), so a
    later "mark him qualified" in the same message is about them: the first and last name
    that open the task's words, never a word a task or the CRM uses ("demo prep")."""
    phrase = str(intent.slots.get("phrase") or "")
    if intent.kind not in ("update_task", "complete_task") or not phrase:
        return None
    words = phrase.split()
    name = list(itertools.takewhile(name_word, words[:3]))
    return " ".join(name) if 2 <= len(name) < len(words) else None


# A comma before a request that opens with its verb ("…, move her deal to proposal")
_COMMA_VERB = re.compile(
    r",\s*(?=(?:(?:and|then|also|pls|please)\s+)*(?:move|mark|set|update|change|close|tag|"
    r"add|log|remind|email|text)\b)",
    re.I,
)


def status_cuts(text: str, end: int) -> list[re.Match[str]]:
    """Commas that end a lead's new status said as news ("mia tanaka is qualified now, move
    her deal to proposal"): the news is a change of its own, and the request after it
    another. Only a whole status change before the comma cuts ("jane's deal is slipping,
    move it" is no status)."""
    return [
        cut
        for cut in _COMMA_VERB.finditer(text, 0, end)
        if _read(text[: cut.start()]).kind == "update_status"
    ]


def next_cut(cuts: list[re.Match[str]], cut: re.Match[str]) -> int:
    """Where the part after `cut` ends: at the next cut, or the end of the message."""
    later = [c.start() for c in cuts if c.start() >= cut.end()]
    return min(later, default=len(cut.string))


# "add a new lead: sofia marsh, …": the colon announces the lead's values, not dictated words
_LEAD_HEAD = re.compile(
    r"^(?:(?:pls|please)\s+)?(?:add|create|new|make|enter)\s+(?:a\s+)?(?:new\s+)?"
    r"(?:lead|contact|prospect)\s*:",
    re.I,
)


def values_end(text: str, kind: str) -> int:
    """Where dictated words may begin in `text`, read as `kind`: after a new lead's "add a new
    lead:", whose colon only announces the values that follow; else anywhere."""
    head = _LEAD_HEAD.match(text) if kind == "create_lead" else None
    return head.end() if head else 0


# A verb that is also the name of a field, standing alone: "his phone and email (address)?".
FIELD_NOUN = re.compile(
    r"(?:email|e-mail|text|sms|phone|number|title|status|company|tags?)"
    r"(?:\s+(?:address|addr|addy|#|number|too|as well|pls|please))?\s*[?.!]*\s*$",
    re.I,
)
# "email marcus and tell him the price expires friday", "call her and tell her i'm late":
# the words for the recipient, not a request of their own.
SAID_TO = re.compile(r"(?:tell|ask|let)\s+(?:her|him|them)\b", re.I)
SAID_ON = frozenset({"send_email", "send_sms", "call_lead"})
# "text her too": "too" says it is one more request, not what to send
AS_WELL = re.compile(r"\s+(?:too|as well)[.!]*\s*$", re.I)
# "3 things: mark ..., set ..., and remind me ...": the count announces a list of requests
COUNTED = re.compile(
    r"^(?:a\s+)?(?:\d+|two|three|four|five|couple(?:\s+of)?|few)\s+(?:quick\s+)?"
    r"(?:things|requests|items|updates|asks)\s*(?:[:\-–—]+\s*|(?:pls|please)\s+)"
)
