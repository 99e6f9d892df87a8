"""The deal a piece of news names, lent to the request after it that says "it" or "the
deal": "ACME SIGNED 🎉 move the deal to closed won", "tyrell is slipping. drop it to 70k and
push close to jan 15". The news itself is set aside (`asides`), never written down; without
this the request after it had no deal ("which deal?"), or worse, the one last shown.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from coworker.llm.offline.asides import LED_BY_VERB
from coworker.llm.offline.intents import classify
from coworker.llm.offline.intents.deal_news import news_deal
from coworker.llm.offline.slots import LeadRef
from coworker.llm.offline.text import Utterance

# How a request points at the deal in the news: "it", "the deal", "that opp".
_POINTER = re.compile(
    r"\b(?:it|that one|this one|the deal|that deal|this deal|the opp|that opp|this opp|"
    r"the opportunity)\b",
    re.I,
)
_SOMETIME = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # classify wants a now; refs don't use it


def lend_deal(parts: list[str]) -> list[str]:
    """`parts` with a later deal change's "it" / "the deal" replaced by the deal the news
    before it named, when the change names no deal of its own."""
    out: list[str] = []
    deal: str | None = None
    for part in parts:
        said = None if LED_BY_VERB.match(part.strip()) else news_deal(part)
        if said is not None:
            deal = said
        elif deal is not None and _points_back(part):
            part = _POINTER.sub(f"the {deal} deal", part, count=1)
            deal = None  # lent once: later parts follow the deal the change just made
        out.append(part)
    return out


def _points_back(part: str) -> bool:
    intent = classify(Utterance.of(part), _SOMETIME)
    ref = intent.slots.get("ref")
    return (
        intent.kind == "update_deal"
        and isinstance(ref, LeadRef)
        and ref.pronoun
        and _POINTER.search(part) is not None
    )


# News, then a change of a deal that names it: "wonka confirmed budget, move my wonka opp to
# qualification", "marcus just signed!! acme team plan is closed won".
_NEWS_THEN = re.compile(r"^(?P<news>[^,;.!?]+?)\s*(?:,|[.!?]+)\s*(?P<rest>\S.*)$", re.S)


def news_cut(text: str) -> tuple[str, str] | None:
    """(the news, the deal change after it) when `text` opens with news about a deal and
    goes on with a change that names its deal itself; None otherwise ("mei's renewal is
    slipping, push close to jan 29" is one request: the change names no deal)."""
    m = _NEWS_THEN.match(text.strip())
    if m is None or news_deal(m["news"]) is None:
        return None
    intent = classify(Utterance.of(m["rest"]), _SOMETIME)
    ref = intent.slots.get("ref")
    if intent.kind != "update_deal" or not isinstance(ref, LeadRef) or ref.pronoun or ref.empty:
        return None
    return m["news"].strip(), m["rest"].strip()
