"""The pieces every intent rule shares: the `Intent` result, the object nouns, preamble
stripping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, TypedDict, Unpack, get_args

from coworker.llm.offline.slots import LeadRef

# Every request the offline model knows, by name: a reader may only produce one of these, and
# each has its plan declared beside it in `coworker.llm.offline.capabilities` (a test checks
# both ways, so no request can fall through to "unsupported" because its plan was forgotten).
IntentKind = Literal[
    # leads
    "find_leads", "create_lead", "update_status", "update_lead", "tag_lead", "delete_lead",
    "call_lead", "create_tag", "list_tags", "list_leads", "lead_owner", "unknown_status",
    # notes and calls
    "add_note", "list_notes", "list_calls",
    # tasks
    "create_task", "list_tasks", "complete_task", "update_task", "delete_task", "bulk_task_move",
    "longest_waiting",
    # sending
    "send_email", "send_sms", "bulk_send", "bulk_status", "enroll", "list_sent", "list_mailboxes",
    "list_sequences", "switch_mailbox", "revise_message",
    # deals
    "list_deals", "create_deal", "update_deal",
    # the day
    "overview", "next_calls", "activity_report", "prep_brief", "pipeline_report", "recent_leads",
    # corrections of the coworker's own last change
    "undo", "correct_value", "correct_time", "offer_undo",
    # talk: the conversation itself
    "confirm", "help", "greet", "unsupported", "empty", "noise", "foreign", "too_long",
]  # fmt: skip
INTENT_KINDS: frozenset[str] = frozenset(get_args(IntentKind))


class Slots(TypedDict, total=False):
    """Every value a reader may take from a message, by name and type: one vocabulary for
    all readers and plans, so a plan can only ask for a slot some reader fills, with the type
    it is filled with. Values keep the person's casing; dates and times are ISO strings in the
    person's timezone; `*_raw` is the span as written, kept for the card and the reply. A
    reader may pass None for a value it did not find: `make_intent` leaves it out, so a slot
    present in an `Intent` always holds a value."""

    # who and what a request is about
    ref: LeadRef | None  # the lead (or, for deals, the deal) as named
    query: str | None  # words to search leads by
    who: str | None  # a teammate or a lead named in a question
    whose: str | None  # "mine" or "team"
    mine: bool | None
    exclude: str | None  # "besides chris", "not counting sam's"
    without: str | None  # a lead left out of a company's list
    not_whose: str | None  # a teammate's leads left out
    versus: str | None  # "how many leads do i own vs sam": the teammate counted against
    group: str | None  # "leads", "meetings", a company: a request about several records
    bulk: bool | None
    company: str | None
    name: str | None
    title: str | None
    role: str | None
    email: str | None
    phone: str | None
    phone_end: str | None  # "typo, should end in 8862": the last digits of the phone just set
    changes: dict[str, str | None] | None  # lead fields to write, by field name
    renamed: (
        str | None
    )  # "its kenji grey not gray": the old spelling, which must be the lead's name
    name_part: str | None  # "first" or "last": the part of the name a correction respells
    left: str | None  # "kenji gray left virtucon, ...": the company left, which must be the lead's
    field: str | None  # the field a question asks about
    fields: tuple[str, ...] | None
    details: bool | None
    # statuses, stages, tags, sequences
    status: str | None
    mark_as: str | None
    is_status: str | None  # "is jane qualified?": the status asked about
    back_to: str | None  # "put priya back to new"
    stage: str | None
    stage_words: str | None  # a stage as written when the CRM has no such stage
    tag: str | None
    tags: tuple[str, ...] | None  # several tags said at once ("hot and enterprise"), in order
    remove: bool | None
    bare_tag: bool | None  # a tag said as a bare word ("add enterprise"): the org's, or none
    color: str | None
    sequence: str | None
    # notes and calls
    content: str | None
    outcome: str | None
    why: bool | None  # "add a note saying why": the note is the reason the message gives
    # tasks and time
    phrase: str | None  # the task as described ("the one about pricing")
    phrases: tuple[str, ...] | None  # several tasks, each described ("the X and the Y")
    due: str | None
    due_unsure: bool | None
    priority: str | None
    completed: bool | None
    open: bool | None
    only: str | None
    shift_days: int | None
    date: str | None
    day: str | None
    day_text: str | None
    hour: int | None
    minute: int | None
    time_raw: str | None
    when: str | None
    past: str | None
    period: str | None
    since: str | None
    # deals and amounts
    value: float | None
    value_raw: str | None
    value_sign: int | None  # +1 / -1: "bump it by 5k", "drop it 2k"
    value_unsure: bool | None
    value_min: float | None  # "deals over 100k": a listing kept to a size
    value_max: float | None
    stage_unsure: bool | None  # "X closed!!": won, said with cheer; asked before written
    currency: str | None
    close: str | None
    close_raw: str | None
    close_words: str | None
    close_unsure: bool | None
    close_shift_days: int | None  # "push close out 2 wks": from the deal's own close date
    stages_said: tuple[str, str] | None  # two stages that disagree ("lost it, mark it won")
    unread_words: str | None  # the part of a deal update not understood: asked, never dropped
    # messages
    subject: str | None
    body: str | None
    message: str | None
    to_email: str | None
    mailbox: str | None
    channel: str | None
    closing: str | None
    received: str | None
    unread: str | None
    excluded: str | None  # "except luis": names left out of a group, each one matched or asked
    latest: bool | None  # "what did I last email …"
    already: bool | None  # "did I already email …"
    text: str | None  # new words for a waiting message or a lead field
    added: str | None  # words added to a waiting message ("also say sorry about that")
    rewrite: str | None  # a change to a waiting message's words not made ("make it shorter")
    unclear: str | None  # a new day or time whose place in the waiting words is unclear
    words: str | None
    # corrections of the coworker's last change
    how: str | None  # "undo" or "soft"
    offer: bool | None  # a correction not understood: the last change offered back, asked
    wrong: str | None
    meant: str | None
    word: str | None
    amended: bool | None  # a correction folded into a request still waiting
    sure: bool | None
    bare: bool | None  # a day said alone: the due date of a task just made with none
    implied: bool | None
    address_names: bool | None  # the new lead's email address carries their name
    soft: bool | None
    # talk
    yes: bool | None
    bye: bool | None
    thanks: bool | None
    greeting: bool | None
    count: bool | None
    shorthand: bool | None
    source: str | None
    topic: str | None


@dataclass(frozen=True)
class Intent:
    """What a message asks for (`kind`) and the values it gave (`slots`)."""

    kind: IntentKind
    slots: Slots = field(default_factory=lambda: Slots())

    def __post_init__(self) -> None:
        if self.kind not in INTENT_KINDS:  # a reader's typo must not become "unsupported"
            raise ValueError(f"unknown intent kind {self.kind!r}")

    def but(self, kind: IntentKind | None = None, /, **changes: Unpack[Slots]) -> Intent:
        """The same request with some values changed (None: that value dropped), or read as
        another kind."""
        slots = self.slots.copy()
        slots.update(changes)
        return make_intent(kind or self.kind, **slots)


I = re.IGNORECASE  # noqa: E741 - the regex flag, as `re.I`


PREAMBLE = re.compile(
    r"^(?:(?:hey|hi|hello|ok|okay|k|kk|yes|yeah|yep|yup|well|so|um|uh|alright|right|yo|please|pls|"
    r"plz|kindly|quickly|"
    r"actually|oops|whoops|sorry|my bad|wait,? (?:sorry|my bad|oops)|oh|ah|ugh|argh|hmm|welp|"
    r"quick one|quick question|can you|could you|would you|will you|can u|could u|"
    r"would you mind|would you be able to|are you able to|i need you to|i want you to|"
    r"i'd like you to|id like you to|i'd like to|id like to|i would like to|i want to|"
    r"i wanna|wanna|let's|lets|go ahead and|help me|just|also|and|then|now|coworker|"
    r"dialsheet|hey coworker|i need to|i have to|i've got to|ive got to|i gotta|gotta|"
    r"i must|i should|we need to|we should|you can|you could|u can|u could|mind|how about you|"
    r"is it possible to|possible to|try to|try and|for me)[\s,!.:;-]+)+",
    I,
)


TRAILER = re.compile(
    r"(?:[\s,]+(?:please|pls|plz|thanks|thank you|thx|for me|if possible|cheers|ty|"
    r"while (?:you'?re|youre|ur|u'?re|u r|ya'?re|you are) at it)|"
    r"[,;.]\s*(?:my bad|sorry|sry|oops|whoops|my mistake|lol))+[\s.!?]*$",
    I,
)


QUESTION_START = re.compile(
    r"^(?:what|which|who|whom|whose|show|list|any|anything|anyone|how|are there|is there|"
    r"do i|do we|did i|did we|have i|have we|has|give me|get me|get|tell me|find|search|"
    r"look|pull|display|view|see|check|where|when|can i see|let me see|i want to see|"
    r"i'd like to see|my|all|open|see|read|fetch|bring up|summari[sz]e)\b",
    I,
)


TASK_WORDS = r"(?:tasks?|todos?|to do|reminders?|action items?)"


# Pictographs and symbols reps end a sentence with ("😂", "🙌", "🎉", "✅").
EMOJI = r"(?:[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]\ufe0f?)"
_EMOJI_START = re.compile(rf"^\s*{EMOJI}+[\s!.]*")
_EMOJI_END = re.compile(rf"\s*{EMOJI}+[\s!.]*$")
_EMOJI_MID = re.compile(rf"\s*{EMOJI}+\s*(?=\S)")
_BANGS = re.compile(r"!{2,}")


def calm(cmd: str) -> str:
    """`cmd` with its emoji read as a sentence's end and its bangs as one: "WE WON X 🎉 mark
    it closed won" -> "WE WON X. mark it closed won"; one said first or last is only tone
    ("🙈 oops meant qualified", "sorry meant contacted 🤦")."""
    text = _EMOJI_END.sub("", _EMOJI_START.sub("", cmd))
    text = _EMOJI_MID.sub(". ", text)
    return _BANGS.sub("!", text).strip()


DEAL_WORDS = r"(?:deals?|opportunit(?:y|ies)|opps?|pipeline)"


SEQ_WORDS = r"(?:sequences?|cadences?|campaigns?|drips?|flows?|playbooks?|automations?)"


NOTE_NOUN = r"(?:note|notes|comment|call note|call log|call|activity|update|outcome|memo)"


PAYLOAD = re.compile(r"[:\"]|\b(?:saying|that|telling|asking)\b", I)


def strip_preamble(text: str) -> str:
    """The request without polite openings ("could you please") and closings ("thanks").

    When the message carries text to send or log (after a colon, "saying", quotes), its end
    is left exactly as written.
    """
    out = text.strip()
    payload = bool(PAYLOAD.search(out))
    for _ in range(4):
        new = PREAMBLE.sub("", out).strip()
        if not payload:
            new = TRAILER.sub("", new).strip()
        if new == out:
            break
        out = new
    if payload or len(out) >= 300:
        return out
    return out.rstrip(" ?!.")


def make_intent(kind: IntentKind, **slots: Unpack[Slots]) -> Intent:
    given = Slots()
    for key, value in slots.items():
        if value is not None:
            given[key] = value  # type: ignore[literal-required]
    return Intent(kind, given)
