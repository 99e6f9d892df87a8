"""Utterance -> intent and slots: what the person wants, in their everyday words.

Not a command syntax: each rule looks for the verb and the object a request is built from
("email" + someone, "mark" + someone + a status, a call report with an outcome), in any of
the usual word orders, after polite preambles ("could you please") are dropped. Rules run
from the most specific (sending, logging) to the most general (listing, looking a name up),
so "remind me to email Jane" is a task and not an email. Slots keep the person's own casing.
One module per family of requests; `READERS` below decides the order, and
`coworker.llm.offline.capabilities` declares each intent's plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from coworker.llm.offline.intents.advice import advice_request
from coworker.llm.offline.intents.bulk import bulk_request, bulk_status_request
from coworker.llm.offline.intents.callbacks import callback_request
from coworker.llm.offline.intents.common import (
    I,
    Intent,
    IntentKind,
    calm,
    make_intent,
    strip_preamble,
)
from coworker.llm.offline.intents.composing import body_text, subject_from_body
from coworker.llm.offline.intents.corrections import correction_request, text_fix_request
from coworker.llm.offline.intents.daily import daily_request
from coworker.llm.offline.intents.deal_filters import deal_size_request
from coworker.llm.offline.intents.deal_opening import create_deal_request
from coworker.llm.offline.intents.deals import deal_date_request, update_deal_request
from coworker.llm.offline.intents.deleting import delete_request
from coworker.llm.offline.intents.enrolling import enroll_request
from coworker.llm.offline.intents.field_said_again import said_again_request
from coworker.llm.offline.intents.fixing import fix_request, words_fix_request
from coworker.llm.offline.intents.have_me import have_me_request
from coworker.llm.offline.intents.lead_fields import (
    bare_name_request,
    details_with_request,
    dial_request,
    name_at_request,
    possessive_details_request,
)
from coworker.llm.offline.intents.lead_lists import leads_request
from coworker.llm.offline.intents.lead_moves import lead_move_request
from coworker.llm.offline.intents.lead_questions import (
    field_of_request,
    field_question_request,
    pasted_question_request,
    should_request,
)
from coworker.llm.offline.intents.lead_status import lead_status_request
from coworker.llm.offline.intents.lead_updates import said_status_request, update_fields_request
from coworker.llm.offline.intents.leads import (
    create_lead_request,
    lead_fields,
    status_request,
)
from coworker.llm.offline.intents.listed_questions import longest_waiting_request
from coworker.llm.offline.intents.lists import list_request
from coworker.llm.offline.intents.logged_notes import (
    logged_later_request,
    logged_statement_request,
    pasted_note_request,
)
from coworker.llm.offline.intents.mailboxes import switch_mailbox_request
from coworker.llm.offline.intents.meta import (
    meta_request,
    overview_request,
    place_call_request,
    tracking_request,
    unsupported_topic,
    unsupported_verb_request,
)
from coworker.llm.offline.intents.more_fields import with_more_fields
from coworker.llm.offline.intents.notes import note_request
from coworker.llm.offline.intents.oops import slip_said
from coworker.llm.offline.intents.pasted_tasks import pasted_task_request
from coworker.llm.offline.intents.quoted_sends import quoted_send_request
from coworker.llm.offline.intents.revising import revise_request
from coworker.llm.offline.intents.sending import (
    email_request,
    received_request,
    sms_request,
    via_channel_request,
)
from coworker.llm.offline.intents.sent import sent_question_request, sent_request
from coworker.llm.offline.intents.stage_lists import stage_list_request
from coworker.llm.offline.intents.tag_news import tag_news_request
from coworker.llm.offline.intents.tags import create_tag_request, tag_request
from coworker.llm.offline.intents.task_done import complete_request
from coworker.llm.offline.intents.task_moves import bulk_task_move_request
from coworker.llm.offline.intents.task_updates import task_update_request
from coworker.llm.offline.intents.tasks import create_task_request, task_slots
from coworker.llm.offline.intents.whose import scoped_request, versus_request
from coworker.llm.offline.shorthand import normalise
from coworker.llm.offline.text import Utterance

WHEN_FIRST = re.compile(
    r"^(?P<when>(?:in (?:\d+|an?|one|two|three) (?:hours?|hrs?|minutes?|mins?|days?)|"
    r"tomorrow|today|tonight|(?:on |next |this )?(?:mon|tues|wednes|thurs|fri|satur|"
    r"sun)day|"
    r"next week|this (?:morning|afternoon|evening))(?:\s+(?:morning|afternoon|evening))?"
    r"(?:\s+at\s+\S+)?)\s*[,:]?\s+(?P<rest>(?:please\s+)?(?:remind|create|add|call|schedule|book|"
    r"follow|set|make|new|ping|meet|visit|prepare|prep)\b.+)$",
    I | re.S,
)


# What a request read only through its shorthand may be: it reads, so no value of it is
# ever stored (a write keeps the person's own words, `Normalised.to_original`).
_READS: frozenset[IntentKind] = frozenset(
    {
        "find_leads", "list_leads", "lead_owner", "recent_leads", "list_deals", "list_tasks",
        "list_notes", "list_calls", "list_sent", "list_tags", "list_sequences", "list_mailboxes",
        "overview", "next_calls", "prep_brief", "pipeline_report", "activity_report",
    }
)  # fmt: skip


# A reason said after a request: ", she liked the deck", " since they signed", " bc budget".
_REASON_AFTER = re.compile(
    r"\s*(?:[,;]|\s-+)?\s+(?:(?:she|he|they|we|it)(?:'s|'re|s|re)?\s|since\s|because\s|cause\s|"
    r"cuz\s|bc\s).*$",
    re.I | re.S,
)


def classify(u: Utterance, now: datetime) -> Intent:
    """The intent of one message; `now` (aware, the person's timezone) anchors due dates.
    A message not read that says the last change was wrong ("ugh no thats not what i meant")
    offers that change back (`offer_undo`), never leaves it silently."""
    intent = _read(u, now)
    unread = intent.kind in ("unsupported", "noise")
    if unread and intent.slots.get("topic") in (None, "unknown") and slip_said(calm(u.text)):
        return make_intent("offer_undo", offer=True)
    return intent


def _read(u: Utterance, now: datetime) -> Intent:
    """A message not understood as written is read once more with its shorthand expanded
    ("contacted ppl at acme"); that reading counts only when it is a read."""
    intent = _classify(u, now)
    if intent.kind not in ("unsupported", "noise") or intent.slots.get("topic") in _REFUSED:
        return intent  # an errand refused by name ("resend it thru docusign") stays refused
    reason = _REASON_AFTER.search(u.text)
    if reason and reason.start() > 0:  # "mark jane contacted, she liked the deck": the request
        asked = _classify(Utterance.of(u.text[: reason.start()]), now)
        if asked.kind not in ("unsupported", "noise"):
            return asked
    head = u.text.rpartition(",")[0]
    asked = _classify(Utterance.of(head), now) if head.strip() else intent
    if asked.kind == "update_status":  # "mark tom contacted, called both this am": a status
        return asked  # has no other value that the words after the comma could hold
    read = normalise(u.text)
    if read.text == u.text:
        return intent
    again = _classify(Utterance.of(read.text), now)
    return again if again.kind in _READS else intent


# Named refusals a second reading must not turn into a lookup ("ugh ok resend it thru
# docusign then" is no search for a lead called "resend").
_REFUSED = frozenset({"logged_later", "outside", "calendar", "social"})


@dataclass(frozen=True)
class Request:
    """One request as the readers see it: the person's words (`utterance`), the same words
    normalised (`text`: polite openings and closings dropped, a leading date moved to the
    end, where the readers look for it), and the person's clock."""

    utterance: Utterance
    text: str
    now: datetime


Reader = Callable[[Request], "Intent | None"]


def _said(rule: Callable[[Utterance, str], Intent | None]) -> Reader:
    return lambda r: rule(r.utterance, r.text)


def _dated(rule: Callable[[Utterance, str, datetime], Intent | None]) -> Reader:
    return lambda r: rule(r.utterance, r.text, r.now)


# The readers, tried in this order; the first that recognises the request decides it. The
# order is the one piece of judgement here: the conversation itself first (a "yes", help,
# noise), then the day's questions and corrections of the coworker's last change, then the
# requests that carry text or change something, most specific first ("remind me to email
# Jane" is a task, not an email; "email all new leads at Acme" is a bulk send, not one),
# then the questions, and a bare name last. Each reader lives with its family in this
# package; each kind it produces has its plan in `capabilities`.
READERS: tuple[Reader, ...] = (
    lambda r: meta_request(r.utterance, r.text),
    _said(pasted_note_request),  # "log this on X: \"...\"": the pasted words are the note
    _said(logged_later_request),  # "X not interested, ill log it later": nothing to log
    _said(logged_statement_request),  # "X not interested, log it": the statement is the note
    _said(pasted_question_request),  # a question after pasted text: nothing pasted is acted on
    _said(should_request),  # "should i mark hugo as customer?" asks: before every change
    _said(advice_request),  # "should i mark dana lost?": her record, never a change
    _dated(pasted_task_request),  # "dana sent this, task to reply tmrw: '…'": the paste is data
    _dated(have_me_request),  # "have me email jane fri": a task of mine, never an email now
    # "new leads since yday, just mine not sam's": the scope apart, then the question
    lambda r: scoped_request(r.utterance, r.text, r.now, _classify),
    lambda r: versus_request(r.utterance, r.text, r.now, _classify),  # "my leads vs sam's"
    lambda r: daily_request(r.text),
    lambda r: lead_status_request(r.text),  # "where are we w marcus?": his records, not a list
    lambda r: longest_waiting_request(r.text),  # "which one's the oldest": of the list shown
    lambda r: revise_request(r.utterance.raw),  # "actually make it: …": before corrections
    lambda r: said_again_request(r.text),  # "thats old, it's x@y.com now": the field read back
    lambda r: correction_request(r.text, r.now, r.utterance.text),
    lambda r: fix_request(r.text, r.now, r.utterance.text),  # "not tmrw, the day after"
    lambda r: overview_request(r.text),
    _said(unsupported_verb_request),
    _said(place_call_request),  # "dial marcus for me rn": before "right now" reads as a due date
    lambda r: tracking_request(r.text),
    lambda r: bulk_request(r.text, r.now, r.utterance),
    _said(bulk_status_request),  # "mark all … tagged hot as qualified": before the tag reader
    _dated(bulk_task_move_request),  # "push all my overdue tasks to tmrw": before one task
    _said(field_of_request),  # "email addr for X" is a question, not an email to X
    _said(sent_question_request),  # "did i already email jane the pricing?": before every send
    _said(received_request),  # "text from jane: …" was received: before every send
    _said(via_channel_request),
    _said(switch_mailbox_request),  # "use gmail instead": before a send is read
    _said(quoted_send_request),  # "send him this: '...'": the quoted words, whole
    _said(email_request),
    _said(sms_request),
    _said(enroll_request),
    lambda r: tag_news_request(r.text),  # "add enterprise" after a look-up: a tag it has
    _said(tag_request),
    lambda r: lead_move_request(r.text),  # "talked to X, he's moving to Y as CTO. update it"
    _dated(callback_request),  # "priya wants a callback tmrw at 2pm": a task, not a note
    _said(note_request),
    _dated(deal_date_request),  # "close date to jan 31": a deal's date, before tasks read it
    _said(complete_request),
    _said(delete_request),
    _dated(create_task_request),
    _dated(create_deal_request),
    _said(create_lead_request),
    _said(create_tag_request),
    # "my open opps over 100k": a listing kept to a size, before a value reads as a change
    lambda r: deal_size_request(r.utterance, r.text, r.now, _classify),
    _dated(stage_list_request),  # "initech opps in negotiation?" asks: before deal moves
    _dated(update_deal_request),
    _said(status_request),
    _said(said_status_request),  # "daniel's contacted now": after the status reader proper
    # "new email for tom: x, and his cell is y": both fields, never only the first
    lambda r: with_more_fields(update_fields_request(r.utterance, r.text), r.text),
    _dated(task_update_request),
    _said(field_question_request),
    _said(possessive_details_request),
    _said(sent_request),  # what was sent, with its period: before the other listings
    _said(details_with_request),  # "dana and her notes": one lead's, before every listing
    _dated(list_request),
    _said(name_at_request),  # "maya at tyrell": one person, before listing all at a company
    _said(leads_request),
    _said(dial_request),
    lambda r: text_fix_request(r.text),  # "make it SVP of Sales": only what nothing else reads
    lambda r: words_fix_request(r.text),  # "typo, 14 seats not 40": a word of the title
    _said(bare_name_request),
)


def normalised(u: Utterance, now: datetime) -> Request:
    """The request as the readers read it ("tomorrow, remind me to call Dana": the date
    goes where the rules look for it)."""
    text = strip_preamble(u.text)
    when_first = WHEN_FIRST.match(text)
    if when_first:
        text = strip_preamble(f"{when_first['rest']} {when_first['when']}")
    return Request(u, text, now)


def _classify(u: Utterance, now: datetime) -> Intent:
    request = normalised(u, now)
    for reader in READERS:
        found = reader(request)
        if found is not None:
            return found
    return unsupported_topic(u, request.text)


__all__ = [
    "READERS",
    "Intent",
    "Reader",
    "Request",
    "body_text",
    "classify",
    "lead_fields",
    "strip_preamble",
    "subject_from_body",
    "task_slots",
]
