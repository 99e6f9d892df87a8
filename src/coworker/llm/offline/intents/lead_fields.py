"""Looking a lead up: her details ("Jane's info", "pull up dana and her notes"), calling
her ("call Jane"), a name and where she works ("maya at tyrell"), and a bare name.

Changing a field is `lead_updates.py`, asking for one `lead_questions.py`; the field names
both use are `lead_field_names.py`.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import TRAILER, I, Intent, make_intent
from coworker.llm.offline.intents.lead_field_names import named
from coworker.llm.offline.intents.lead_lists import ROLE_AT
from coworker.llm.offline.slots import LeadRef, email_in, lead_ref, looks_like_name_word, phone_in
from coworker.llm.offline.text import KEYWORDS, Utterance

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


# "tom beker at acme", "hannah phillips @ black mesa", "which schmidt is at tyrell",
# "pull up maya at tyrell", "who is hannah at black mesa".
_NAME_AT = re.compile(
    r"^(?:(?:pull up|show me|show|find|find me|look up|lookup|get|open|who is|who's|whos|"
    r"i need|need)\s+)?(?:the\s+)?(?:(?:which|what)\s+(?P<w>[\w'’-]+(?:\s+[\w'’-]+)?)\s+"
    r"(?:is|works?|was)\s+(?:at|for|with)|"
    r"(?P<n>[\w'’.-]+(?:\s+[\w'’.-]+){0,2})\s*(?:@|\s(?:at|from)\s))\s*(?P<c>[\w&.' -]+)$",
    I,
)


# Words for people in general, never one person's name: "ppl at acme" is a list.
_GROUP_WORDS = frozenset(
    "ppl peeps folks guys people somebody anybody everybody anyone someone everyone team reps "
    "buyers contacts leads who whos whose all any".split()
)


def name_at_request(u: Utterance, cmd: str) -> Intent | None:
    """One person by name and where they work ("maya schmit at tyrell", "the schmidt at
    tidewater", "who is hannah at black mesa"): the company narrows the name, so it is read
    before the rules that list everyone at a company."""
    text = TRAILER.sub("", cmd.strip()).strip(" ?!.")
    if ROLE_AT.match(text) or email_in(text):  # a title ("the cfo at acme"), or an email
        return None
    at = _NAME_AT.match(text)
    who = (at["w"] or at["n"]) if at else ""
    if not at or not named(who) or len(at["c"].split()) > 4:
        return None
    if any(w in _GROUP_WORDS for w in who.lower().split()):
        return None
    ref = LeadRef(lead_ref(who).text, company=at["c"].strip())
    return make_intent("find_leads", ref=ref, query=ref.text, details=True) if ref.text else None


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


# "pull up dana whitfield and her notes", "open hannah w her calls": the lead's details,
# which show her notes, tasks, calls and deals; not everyone's notes.
_DETAILS_WITH = re.compile(
    r"^(?:pull up|bring up|open|show(?: me)?|look up|lookup|get|find|gimme|give me)\s+"
    r"(?P<who>.+?)\s+(?:and|n|w/?|with|\+|&)\s+(?:all\s+)?(?:her|his|their|the)\s+"
    r"(?:notes?|tasks?|to-?dos?|calls?|deals?|opps?|activity|history)\s*[?.!]*$",
    I,
)


def details_with_request(u: Utterance, cmd: str) -> Intent | None:
    m = _DETAILS_WITH.match(cmd.strip())
    if not m:
        return None
    ref = lead_ref(m["who"])
    if ref.empty or ref.pronoun or ref.ordinal is not None:
        return None
    return make_intent("find_leads", ref=ref, query=ref.text, details=True)
