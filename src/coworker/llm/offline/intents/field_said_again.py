"""A lead's field said again right after it was read back: "whats priya's email on file" then
"thats old, it's priya.shah@acmecorp.com now" (or "not anymore, its CRO now").

The lead is the one just shown (a pronoun reference); the field is the one the new value can
only be: an address is the email, a number the phone, a job title the title. A value that
fits none ("thats old, its different now") is no change. Apart from `lead_updates.py`, whose
sentences name the lead or the field.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.intents.leads import has_title_words
from coworker.llm.offline.phones import find_phones, storable
from coworker.llm.offline.slots import LeadRef, email_in

_OUTDATED = (
    r"(?:(?:that'?s|thats|that is|its|it's|it is|this is|this one'?s)\s+(?:an?\s+)?(?:old|"
    r"outdated|out of date|wrong|not right|stale|dead|bouncing|the old one|no good|not it)|"
    r"(?:that|it)\s+(?:changed|bounces|is dead)|not anymore|not any more|nope|no|wrong|old)"
)
_NEW_IS = (
    r"(?:(?:the\s+)?new one(?:'s|’s| is)|it'?s|its|it is|now it'?s|now its|now|(?:she|he|they)"
    r"(?:'s|’s| is| are|'re)|use|should be|(?:change|update|set) it to)"
)
_SAID_AGAIN = re.compile(
    rf"^{_OUTDATED}(?:\s+(?:lol|btw|fyi|tho))?\s*(?:[,;.!:]+|\s-+)\s*{_NEW_IS}\s+(?:now\s+)?"
    r"(?:the\s+|an?\s+)?(?P<value>.+?)(?:\s+(?:now|these days|pls|please|thx|thanks))*[.!]*$",
    I,
)


def said_again_request(cmd: str) -> Intent | None:
    """The field the new value fixes on the lead just shown, or None when it fixes none."""
    m = _SAID_AGAIN.match(cmd.strip())
    if m is None:
        return None
    value = m["value"].strip()
    changes: dict[str, str | None]
    email = email_in(value)
    if email is not None and email == value.strip("<>"):
        changes = {"email": email}
    elif (phones := find_phones(value)) and len(phones) == 1 and phones[0].text == value:
        changes = {"phone": storable(phones[0].text)}
    elif has_title_words(value) and len(value.split()) <= 6 and "@" not in value:
        changes = {"title": value}
    else:
        return None
    return make_intent("update_lead", ref=LeadRef(pronoun=True), changes=changes)
