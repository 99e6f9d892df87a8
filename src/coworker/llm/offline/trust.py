"""The trust invariant: a write runs only when every value it writes was read with confidence.

A write plan does not call a writing tool itself. It declares what it writes as `Written`
values, each saying where it came from (the person's words, the CRM, a default) and whether
it was read with confidence, and hands them to `write`. When every value is confident the
call runs at once; otherwise the turn stops with a question that lists everything understood
("New deal for Hannah Phillips: $2 (not sure), Prospecting — shall I?"). The plan is replayed
when the person answers, so a "yes" runs exactly the call that was shown, and anything else
is a new request (nothing is written). The engine refuses to emit a writing call that did
not come through here (`Call.checked`), so no plan can bypass the check.

Confidence of words is judged here, in one place, by the kind of value: a money amount must
be written as money, free text must not end mid-phrase or carry an instruction to us, and
every number in the request must be accounted for by some value that was read.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, Literal

from coworker.dialsheet.contract import load_contract
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Batch, Call, Option, Question, Reply, Stop
from coworker.llm.offline.resolve import Ctx

Source = Literal["words", "crm", "default"]

# The tools that change the CRM at once (no card): what `write` guards. Cards (sends,
# enrolments, deletes) are approved by the person on the card itself.
WRITES = frozenset(
    op.operation_id
    for op in load_contract().operations.values()
    if op.method.upper() in ("POST", "PUT", "PATCH") and op.profile.noun is None
)

# Words a value never ends with when it was read whole: "Pinecrest proposal out by end of".
_DANGLING = frozenset(
    "of by to for with at on in the a an and or from until till before after into about "
    "end out as than my your her his their".split()
)
# An instruction to us that slipped into a value: "Hooli, please update her company".
_INSTRUCTION = re.compile(
    r",\s*(?:please|pls|plz|and|can you|could you|thanks)\b|\b(?:please|pls|plz|update|change|"
    r"set|make it|can you|could you)\b",
    re.I,
)
# A sentence about a move read as the value itself ("moving to hooli as their CTO"): news
# still to be taken apart, never a title or a company to store.
_MOVE_SENTENCE = re.compile(
    r"^(?:moving|going|leaving|joining|starting|heading|switching|becoming|transitioning|"
    r"relocating|about to)\b|\bas (?:their|the|a|an|our|his|her)\s",
    re.I,
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MONEY_FORM = re.compile(
    r"(?:[$€£]\s*\d|\d\s*(?:k|m|mm|bn|grand|thousand|million|usd|eur|gbp|dollars|bucks)\b|"
    r"\d{1,3}(?:,\d{3})+|\d{4,})",
    re.I,
)


@dataclass(frozen=True)
class Written:
    """One value a write sends: the field, how a person reads it, where it came from."""

    field: str
    value: Any
    label: str  # "value", "stage", "closing"
    shown: str  # "$18,500", "Prospecting", "Fri, Dec 18"
    source: Source = "words"
    confident: bool = True
    raw: str = ""  # the person's words it was read from, when it came from them


@dataclass(frozen=True)
class Unread:
    """Something the person said that no value accounts for ("close date 2 wks out")."""

    label: str
    words: str


@dataclass(frozen=True)
class WritePlan:
    """A write as a person would check it: the call, its values, and a sentence naming it."""

    tool: str
    ids: dict[str, Any]  # record ids, always read from the CRM
    values: tuple[Written, ...]
    headline: str  # "New deal for **Hannah Phillips** (Black Mesa)"
    unread: tuple[Unread, ...] = field(default=())

    @property
    def confident(self) -> bool:
        return not self.unread and all(v.confident for v in self.values)

    def call(self) -> Call:
        arguments = dict(self.ids)
        for value in self.values:
            if value.value is not None:
                arguments[value.field] = value.value
        return Call(self.tool, arguments, checked=True)

    def question(self) -> str:
        parts = []
        for value in self.values:
            if value.value is None:
                continue
            doubt = "" if value.confident else " (not sure)"
            parts.append(f"{value.label} {value.shown}{doubt}")
        lines = [f"{self.headline}" + (": " + ", ".join(parts) if parts else "") + "."]
        for unread in self.unread:
            lines.append(f"I couldn't read the {unread.label} from “{unread.words}”.")
        lines.append(
            "Shall I? Reply **yes** to go ahead as shown, or tell me what to change "
            "(nothing is changed until then)."
        )
        return "\n\n".join(lines)


UNCHECKED = (
    "I didn't change anything: I wasn't sure I had read every value right. Could you say it again?"
)


def unchecked(batch: Batch) -> bool:
    """Does `batch` hold a write that did not come through `write` (a plan's bug)?"""
    return any(c.name in WRITES and not c.checked for c in batch.calls)


def confirm_key(plan: WritePlan) -> str:
    return f"confirm:{plan.tool}"


YES = Option("yes", "yes")


# A question about the CRM is never an instruction to change it: "did the Bluth task get
# done?" is answered by asking, not by marking it done. A request phrased politely ("can you
# mark Jane as contacted?") is a request, and "it should be 15k" a correction.
_WHETHER = re.compile(
    r"^\W*(?:did|didn'?t|has|hasn'?t|have(?!\s+(?:me|us)\s)|haven'?t|was|wasn'?t|were|weren'?t|is|isn'?t|are|"
    r"aren'?t|does|doesn'?t|do (?:i|we)|should(?! be\b)|shall (?:i|we)|would it|could it|"
    r"what if|why|how come|whether)\b",
    re.I,
)
ASKED_NOT_TOLD = "I haven't changed anything: that read as a question."


def asks_whether(text: str) -> bool:
    """Is `text` a question about the CRM rather than a request to change it?"""
    return bool(_WHETHER.match(text))


def write(ctx: Ctx, plan: WritePlan) -> Generator[Batch, list[Result], Result]:
    """`result = yield from write(ctx, plan)`: the call, at once or after the person's "yes"."""
    # A request the person corrected before it ran ("make that 4pm") is shown once more.
    shown_again = bool(ctx.intent.slots.get("amended"))
    asked = asks_whether(ctx.utterance.raw)
    if (not plan.confident or shown_again or asked) and confirm_key(plan) not in ctx.answers:
        text = (ASKED_NOT_TOLD + "\n\n" if asked else "") + plan.question()
        raise Stop(Reply(text, Question(confirm_key(plan), "choice", (YES,)), "asked"))
    results = yield Batch((plan.call(),))
    return results[0]


# --------------------------------------------------------------------------- confidence


def text_confident(value: str, *, field_value: bool = False) -> bool:
    """Free text read whole: not empty, not ending mid-phrase, no instruction to us in it.

    `field_value`: a lead's company or title, which never holds a verb like "update".
    """
    words = re.findall(r"[\w'’]+", value.lower())
    if not words or words[-1] in _DANGLING:
        return False
    if value.count("(") != value.count(")") or value.count("[") != value.count("]"):
        return False  # "Nordlicht Gmbh)": cut out of a bracket, not read whole
    if field_value:
        return not (_INSTRUCTION.search(value) or _MOVE_SENTENCE.search(value)) and len(words) <= 8
    return not re.search(r",\s*(?:please|pls|plz|can you|could you)\b", value, re.I)


# Chat shorthand a task never starts or ends with when it was read whole: "w/", "re:", "abt".
_SHORTHAND = frozenset("w wo re abt wrt bc".split())


def title_confident(title: str, names: str = "") -> bool:
    """A task title someone could act on a week later: two words or more, something to do
    besides the names of the lead it links (`names`), no stray letter or chat shorthand at
    either end ("W", "Call w/", "Re: acme"), and no bare number left at its end, which is
    most often an hour cut off its date ("call jane 2 tomorrow")."""
    if not text_confident(title):
        return False
    words = re.findall(r"[\w'’]+", title.lower())
    named = set(re.findall(r"[\w'’]+", names.lower()))
    if len(words) < 2 or words[0] in _SHORTHAND or words[-1] in _SHORTHAND:
        return False
    if re.search(r"\b\d{1,2}\s*$", title):
        return False
    if re.search(r"\s[,;]", title):  # "thanks for the call , quote": a date cut from mid-text
        return False
    doing = [w for w in words if w not in named and len(w) > 1 and w not in _SHORTHAND]
    return bool(doing) and not any(
        len(w) == 1 and w.isalpha() and w not in ("a", "i", *_SHORTHAND) for w in words
    )


def money_confident(raw: str) -> bool:
    """An amount written as money ("18.5k", "$18,500", "18500"), not a bare small number."""
    return bool(_MONEY_FORM.search(raw))


def unaccounted_numbers(text: str, read: list[str]) -> list[str]:
    """Numbers in `text` that no read span covers: something said that nothing wrote."""
    covered = " ".join(read)
    return [
        n
        for n in _NUMBER.findall(text)
        if not re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d]|[.,]\d)", covered)
    ]


