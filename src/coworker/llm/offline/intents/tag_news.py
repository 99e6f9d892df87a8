"""A tag put on or taken off in few words, where the lead is known from what came before:
"add enterprise" right after "what tags does tariq have", "remove hot", and a tag pulled as
news: "elena henderson isnt hot anymore, pull the tag".

A bare word is a tag only if the org has a tag by that name (`bare_tag`: the plan checks the
CRM's list before writing, so "add bogus" changes nothing); the lead is the one just talked
about, or asked for. Apart from `tags.py`, whose requests name the lead and the tag word.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.intents.lead_field_names import named
from coworker.llm.offline.slots import LeadRef, lead_ref

_TAG = r"[\"'“]?(?P<tag>[\w-]+)[\"'”]?"
_BARE = re.compile(
    r"^(?:(?:and|also|oh|ok|okay|pls|please|plz|can you|could you|then)[\s,]+)*"
    r"(?P<verb>add|put on|tag (?:him|her|them|it) with|remove|drop|pull|take off|untag)\s+"
    rf"(?:the\s+)?{_TAG}(?:\s+(?:tag|label))?(?:\s+(?:too|as well|also|off|pls|please|plz|thx|"
    r"thanks|instead))*[.!]*$",
    I,
)
# Words after "add"/"remove" that are never a tag: "add a note", "remove it".
_NOT_TAG = frozenset(
    "a an it him her them that this note notes task tasks todo lead leads deal deals opp "
    "tag tags label labels contact email phone number title company reminder call me".split()
)
# "elena henderson isnt hot anymore, pull the tag", "priya is no longer enterprise, drop it"
_NOT_ANYMORE = re.compile(
    r"^(?P<ref>.+?)(?:\s+is\s*n[o']?t|\s+isnt|\s+is\s+not|'s\s+not|’s\s+not|\s+s\s+not|"
    r"\s+is\s+no\s+longer|'s\s+no\s+longer|\s+no\s+longer|\s+aint|\s+ain't)\s+(?:an?\s+)?"
    rf"{_TAG}(?:\s+(?:any\s?more|now|these days))?\s*(?:[,;.!]+|\s-+|\s+so)\s*"
    r"(?:(?:so|pls|please|plz|go ahead and|can you|could you|can u|just)\s+)*"
    r"(?:pull|remove|drop|take|clear|strip|delete|untag)\s+(?:off\s+)?(?:the|that|this|her|his|"
    r"their|its|it)?\s*(?:tag|label)?(?:\s+off)?(?:\s+(?:from|off)\s+(?:her|him|them))?"
    r"(?:\s+(?:pls|please|plz|thx|thanks))*[.!]*$",
    I,
)


def tag_news_request(cmd: str) -> Intent | None:
    """A tag put on or off a lead named before ("add enterprise"), or pulled as news."""
    text = cmd.strip()
    news = _NOT_ANYMORE.match(text)
    if news is not None and news["tag"].lower() not in _NOT_TAG:
        ref = lead_ref(news["ref"].strip())
        if ref.empty or not (ref.pronoun or named(ref.text)):
            return None
        return make_intent("tag_lead", ref=ref, tag=news["tag"].lower(), remove=True, bare_tag=True)
    bare = _BARE.match(text)
    if bare is None or bare["tag"].lower() in _NOT_TAG:
        return None
    remove = bare["verb"].lower() in ("remove", "drop", "pull", "take off", "untag")
    return make_intent(
        "tag_lead", ref=LeadRef(pronoun=True), tag=bare["tag"].lower(), remove=remove, bare_tag=True
    )
