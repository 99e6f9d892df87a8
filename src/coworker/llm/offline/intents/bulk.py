"""One message to many people ("email all new leads at Acme a quick hello", "text everyone
I meet tomorrow that I'm running late"): the verb, the group in words, and what to say.

The group is either leads by status and company ("all new leads at Acme") or the people
the person meets on a day: the leads of their open tasks due that day (the CRM has no
calendar; its tasks are what a rep books). A group named by neither is not a bulk request,
so "email everyone" falls through to the rules that ask who.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.dates import find_when
from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.intents.sending import body_text

BULK = re.compile(
    r"^(?:send\s+)?(?P<verb>e-?mail|mail|text|sms|txt)\s+"
    r"(?P<who>(?:all|each|every)\s+(?:of\s+)?(?:the\s+|my\s+)?\S.*?|every(?:one|body)\s+\S.*?)"
    r"(?:\s*(?P<conn>:|\s(?:that|saying|to say|telling them(?:\s+that)?|to tell them(?:\s+that)?|"
    r"letting them know(?:\s+that)?))\s*(?P<said>\S.*)"
    r"|\s+(?P<noun>an?\s+(?:quick\s+|short\s+|brief\s+|little\s+)?(?:hello|hi|note|reminder|"
    r"thank[- ]you|thanks|heads[- ]up|update|check[- ]in|happy new year)\b.*))?$",
    I | re.S,
)
MEETING = re.compile(
    r"\b(?:i(?:'m| am)?\s+(?:meet|meeting|see|seeing|visit|visiting)|i have (?:a )?(?:meeting|"
    r"call|demo)s? with|(?:my )?meetings?)\b",
    I,
)
COMPANY = re.compile(
    r"\b(?:at|from)\s+(?!(?:them|us|you|me)\b)(?P<company>[A-Z0-9][\w&.' -]{0,60}?)\s*$", I
)


def bulk_request(cmd: str, now: datetime) -> Intent | None:
    """A bulk send, or None when the message does not name a group of people."""
    m = BULK.match(cmd.strip())
    if not m:
        return None
    channel = "email" if "mail" in m["verb"].lower() else "sms"
    who = m["who"].strip()
    if m["said"]:
        message: str | None = body_text(m["conn"] or "", m["said"])
    else:
        message = m["noun"].strip().rstrip(".!") if m["noun"] else None
    if MEETING.search(who):
        dated = [w for w in find_when(who, now) if w.has_date]
        day = (dated[0].value if dated else now).date().isoformat()
        said_day = dated[0].text if dated else "today"
        return make_intent(
            "bulk_send",
            channel=channel,
            group="meetings",
            day=day,
            day_text=said_day,
            who=who,
            message=message,
            greeting=bool(m["noun"]),
        )
    status = vocab.status_in(who.lower())
    if status and not re.search(r"\bleads?\b|\bcontacts?\b|\bprospects?\b|\bpeople\b", who, I):
        status = None
    company_hit = COMPANY.search(who)
    company = company_hit["company"].strip() if company_hit else None
    if status is None and company is None:
        return None
    return make_intent(
        "bulk_send",
        channel=channel,
        group="leads",
        status=status,
        company=company,
        who=who,
        message=message,
        greeting=bool(m["noun"]),
    )