def in_words(text: str, start: int, end: int) -> str:
    return text[start:end].strip()


def write_all(ctx: Ctx, plans: list[WritePlan]) -> Generator[Batch, list[Result], list[Result]]:
    """Several writes together (one request over many records), under one check.

    A change to several records is always shown and asked first: which records a group
    ("all my new Acme leads") covers is read from words, and a person checks a list in a
    glance that they could not undo in one."""
    if not plans:
        return []
    unsure = len(plans) > 1 or asks_whether(ctx.utterance.raw)
    unsure = unsure or not all(p.confident for p in plans)
    unsure = unsure or bool(ctx.intent.slots.get("offer"))  # a change offered back is asked
    if unsure and "confirm:many" not in ctx.answers:
        text = "\n\n".join(p.question().split("\n\nShall I?")[0] for p in plans)
        text += "\n\nShall I? Reply **yes** to go ahead as shown, or tell me what to change."
        raise Stop(Reply(text, Question("confirm:many", "choice", (YES,)), "asked"))
    results = yield Batch(tuple(p.call() for p in plans))
    return results


def crm(field: str, value: Any, label: str, shown: str | None = None) -> Written:
    """A value read from the CRM (a record the person picked, a list it showed)."""
    return Written(field, value, label, shown if shown is not None else str(value), "crm")
