"""Where things stand with one lead: "where are we w marcus reed? last touch + the deal",
"catch me up on jane smith, whats the latest", "whats the deal w the jane one".

A question about one person's history is answered from that lead's own records (notes,
calls, emails, open tasks and deals: the `prep_brief` read), never by listing every deal or
the whole day. What is said after the name ("last touch + where the deal's at", ", whats
the latest") only says what the person wants to see, and the brief shows all of it. A deal
named ("where are we with the acme deal") is left to the deal readers, and the person's own
day or pipeline ("catch me up on my day") to theirs.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import DEAL_WORDS, I, Intent, make_intent
from coworker.llm.offline.intents.lead_field_names import named
from coworker.llm.offline.shorthand import normalise
from coworker.llm.offline.slots import LeadRef, lead_ref

_WITH = r"(?:with|w/?|on|about|re|for)"
_ASKED = re.compile(
    r"^(?:so\s+|ok\s+|okay\s+|remind me\s+|quick(?:ly)?\s*[,:-]?\s+)*(?:"
    rf"where\s+(?:are|r)\s+(?:we|things|u|you)(?:\s+at)?\s+{_WITH}|"
    rf"where\s+(?:do|does)\s+(?:we|things|it)\s+stand\s+{_WITH}|"
    rf"(?:catch|fill)\s+me\s+(?:up|in)\s+{_WITH}|"
    rf"(?:what'?s|whats|what\s+is|what\s+was)\s+(?:the\s+)?(?:latest|latest news|news|update|"
    rf"status|story|deal|situation|state of play|lowdown|scoop|history|going on|happening)\s+"
    rf"{_WITH}|"
    rf"(?:what'?s|whats)\s+(?:new|up|going on|happening)\s+{_WITH}|"
    rf"how'?s\s+(?:it|things|everything)\s+(?:going|looking)\s+{_WITH}|"
    rf"(?:give\s+me\s+|gimme\s+)?(?:an?\s+|the\s+)?(?:quick\s+)?(?:status(?:\s+update)?|update|"
    rf"rundown|run-down|sitrep|lowdown)\s+{_WITH}"
    r")\s+(?P<who>.+)$",
    I,
)
# What is said after the name: "? last touch + where the deal's at", ", whats the latest",
# " and where the deal is", " again".
_AFTER_NAME = re.compile(
    r"\s*(?:[?,;:.+&]|\s-\s).*$|"
    r"\s+(?:and|n|plus)\s+(?:where|what|when|how|who|last|the|any|his|her|their)\b.*$",
    I,
)
_TAIL = re.compile(
    r"(?:\s+(?:again|pls|please|plz|rn|atm|now|right now|real quick|lately|these days|"
    r"at the moment|so far))+$",
    I,
)
# "whats the latest there", "any news there?", "anything new there": "there" is the lead the
# last reply showed (a lead pulled up, a company's contact), asked about without a name.
_THERE = re.compile(
    r"^(?:so\s+|ok\s+|okay\s+|and\s+)*(?:(?:what'?s|whats|what\s+is|any|anything)\s+"
    r"(?:the\s+)?(?:latest|latest news|news|new|update|updates|story|history|going on|happening)|"
    r"(?:catch|fill)\s+me\s+(?:up|in))\s+(?:there|on\s+that\s+front)$",
    I,
)
# Not one lead: the person's own day or pipeline, a team, a list ("catch me up on my day").
_NOT_ONE_LEAD = re.compile(
    rf"\b(?:my|our|the team|team|everyone|everything|pipeline|tasks?|day|week|today|"
    rf"yesterday|calls?|emails?|leads|inbox|plate|{DEAL_WORDS})\b",
    I,
)


def lead_status_request(cmd: str) -> Intent | None:
    """A question about where things stand with one lead, or None."""
    text = normalise(cmd.strip()).text.strip().rstrip("?!. ")
    if _THERE.match(text):
        return make_intent("prep_brief", name="there", ref=LeadRef(pronoun=True))
    asked = _ASKED.match(text)
    if asked is None:
        return None
    who = _TAIL.sub("", _AFTER_NAME.sub("", asked["who"])).strip(" ,.")
    if not who or _NOT_ONE_LEAD.search(who):
        return None
    ref = lead_ref(who)
    if ref.listed or ref.pronoun:  # "the jane one", "her": the lead meant
        return make_intent("prep_brief", name=who, ref=ref)
    if not named(who) or len(ref.text.split()) < 2:
        return None  # "whats new with acme": a company or a first name, looked up as before
    return make_intent("prep_brief", name=ref.text)
