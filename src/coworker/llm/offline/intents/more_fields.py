"""A second contact detail said in the same breath as the first: "new email for tom becker:
tbecker@acme.com, and his cell is 555-031-9001". The lead-field readers read one field; the
second one would be dropped, and half a change done is a wrong change. An address or a
number said after the first, for "his"/"her" (or no one else), joins the same update; a
second field named whose value can't be read makes the whole update asked first.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I, Intent
from coworker.llm.offline.intents.lead_field_names import ASKED_FIELDS, alternatives
from coworker.llm.offline.phones import find_phones, storable
from coworker.llm.offline.slots import EMAIL, email_in

_CONTACT = {name: field for name, field in ASKED_FIELDS.items() if field in ("email", "phone")}
# ", and his cell is 555-…", "; her email: x@y.com", "+ phone 555-…" after the first value
_MORE = re.compile(
    rf"^\s*(?:[,;.]|\s-+)?\s*(?:and|also|plus|&|\+)?\s*(?:(?P<whose>his|her|their|the)\s+)?"
    rf"(?:new\s+)?(?P<field>{alternatives(_CONTACT)})\s*(?:is|'s|’s|:|=|-|to)?\s*"
    r"(?:now\s+)?(?P<value>\S.*?)[\s.!]*$",
    I,
)


def with_more_fields(intent: Intent | None, text: str) -> Intent | None:
    """`intent` (one lead field changed) with the other contact field said after it."""
    if intent is None or intent.kind != "update_lead":
        return intent
    changes = dict(intent.slots.get("changes") or {})
    if len(changes) != 1:
        return intent
    ((first, value),) = changes.items()
    end = _end_of(text, first, value)
    more = _MORE.match(text[end:]) if end is not None else None
    if more is None:
        return intent
    field = _CONTACT[more["field"].lower()]
    said = _read(field, more["value"])
    if field == first or said is None:  # "…, and his other email is…": asked, not half done
        return intent.but(implied=True)
    return intent.but(changes={**changes, field: said})


def _end_of(text: str, field: str, value: str | None) -> int | None:
    """Where the first value ends in `text`: its address, or its number as found."""
    if not value or field not in ("email", "phone"):
        return None
    if field == "email":
        found = next((m for m in EMAIL.finditer(text) if m.group(0) == value), None)
        return found.end() if found else None
    phones = find_phones(text)
    return phones[0].end if phones else None


def _read(field: str, said: str) -> str | None:
    """The whole of `said` as an address or a number; None when it is anything more."""
    if field == "email":
        found = email_in(said)
        return found if found == said.strip() else None
    phones = find_phones(said)
    whole = len(phones) == 1 and phones[0].start == 0 and phones[0].end >= len(said.rstrip())
    return storable(phones[0].text) if whole else None
