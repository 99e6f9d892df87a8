"""The words people use for a lead's fields ("phone #", "job title", "addy"), and whether
some words could be who a sentence is about ("marcus reed", "her").

Shared by the rules that change a field (`lead_updates.py`), ask for one
(`lead_questions.py`), look a lead up (`lead_fields.py`) and list leads (`lead_lists.py`),
so each reads a field's name and a person's name the same way.
"""

from __future__ import annotations

import re

from coworker.llm.offline.slots import looks_like_name_word
from coworker.llm.offline.text import KEYWORDS

# A lead's field as people name it, by the field it is (questions may ask for the status).
ASKED_FIELDS = {
    "email address": "email",
    "e-mail address": "email",
    "email addr": "email",
    "email addy": "email",
    "e-mail": "email",
    "email": "email",
    "addr": "email",
    "address": "email",
    "phone number": "phone",
    "phone num": "phone",
    "phone no": "phone",
    "phone #": "phone",
    "cell number": "phone",
    "cell phone": "phone",
    "cell #": "phone",
    "mobile number": "phone",
    "mobile #": "phone",
    "direct line": "phone",
    "phone": "phone",
    "number": "phone",
    "num": "phone",
    "cell": "phone",
    "mobile": "phone",
    "#": "phone",
    "job title": "title",
    "title": "title",
    "role": "title",
    "position": "title",
    "job": "title",
    "company name": "company",
    "company": "company",
    "employer": "company",
    "co": "company",
    "org": "company",
    "lead status": "status",
    "status": "status",
    "lead source": "source",
    "source": "source",
}
# What else a question may ask of one lead beside its fields ("janes number + latest note"):
# never a field a sentence changes, so apart from `ASKED_FIELDS`.
ASKED_ALSO = {
    "latest notes": "notes",
    "latest note": "notes",
    "last notes": "notes",
    "last note": "notes",
    "recent notes": "notes",
    "notes": "notes",
    "note": "notes",
    "tags": "tags",  # "what tags does tariq have": read here, changed by the tag reader
    "labels": "tags",
}
# The fields a sentence may change ("set Jane's title to CFO"); the status has its own rule.
FIELDS = {
    **{name: f for name, f in ASKED_FIELDS.items() if f != "status"},
    "name": "name",
    "last name": "name",
}


def alternatives(names: dict[str, str]) -> str:
    """One regex alternative per name, longest first ("phone number" before "phone")."""
    keys = sorted(names, key=len, reverse=True)
    return r"(?<![\w#])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w#])"


FIELD = rf"(?P<field>{alternatives(FIELDS)})"


def named(text: str) -> bool:
    """Could these words be who a question is about ("marcus reed", "her", "jane@acme.com")?"""
    words = text.replace("’", "'").split()
    if not words or len(words) > 4:
        return False
    if len(words) == 1 and _PRONOUN_POSSESSIVE.fullmatch(words[0].lower()):
        return True
    return all(
        "@" in w
        or looks_like_name_word(w.lower().strip("'.,").removesuffix("'s"))
        or (w[:1].isupper() and w.lower() not in KEYWORDS)
        for w in words
    ) and not any(w.lower() in KEYWORDS for w in words)


_PRONOUN_POSSESSIVE = re.compile(r"her|his|their|them|him|this (?:lead|person|guy|one)")


_FIELD_WORDS = frozenset(
    w for w in (*ASKED_FIELDS, "name", "tags", "stage") if w.isalpha() and len(w) > 3
)


def could_be_person_name(text: str) -> bool:
    """Whether a new lead's name as read could be a person's name: letters, no field word
    ("Source = Event", "Email: X" are a field misread, never a name to create a lead by)."""
    if not re.search(r"[^\W\d_]", text) or re.search(r"[=:@<>{}\[\]|]", text):
        return False
    return not any(w.lower().strip(".,'") in _FIELD_WORDS for w in text.split())
