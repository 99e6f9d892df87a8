"""A request said again after the news it asks to record: "his email is x, add it", "she's
at pied piper now. update pls", "her number is 555 …, add it and tag her hot".

The words after the news ("add it", "save that pls", "update pls") repeat the request the
news already makes, so they are dropped and the news is read alone (never as a second
request, never as a lead called "add it"). Kept apart from the splitter (`split.py`), which
only cuts a message where a new request begins.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from coworker.llm.offline.asides import VERBS

# "add it", "so pls save that", "update her title in the crm", "put it in her record thx".
_SAID_AGAIN = (
    r"(?:(?:so|pls|please|plz|can you|could you|can u|just)\s+)*"
    r"(?:add|save|update|put|store|change|set)\s+(?:it|that|this|(?:his|her|their)\s+(?:company|"
    r"co|employer|role|job|title|email|phone|cell|number|record|info|details)|him|her|them)\b(?:\s+(?:in|to|on|into)\s+"
    r"(?:the\s+)?(?:crm|system|dialsheet|record|file|(?:her|his|their)\s+(?:record|file|profile|"
    r"lead|contact)))?(?:\s+(?:pls|please|plz|thanks|thx|ty|too|for me))*"
)
_AT_END = re.compile(rf"(?<=\S)\s*[,;.!-]*\s+{_SAID_AGAIN}[.!]*\s*$", re.I)
# "..., add it and tag her hot": the same, before the next request (the connector stays).
_BEFORE_NEXT = re.compile(
    rf"(?<=\S)\s*[,;.!-]*\s+{_SAID_AGAIN}(?=\s*(?:[,;.]\s*)?(?:and|then|also)\s+(?:{VERBS})\b)",
    re.I,
)
# "…. update pls", "…, pls update", "… - save thx": the verb alone, after a stop; dropped only
# when what is left changes a lead (`kind_of`), so "give me an update" is never cut.
_BARE = re.compile(
    r"(?<=\S)\s*(?:[,;.!]+|\s-+)\s*(?:(?:so|pls|please|plz|just|can you|could you|can u)\s+)*"
    r"(?:update|save|add)(?:\s+(?:pls|please|plz|thanks|thx|ty|asap|for me))*[.!]*\s*$",
    re.I,
)
_LEAD_CHANGES = frozenset({"update_lead", "update_status", "tag_lead"})
# A value after a colon is the news, not dictated words: "got a number for lars: (312) 555-0190".
_VALUE_ONLY = re.compile(r"^[\s\d()+.x-]+$|^\s*[\w.+-]+@[\w.-]+\.\w+[.!]*\s*$", re.I)


def without_restatement(text: str, kind_of: Callable[[str], str], payload: bool) -> str:
    """`text` without a request it repeats ("add it", "update pls"). `payload` says the
    message holds dictated words (after a colon or a quote), where nothing is cut unless all
    that follows the colon is one value: a number or an address."""
    if payload and not _value_after_colon(text):
        return text
    text = _AT_END.sub(lambda m: _dropped(m, kind_of), text)
    text = _BEFORE_NEXT.sub(lambda m: _dropped(m, kind_of), text)
    bare = _BARE.search(text)
    if bare and kind_of(text[: bare.start()]) in _LEAD_CHANGES:
        text = text[: bare.start()]
    return text


def _dropped(said_again: re.Match[str], kind_of: Callable[[str], str]) -> str:
    """ "" for words that repeat the news before them; kept when they are what makes the news a
    request ("talked to noah, he's moving to hooli as their CTO. update it")."""
    return said_again.group(0) if asks_news(said_again.string[: said_again.end()], kind_of) else ""


def asks_news(text: str, kind_of: Callable[[str], str]) -> bool:
    """Does `text`, ending in "update it", ask for a lead's change its news alone does not?"""
    end = _AT_END.search(text)
    if end is None or kind_of(text) != "update_lead":
        return False
    return kind_of(text[: end.start()]) not in _LEAD_CHANGES


def _value_after_colon(text: str) -> bool:
    """Is all that follows the message's colon a number or an address, then "add it"?"""
    if '"' in text or "“" in text or ":" not in text:
        return False
    after = text.rsplit(":", 1)[1]
    end = _AT_END.search(after) or _BARE.search(after)
    return end is not None and bool(_VALUE_ONLY.match(after[: end.start()]))
