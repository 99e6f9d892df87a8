"""The pieces every intent rule shares: the `Intent` result, the object nouns, preamble
stripping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

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
    "create_task", "list_tasks", "complete_task", "update_task", "delete_task",
    # sending
    "send_email", "send_sms", "bulk_send", "bulk_status", "enroll", "list_sent", "list_mailboxes",
    "list_sequences", "switch_mailbox",
    # deals
    "list_deals", "create_deal", "update_deal",
    # the day
    "overview", "next_calls", "activity_report", "prep_brief", "pipeline_report", "recent_leads",
    # corrections of the coworker's own last change
    "undo", "correct_value", "correct_time",
    # talk: the conversation itself
    "confirm", "help", "greet", "unsupported", "empty", "noise", "foreign", "too_long",
]  # fmt: skip
INTENT_KINDS: frozenset[str] = frozenset(get_args(IntentKind))


@dataclass(frozen=True)
class Intent:
    """What a message asks for (`kind`) and the values it gave (`slots`)."""

    kind: IntentKind
    slots: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in INTENT_KINDS:  # a reader's typo must not become "unsupported"
            raise ValueError(f"unknown intent kind {self.kind!r}")

    def get(self, key: str, default: Any = None) -> Any:
        return self.slots.get(key, default)


I = re.IGNORECASE  # noqa: E741 - the regex flag, as `re.I`


PREAMBLE = re.compile(
    r"^(?:(?:hey|hi|hello|ok|okay|so|um|uh|alright|right|yo|please|pls|plz|kindly|quickly|"
    r"actually|oops|whoops|sorry|my bad|"
    r"quick one|quick question|can you|could you|would you|will you|can u|could u|"
    r"would you mind|would you be able to|are you able to|i need you to|i want you to|"
    r"i'd like you to|id like you to|i'd like to|id like to|i would like to|i want to|"
    r"i wanna|wanna|let's|lets|go ahead and|help me|just|also|and|then|now|coworker|"
    r"dialsheet|hey coworker|i need to|i have to|i've got to|ive got to|i gotta|gotta|"
    r"i must|i should|we need to|we should|you can|you could|mind|how about you|"
    r"is it possible to|possible to|try to|try and|for me)[\s,!.:;-]+)+",
    I,
)


TRAILER = re.compile(
    r"(?:[\s,]+(?:please|pls|plz|thanks|thank you|thx|for me|if possible|cheers|ty))+[\s.!?]*$",
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


def make_intent(kind: IntentKind, **slots: Any) -> Intent:
    return Intent(kind, {k: v for k, v in slots.items() if v is not None})
