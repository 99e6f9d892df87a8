"""Utterance -> intent and slots: what the person wants, in their everyday words.

Not a command syntax: each rule looks for the verb and the object a request is built from
("email" + someone, "mark" + someone + a status, a call report with an outcome), in any of
the usual word orders, after polite preambles ("could you please") are dropped. Rules run
from the most specific (sending, logging) to the most general (listing, looking a name up),
so "remind me to email Jane" is a task and not an email. Slots keep the person's own casing.
One module per family of requests; `classify` decides the order.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.intents.bulk import bulk_request
from coworker.llm.offline.intents.common import I, Intent, make_intent, strip_preamble
from coworker.llm.offline.intents.corrections import correction_request
from coworker.llm.offline.intents.daily import daily_request
from coworker.llm.offline.intents.deals import create_deal_request, update_deal_request
from coworker.llm.offline.intents.lead_fields import (
    bare_name_request,
    dial_request,
    field_question_request,
    possessive_details_request,
    update_fields_request,
)
from coworker.llm.offline.intents.lead_lists import leads_request
from coworker.llm.offline.intents.leads import (
    create_lead_request,
    create_tag_request,
    delete_request,
    lead_fields,
    status_request,
    tag_request,
)
from coworker.llm.offline.intents.lists import list_request
from coworker.llm.offline.intents.meta import (
    OVERVIEW,
    meta_request,
    unsupported_topic,
    unsupported_verb_request,
)
from coworker.llm.offline.intents.notes import note_request
from coworker.llm.offline.intents.sending import (
    body_text,
    email_request,
    enroll_request,
    sms_request,
    subject_from_body,
    via_channel_request,
)
from coworker.llm.offline.intents.tasks import (
    complete_request,
    create_task_request,
    task_slots,
    task_update_request,
)
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
_READS = frozenset(
    "find_leads list_deals list_tasks list_notes list_calls list_sent list_tags list_sequences "
    "list_mailboxes overview next_calls prep_brief pipeline_report activity_report".split()
)


def classify(u: Utterance, now: datetime) -> Intent:
    """The intent of one message; `now` (aware, the person's timezone) anchors due dates.

    A message not understood as written is read once more with its shorthand expanded
    ("contacted ppl at acme"); that reading counts only when it is a read."""
    intent = _classify(u, now)
    if intent.kind not in ("unsupported", "noise"):
        return intent
    read = normalise(u.text)
    if read.text == u.text:
        return intent
    again = _classify(Utterance.of(read.text), now)
    return again if again.kind in _READS else intent


def _classify(u: Utterance, now: datetime) -> Intent:
    cmd = strip_preamble(u.text)
    when_first = WHEN_FIRST.match(cmd)
    if when_first:  # "tomorrow, remind me to call Dana": the date goes where the rules look
        cmd = strip_preamble(f"{when_first['rest']} {when_first['when']}")
    meta = meta_request(u, cmd)
    if meta is not None:
        return meta
    daily = daily_request(cmd) or correction_request(cmd)
    if daily is not None:
        return daily
    if OVERVIEW.search(cmd) and not re.search(r"\btomorrow\b|\bnext week\b", cmd, I):
        return make_intent("overview")
    found = unsupported_verb_request(u, cmd)
    if found is not None:
        return found
    if re.search(
        r"\b(?:did|has|have)\b.*\b(?:open(?:ed)?|read|click(?:ed)?)\b.*\b(?:email|mail|message|"
        r"link)\b",
        cmd,
        I,
    ):
        return make_intent("unsupported", topic="tracking")
    found = bulk_request(cmd, now)  # "email all new leads at Acme ...": before one person's
    if found is not None:
        return found
    for rule in (
        via_channel_request,
        email_request,
        sms_request,
        enroll_request,
        tag_request,
        note_request,
        complete_request,
        delete_request,
    ):
        found = rule(u, cmd)
        if found is not None:
            return found
    for dated in (create_task_request,):
        found = dated(u, cmd, now)
        if found is not None:
            return found
    found = create_deal_request(u, cmd, now)
    if found is not None:
        return found
    for rule in (create_lead_request, create_tag_request):
        found = rule(u, cmd)
        if found is not None:
            return found
    found = update_deal_request(u, cmd, now)
    if found is not None:
        return found
    for rule in (status_request, update_fields_request):
        found = rule(u, cmd)
        if found is not None:
            return found
    found = task_update_request(u, cmd, now)
    if found is not None:
        return found
    for rule in (unsupported_verb_request, field_question_request, possessive_details_request):
        found = rule(u, cmd)
        if found is not None:
            return found
    found = list_request(u, cmd, now)
    if found is not None:
        return found
    for rule in (leads_request, dial_request, bare_name_request):
        found = rule(u, cmd)
        if found is not None:
            return found
    return unsupported_topic(u, cmd)


__all__ = [
    "Intent",
    "body_text",
    "classify",
    "lead_fields",
    "strip_preamble",
    "subject_from_body",
    "task_slots",
]
