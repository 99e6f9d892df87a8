"""Deals asked for by their size: "which of my open opps are over 100k", "team deals under
50k", "anything in negotiation worth at least $90,000", "my opps between 40k and 60k". The
size is read off and the rest of the question is read as any deal listing is (whose, which
stage); the listing then keeps the deals in that range. A read, never a change: a message
with a verb that moves a deal is not read here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from coworker.llm.offline.amounts import find_amounts
from coworker.llm.offline.intents.common import DEAL_WORDS, I, Intent
from coworker.llm.offline.text import Utterance

_MONEY = r"(?P<a>[$€£]?\s?\d[\d.,]*\s*(?:k|m|mm|grand|million)?)"
_OVER = (
    r"(?:over|above|more than|greater than|bigger than|at least|north of|upwards of|"
    r"(?<![-=])>=?|min)"
)
_UNDER = r"(?:under|below|less than|smaller than|at most|no more than|<=?(?!-)|max)"
_WORTH = r"(?:(?:that\s+)?(?:are|is|r|were|worth|valued|with a value|sized)\s+)*"
_FILTER = re.compile(
    rf"\s*(?:,\s*)?{_WORTH}(?<!\w)(?:(?P<over>{_OVER})|(?P<under>{_UNDER}))\s*{_MONEY}"
    r"(?:\s+(?:or\s+(?:more|less|so|above|below)|and\s+(?:up|above|below|under)|\+))?",
    I,
)
_BETWEEN = re.compile(
    rf"\s*(?:,\s*)?{_WORTH}between\s+(?P<a>[$€£]?\s?\d[\d.,]*\s*(?:k|m|grand)?)\s+(?:and|to|-)\s+"
    rf"{_MONEY.replace('?P<a>', '?P<b>')}",
    I,
)
# A verb that changes a deal: "move the deals over 100k to proposal" is no listing.
_CHANGE = re.compile(
    r"\b(?:move|set|bump|update|mark|change|push|close|drop|raise|lower|delete|add|make|put)\b",
    I,
)


# "which of my open opps", "the whole team's deals": whose deals, said before them.
_WHICH_OF = re.compile(r"^(?:which|what|any|show(?: me)?|list)\s+(?:of\s+)?(?=(?:my|mine)\b)", I)
_TEAM = re.compile(
    r"^(?:(?:show(?: me)?|list|any|which of|what are)\s+)?(?:the\s+)?(?:whole\s+|entire\s+)?"
    r"(?:team'?s?|everyone'?s|everybody'?s|our|all(?:\s+the)?)\s+(?=\w)",
    I,
)


def _money(said: str) -> float | None:
    found = [a for a in find_amounts(said.strip()) if a.confident]
    return found[0].value if len(found) == 1 else None


def amount_filter(text: str) -> tuple[float | None, float | None, str] | None:
    """(at least, at most, the words without the size), or None when no size is said."""
    m = _BETWEEN.search(text)
    if m is not None:
        low, high = _money(m["a"]), _money(m["b"])
        if low is None and high is not None and re.fullmatch(r"\s*\d[\d.,]*\s*", m["a"]):
            low = _money(m["a"].strip() + m["b"].strip()[len(m["b"].strip().rstrip("kKmM")) :])
        if low is None or high is None:
            return None
        return min(low, high), max(low, high), text[: m.start()] + text[m.end() :]
    m = _FILTER.search(text)
    if m is None:
        return None
    value = _money(m["a"])
    if value is None:
        return None
    rest = text[: m.start()] + text[m.end() :]
    return (value, None, rest) if m["over"] else (None, value, rest)


def deal_size_request(
    u: Utterance, cmd: str, now: datetime, classify: Callable[[Utterance, datetime], Intent]
) -> Intent | None:
    """The deal listing `cmd` asks for, kept to the size it names (see the module)."""
    if not re.search(rf"\b{DEAL_WORDS}\b|\bworth\b|\b(?:anything|any)\s+in\b", cmd, I):
        return None
    if _CHANGE.search(cmd) or re.search(r"->|→|=>|<-", cmd):
        return None  # "tyrell onboarding deal -> 80 k": a change, not a size asked
    found = amount_filter(cmd)
    if found is None:
        return None
    least, most, rest = found
    rest = re.sub(r"\s+", " ", rest).strip(" ,?")
    rest = re.sub(r"\b(?:worth|valued)$", "", rest, flags=I).strip()
    if not rest:
        return None
    rest = _WHICH_OF.sub("", rest)
    team = _TEAM.match(rest)
    if team is not None:
        rest = rest[team.end() :]
    intent = classify(Utterance.of(rest), now)
    if intent.kind != "list_deals":
        intent = classify(Utterance.of(f"{rest} deals"), now)  # "anything in negotiation"
    if intent.kind != "list_deals":
        return None
    if team is not None:  # the whole team's, whatever the rest says
        intent = intent.but(ref=None, mine=None)
    return intent.but(value_min=least, value_max=most)


def within(deal: dict[str, object], least: float | None, most: float | None) -> bool:
    """Whether `deal`'s value is in the range asked for (no range: every deal)."""
    raw = deal.get("value")
    value = float(raw) if isinstance(raw, int | float | str) and str(raw).strip() else 0.0
    return (least is None or value >= least) and (most is None or value <= most)


def size_words(least: float | None, most: float | None) -> str:
    """The range as the reply says it: " over $100,000", " between $40,000 and $60,000"."""

    def money(v: float) -> str:
        return f"${v:,.0f}"

    if least is not None and most is not None:
        return f" between {money(least)} and {money(most)}"
    if least is not None:
        return f" of {money(least)} or more"
    if most is not None:
        return f" of {money(most)} or less"
    return ""
