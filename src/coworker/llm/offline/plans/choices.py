"""Requests that name a value the CRM does not have ("mark jane as hot lead status").

A lead's status is one of a fixed few; a word that is none of them is not turned into the
nearest one, nor into a tag the person did not ask for: the reply says what the choices are,
and nothing is changed. The lead is looked up (a read), so "mark her as qualified then" can
follow.
"""

from __future__ import annotations

from coworker.llm.offline import replies
from coworker.llm.offline.engine import Plan, Reply
from coworker.llm.offline.resolve import Ctx, find_lead
from coworker.llm.offline.slots import LeadRef
from coworker.llm.offline.vocab import STATUSES


def unknown_status(ctx: Ctx) -> Plan:
    words = str(ctx.intent.slots.get("words") or "")
    ref: LeadRef = ctx.intent.slots.get("ref") or LeadRef()
    lead = yield from find_lead(ctx, ref, purpose="do you mean")
    who = replies.lead_short(lead)
    now = f" (now {lead['status']})" if lead.get("status") else ""
    label = [w for w in words.lower().split() if w not in ("lead", "status", "a", "an")]
    first = str(lead.get("name") or "them").split()[0]
    choices = ", ".join(STATUSES[:-1]) + f" or {STATUSES[-1]}"
    text = (
        f"“{words}” isn't a lead status, so I didn't change **{who}**{now}. A lead's status "
        f"is {choices} — e.g. “mark {first} as qualified”."
    )
    if len(label) == 1:  # "hot lead": a label, which a tag is for
        text += f" If you meant a label, I can tag them instead: “tag {first} as {label[0]}”."
    return Reply(text)
