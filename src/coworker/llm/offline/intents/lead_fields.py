"""A lead's fields: changing one ("set Jane's title to CFO"), asking for one ("what's
Jane's email?"), her details ("Jane's info"), calling her ("call Jane"), and a bare name.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import (
    DEAL_WORDS,
    TASK_WORDS,
    I,
    Intent,
    make_intent,
)
from coworker.llm.offline.slots import (
    email_in,
    lead_ref,
    looks_like_name_word,
    phone_in,
)
from coworker.llm.offline.text import KEYWORDS, Utterance

FIELDS = {
    "email": "email",
    "email address": "email",
    "e-mail": "email",
    "address": "email",
    "email addy": "email",
    "phone": "phone",
    "phone number": "phone",
    "number": "phone",
    "mobile": "phone",
    "cell": "phone",
    "mobile number": "phone",
    "cell number": "phone",
    "title": "title",
    "job title": "title",
    "role": "title",
    "position": "title",
    "job": "title",
    "company": "company",
    "employer": "company",
    "name": "name",
    "source": "source",
    "last name": "name",
}


FIELD = (
    r"(?P<field>email address|e-mail|email addy|email|address|phone number|mobile number|"
    r"cell number|phone|number|mobile|cell|job title|title|role|position|company|employer|"
    r"name|source)"
)


# Where a value ends and the next clause begins: "Hooli, please update her company".
_CLAUSE = re.compile(
    r"\s*[,;]\s*(?:please|pls|plz|can you|could you|can u|and|so|thanks|thx)\b|"
    r"\s+(?:please|pls|plz)\b|\s*[.!?]\s+",
    I,
)


def update_fields_request(u: Utterance, cmd: str) -> Intent | None:
    patterns = (
        rf"^(?:change|update|set|fix|correct|edit|replace|make)\s+(?P<ref>.+?)(?:'s|s'|"
        rf"\s+)\s*{FIELD}\s+(?:to|as|=|:|with|into)\s+(?P<value>.+)$",
        rf"^(?:change|update|set|fix|correct|edit)\s+(?:the\s+)?{FIELD}\s+(?:of|for|"
        rf"on)\s+(?P<ref>.+?)\s+(?:to|as|=|:)\s+(?P<value>.+)$",
        rf"^(?P<ref>.+?)(?:'s|s')\s+(?:new\s+|correct\s+|actual\s+|updated\s+)?{FIELD}\s+(?:is|=|"
        rf":)\s+(?:now\s+|actually\s+)?(?P<value>.+)$",
        rf"^(?P<ref>.+?)\s+has\s+a\s+new\s+{FIELD}\s*(?:[:\-,]|is)?\s*(?P<value>.+)$",
        rf"^(?:new|updated|correct)\s+{FIELD}\s+for\s+(?P<ref>.+?)\s*(?:[:\-,]|"
        rf"is)\s*(?P<value>.+)$",
        r"^(?P<ref>.+?)\s+(?:now works|works now|has moved|moved|switched|has joined|joined|"
        r"is now)\s+(?:at|for|to|with)\s+(?P<value>.+)$",
    )
    for i, pattern in enumerate(patterns):
        m = re.match(pattern, cmd, I)
        if not m:
            continue
        field_name = "company" if i == 5 else FIELDS[m["field"].lower()]
        if i == 5 and (len(m["ref"].split()) > 4 or re.search(r"\d", m["value"])):
            continue  # "the demo moved to 4pm" is not a lead changing company
        value = _CLAUSE.split(m["value"], maxsplit=1)[0]
        value = value.strip().strip("\"'").rstrip(".")
        if field_name == "email":
            found = email_in(value)
            if not found:
                continue
            value = found
        elif field_name == "phone":
            found_phone = phone_in(value)
            if not found_phone:
                continue
            value = found_phone[0]
        ref_text = m["ref"]
        if re.search(rf"\b{DEAL_WORDS}\b|\b{TASK_WORDS}\b", ref_text, I):
            return None
        return make_intent("update_lead", ref=lead_ref(ref_text), changes={field_name: value})
    return None


FIELD_Q = (
    r"(?P<f>email address|email|e-mail|phone number|phone|number|mobile|cell|job title|title|"
    r"role|company|status)"
)


def field_question_request(u: Utterance, cmd: str) -> Intent | None:
    """ "what's Jane's email?", "phone number for Tom Becker", "Chris Parker's title"."""
    patterns = (
        rf"^(?:what'?s|what is|whats|give me|get me|tell me|find|show me|i need|need|do you have|"
        rf"do we have|look up|send me)?\s*(?:the\s+)?{FIELD_Q}(?:\s+address)?\s+(?:for|of|"
        rf"on)\s+(?P<r>.+)$",
        rf"^(?:what'?s|what is|whats|give me|get me|tell me|find|show me|i need|need|look up|"
        rf"do you have|do we have)?\s*(?P<r>[\w@.+' -]+?)(?:'s|s')\s+{FIELD_Q}$",
        rf"^(?:what|which)\s+{FIELD_Q}\s+(?:does|is)\s+(?P<r>.+?)\s+(?:have|use|at|work at|with|"
        rf"in)?$",
    )
    for pattern in patterns:
        m = re.match(pattern, cmd, I)
        if m:
            key = m["f"].lower()
            field_name = (
                "phone"
                if key in ("number", "mobile", "cell")
                else "status"
                if key == "status"
                else FIELDS.get(key, "email")
            )
            ref = lead_ref(m["r"])
            if ref.empty:
                return None
            return make_intent(
                "find_leads", ref=ref, query=ref.text or None, details=True, field=field_name
            )
    return None


POSSESSIVE_DETAILS = re.compile(
    r"^(?:i need|i want|get me|get|show me|show|give me|pull up|what are|open|send me|see)?\s*"
    r"(?:the\s+)?(?P<r>[\w@.+' -]+?)(?:'s|s')\s+(?:full\s+)?(?:details|info|information|profile|"
    r"record|contact (?:info|details)|file|card|summary)$",
    I,
)


def possessive_details_request(u: Utterance, cmd: str) -> Intent | None:
    """ "Jane Smith's details", "show me Tom's profile"."""
    m = POSSESSIVE_DETAILS.match(cmd)
    if not m:
        return None
    ref = lead_ref(m["r"])
    if ref.empty:
        return None
    return make_intent("find_leads", ref=ref, query=ref.text or None, details=True)


def dial_request(u: Utterance, cmd: str) -> Intent | None:
    m = re.match(
        r"^(?:call|ring|phone|dial|give)\s+(?P<r>.+?)(?:\s+a\s+(?:call|ring|buzz))?(?:\s+now)?$",
        cmd,
        I,
    )
    if not m:
        return None
    return make_intent("call_lead", ref=lead_ref(m["r"]))


def bare_name_request(u: Utterance, cmd: str) -> Intent | None:
    """A message that is only a name ("Jane Smith", "chris?"): look the lead up."""
    text = cmd.strip(" ?!.")
    if not text or len(text) > 60:
        return None
    email = email_in(text)
    if email and email == text:
        return make_intent("find_leads", ref=lead_ref(text), query=text, details=True)
    phone = phone_in(text)
    if phone and phone[0] == text:
        return make_intent("find_leads", ref=lead_ref(text), query=text, details=True)
    words = text.split()
    if len(words) > 4:
        return None
    if all(
        looks_like_name_word(w.lower().strip("'.,")) or w[:1].isupper() for w in words
    ) and not any(w.lower() in KEYWORDS for w in words):
        return make_intent("find_leads", ref=lead_ref(text), query=text, details=True)
    return None
