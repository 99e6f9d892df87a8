"""One message to many people ("email all new leads at Acme a quick hello", "text everyone
I meet tomorrow that I'm running late"): the verb, the group in words, and what to say.

The group is either leads by status, company, tag and whose ("all my new acme leads",
"all hot leads at Acme") or the people the person meets on a day: the leads of their open
tasks due that day (the CRM has no calendar; its tasks are what a rep books). A group named
by none of these is not a bulk request, so "email everyone" falls through to the rules that
ask who. A word of the group read as no filter is kept (`unread`): the plan asks about it
rather than send to, or change, a bigger group than the person named.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.dates import find_when
from coworker.llm.offline.intents.common import I, Intent, Slots, make_intent
from coworker.llm.offline.intents.composing import as_written, body_text
from coworker.llm.offline.intents.groups import read_group
from coworker.llm.offline.intents.leads import status_request
from coworker.llm.offline.text import Utterance

# A colon after a word that could join the group to the words ("leads that are mine: hi")
# is where the words start.
BULK = re.compile(
    r"^(?:send\s+)?(?P<verb>e-?mail|mail|text|sms|txt)\s+"
    r"(?P<who>(?:all|each|every)\s+(?:of\s+)?(?:the\s+|my\s+)?\S.*?|every(?:one|body)\s+\S.*?)"
    r"(?:\s*(?P<conn>:|\s(?:that|saying|to say|telling them(?:\s+that)?|to tell them(?:\s+that)?|"
    r"letting them know(?:\s+that)?)(?![^:]*:(?:\s|$)))\s*(?P<said>\S.*)"
    r"|\s+(?P<noun>an?\s+(?:quick\s+|short\s+|brief\s+|little\s+)?(?:hello|hi|note|reminder|"
    r"thank[- ]you|thanks|heads[- ]up|update|check[- ]in|happy new year)\b.*))?$",
    I | re.S,
)
MEETING = re.compile(
    r"\b(?:i(?:'m| am|m)?\s+(?:meet|meeting|see|seeing|visit|visiting)|i have (?:a )?(?:meeting|"
    r"call|demo)s? with|(?:my )?meetings?)\b",
    I,
)
_MARK_ALL = re.compile(
    r"^(?:mark|set|move|change|update|make|flag|switch)\s+(?:all|each|every|every(?:one|body))\b", I
)


def bulk_status_request(u: Utterance, cmd: str) -> Intent | None:
    """ "mark all acme leads tagged hot as qualified": a status change over a group, read
    before the tag reader could take the status for a tag."""
    if not _MARK_ALL.match(cmd.strip()):
        return None
    found = status_request(u, cmd)
    return found if found is not None and found.kind == "bulk_status" else None


def bulk_request(cmd: str, now: datetime, u: Utterance | None = None) -> Intent | None:
    """A bulk send, or None when the message does not name a group of people; `u`: the
    message as typed, whose words the text keeps (`as_written`)."""
    m = BULK.match(cmd.strip())
    if not m:
        return None
    channel = "email" if "mail" in m["verb"].lower() else "sms"
    who = m["who"].strip()
    if m["said"]:
        message: str | None = body_text(m["conn"] or "", m["said"])
        if u is not None and message == m["said"]:
            message = as_written(u, m["said"])
    else:
        message = m["noun"].strip().rstrip(".!") if m["noun"] else None
    if MEETING.search(who):
        dated = [w for w in find_when(who, now) if w.has_date]
        day = (dated[0].value if dated else now).date().isoformat()
        said_day = dated[0].text if dated else "today"
        rest = MEETING.sub(" ", who)
        rest = rest.replace(dated[0].text, " ") if dated else rest
        filters = read_group(f"all {rest}") or Slots()  # "everyone i meet tmrw at acme"
        return make_intent("bulk_send", **filters).but(
            channel=channel,
            group="meetings",
            day=day,
            day_text=said_day,
            who=who,
            message=message,
            greeting=bool(m["noun"]),
        )
    group = read_group(who)
    if group is None:
        return None
    return make_intent("bulk_send", **group).but(
        channel=channel,
        group="leads",
        who=who,
        message=message,
        greeting=bool(m["noun"]),
    )
