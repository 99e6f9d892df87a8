"""A second field said in the same change: "update his company to initech, title ops manager",
"change tom's company to hooli and title to CTO".

Without it the second field's words would be read as part of the first value (a company
"initech, title ops manager"), or make the change look unsure. Only a field named in so many
words after a comma or "and" starts a second value; everything else stays the first value.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I
from coworker.llm.offline.intents.lead_field_names import FIELD, FIELDS

_NEXT_FIELD = re.compile(
    r"\s*(?:,|;|\s-+|\s+and|\s*&|\s*\+)\s*(?:(?:and|also|plus)\s+)?(?:(?:his|her|their|the)\s+)?"
    rf"(?:new\s+)?{FIELD}\s*(?:to\s+|as\s+|=\s*|:\s*|->\s*|is\s+|should be\s+)?(?P<second>\S.*)$",
    I,
)


def second_field(said: str, first: str | None) -> tuple[str, str | None, str | None]:
    """ "initech, title ops manager" -> ("initech", "title", "ops manager"): the first value,
    then the second field and its words when another field than `first` is named after it.
    With no first field named (`first` None: "tom is cto now") the words are one value."""
    m = _NEXT_FIELD.search(said) if first else None
    if m is None or m.start() == 0:
        return said, None, None
    field_name = FIELDS[m["field"].lower()]
    if field_name == first or field_name == "name":
        return said, None, None
    return said[: m.start()], field_name, m["second"]
