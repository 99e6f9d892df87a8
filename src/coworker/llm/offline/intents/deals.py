"""Deals: open one ("new deal for Acme, 12k, proposal stage"), move its stage, change its
value.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.amounts import Amount, find_amounts
from coworker.llm.offline.dates import find_due, find_when
from coworker.llm.offline.intents.common import DEAL_WORDS, QUESTION_START, I, Intent, make_intent
from coworker.llm.offline.slots import (
    LeadRef,
    lead_ref,
    quoted,
)
from coworker.llm.offline.text import Utterance


def money_in(text: str) -> Amount | None:
    """The amount a deal is worth: the first written as money, else the first at all (which
    the trust check will doubt: a bare "2" may be part of "2 wks")."""
    found = find_amounts(text)
    return next((a for a in found if a.confident), found[0] if found else None)


def deal_ref(text: str) -> LeadRef:
    text = re.sub(r"^(?:mark|set|move|bump|push|update|change|make|put|flag)\s+", "", text, flags=I)
    text = re.sub(
        rf"\b{DEAL_WORDS}\b|\b(?:the|value|amount|size|stage|of|for|on|with)\b", " ", text, flags=I
    )
    text = re.sub(r"\s+", " ", text).strip(" .,'")
    return lead_ref(text)


# When the deal is expected to close: "closing in 2 wks", "close date: dec 20".
_CLOSE = re.compile(
    r"\b(?:closing|close date|to close|closes|close by|expected close|"
    r"expected to close)\b\s*:?\s*(?P<d>.+)$",
    I,
)
# "opp for olivia garcia, 40k, qualification": the deal noun alone, no verb, then its lead.
_BARE_DEAL = re.compile(
    r"^(?:(?:a|an|new)\s+)?(?:deal|opportunity|opp|oppty)\s+(?P<x>(?:for|with|w/)\s+.+)$",
    I | re.S,
)


# Words before an amount that are not a lead's name ("new deal worth 25k").
_NOT_A_NAME = re.compile(
    r"\b(?:worth|valued?|at|for|of|in|on|with|amount|value|size|budget|called|named|stage|"
    r"closing|deal|opp|opportunity)\b",
    I,
)
# A stage said as one ("disco stage", "stage: proposal"): the word is read, or asked about.
_STAGE_SAID = re.compile(r"\b(?P<w>[a-z][\w-]*)\s+stage\b|\bstage\s*:?\s+(?P<a>[a-z][\w-]*)", I)


def create_deal_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    m = re.match(
        r"^(?:(?:create|add|open|start|log|set up|make|new|book|put in|enter|put|record)\s+"
        r"(?:a\s+|an\s+|another\s+)?(?:new\s+)?(?P<pre>[$€£]?\d[\d.,]*\s*(?:k|m|mm|grand)?\s+)?"
        r"|new\s+|another\s+)(?:deal|opportunity|opp)\b\s*(?P<x>.*)$",
        cmd,
        I | re.S,
    )
    if not m:
        m = _BARE_DEAL.match(cmd)
        if m is None or not (
            _CLOSE.search(m["x"]) or any(a.confident for a in find_amounts(m["x"]))
        ):
            return None  # "opp for olivia" asks to see her deal; an amount or a close opens one
    x = m["x"]
    name = quoted(x)
    nm = re.search(r"\b(?:called|named|titled|name)\s*:?\s+(?P<n>[^,;]+)", x, I)
    if nm and not name:
        name = nm["n"].strip()
    amount_text = m.groupdict().get("pre") or x
    amount = money_in(amount_text)
    stage = vocab.stage_in(x.lower())
    close = close_raw = close_words = close_unsure = None
    cm = _CLOSE.search(x)
    if cm:
        close_words = cm["d"].strip(" .,")
        said = next((w for w in find_when(cm["d"], now) if w.has_date), None)
        close = said.value.date().isoformat() if said else None
        close_raw = cm["d"][said.start : said.end] if said else None
        close_unsure = True if said and not said.confident else None
    rm = re.search(
        r"^(?:\s*[:\-,]\s*)?(?:for|with|on|at|to)\s+(?P<r>.+?)(?=\s*(?:,|;|\bworth\b|\bvalued?\b|"
        r"\bat\s+[$€£\d]|"
        r"\bfor\s+[$€£\d]|\bof\s+[$€£\d]|\bin\s+(?:the\s+)?\w+\s+stage|\bstage\b|\bcalled\b|"
        r"\bnamed\b|"
        r"\bclosing\b|\bexpected\b|[$€£]|\d|$))",
        x,
        I,
    )
    ref = lead_ref(rm["r"]) if rm else LeadRef()
    if ref.empty:
        rm = re.search(
            r"(?:^\s*|,\s*)(?P<r>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,2})"
            r"(?=\s*(?:,|$)|\s+[$€£\d]|\s+\w+\s+stage)",
            x,
        )
        if rm and not vocab.stage_in(rm["r"].lower()):
            ref = lead_ref(rm["r"])
    if ref.empty:  # "new opp mei hayes 25k prospecting": the name first, then the values
        rm = re.match(
            r"^\s*[:\-,]?\s*(?P<r>[a-z][\w&.'-]*(?:\s+[a-z][\w&.'-]*){0,2}?)"
            r"(?=\s*,|\s+[$€£\d])",
            x,
            I,
        )
        if rm and not _NOT_A_NAME.search(rm["r"]) and not vocab.stage_in(rm["r"].lower()):
            ref = lead_ref(rm["r"])
    said_stage = _STAGE_SAID.search(x)
    unknown = (said_stage["w"] or said_stage["a"]) if said_stage and not stage else None
    return make_intent(
        "create_deal",
        stage_words=unknown,
        ref=ref,
        value=amount.value if amount else None,
        value_raw=amount_text[amount.start : amount.end] if amount else None,
        currency=amount.currency if amount else None,
        stage=stage,
        name=name,
        close=close,
        close_raw=close_raw,
        close_words=close_words,
        close_unsure=close_unsure,
    )


# A value changed by an amount rather than to one: "up 5k", "down 4k", "add 10k".
_BY = re.compile(
    r"(?:\b(?:up|plus|add(?:ed)?|another|extra|increase[ds]? by|raised? by|bumped? by|by)|"
    r"(?P<down>\b(?:down|minus|less|cut by|reduced? by|decrease[ds]? by|lower(?:ed)? by)))"
    r"\s*(?:an?\s+)?(?:extra\s+|additional\s+)?$",
    I,
)
# Said, then said again differently: "45k no wait 42k".
_SAID_AGAIN = re.compile(r"\b(?:no|not|sorry|i mean|i meant|actually|wait|or rather|make it)\b", I)
# "closed" alone: won or lost, which the person says, not us.
_BARE_CLOSED = re.compile(r"^\s*(?:is\s+|now\s+)*closed\s*[.!]*$", I)


def _stage_in(text: str) -> str | None:
    """The stage words name; "closed lost" before "closed" (won), and "closed" alone names
    none (won or lost?)."""
    low = text.lower()
    if re.search(r"\bclosed[ -]?lost\b|\blost\b", low):
        return "closed_lost"
    if (
        _BARE_CLOSED.match(low)
        or re.fullmatch(r"\s*closed\b.*", low)
        and not re.search(r"\bclosed[ -]?won\b|\bwon\b|\bsigned\b", low)
    ):
        return None
    return vocab.stage_in(low)


def update_deal_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    low = cmd.lower()
    has_deal = bool(re.search(rf"\b{DEAL_WORDS}\b", low))
    stage_only = re.search(
        r"\b(?:qualification|proposal|negotiation|negotiating|prospecting|closed[ -]?won|"
        r"closed[ -]?lost)\b",
        low,
    )
    if (
        not has_deal
        and not stage_only
        and not re.match(r"^we\s+(?:just\s+)?(?:won|lost|closed|signed)\b", low)
    ):
        return None
    if QUESTION_START.match(cmd) and not re.match(r"^(?:open|get)\b", low):
        return None
    if re.search(r"\b(?:due|deadline|reschedule|postpone|remind|task)\b", low):
        return None
    m = re.match(r"^we\s+(?:just\s+|finally\s+)?(?P<v>won|lost|closed|signed)\s+(?P<d>.+)$", cmd, I)
    stage: str | None
    if m:
        stage = "closed_lost" if m["v"].lower() == "lost" else "closed_won"
        return make_intent("update_deal", ref=deal_ref(m["d"]), stage=stage)
    m = re.match(
        r"^(?:change|update|set|raise|lower|increase|decrease|bump|adjust|make)\s+(?:the\s+)?"
        r"(?:value|amount|size|price)\s+(?:of|on|for)\s+(?P<d>.+?)\s+(?:to|at|=)\s+(?P<t>.+)$",
        cmd,
        I,
    )
    if not m:
        m = re.match(
            r"^(?:move|push|advance|bump|set|change|update|put|mark|progress|shift|take|drag|up|"
            r"switch|"
            r"drop|raise|lower|increase|decrease|adjust|make|close)\s+(?P<d>.+?)\s+(?:to|into|as|"
            r"in|at|by|=)\s+"
            r"(?:the\s+)?(?:stage\s+)?(?P<t>.+)$",
            cmd,
            I,
        )
    if not m:  # "add 10k to the tyrell deal", "take 4k off the initech deal"
        m = re.match(
            r"^(?P<by>add|take|knock|shave|cut)\s+(?P<t>[$€£]?\d[\d.,]*\s*(?:k|m|grand)?)\s+"
            r"(?:to|onto|off|from)\s+(?:of\s+)?(?P<d>.+)$",
            cmd,
            I,
        )
    moved = m is not None  # a verb moved the deal somewhere: a word we don't know is asked
    if not m:
        m = re.match(
            rf"^(?P<d>.+?\b{DEAL_WORDS})\s*(?:'s\s+)?(?:value\s+|amount\s+|stage\s+)?(?:is|'s|has|"
            rf"should be|"
            r"is now|went|moved|goes|to|:)?\s*(?:now\s+)?(?:moved\s+|gone\s+)?(?:in|at|to|into)?\s*"
            r"(?:the\s+)?(?:stage\s+)?(?P<t>.+)$",
            cmd,
            I,
        )
    if not m:
        m = re.match(r"^(?P<t>won|lost|closed won|closed lost)\s+(?:the\s+)?(?P<d>.+)$", cmd, I)
    if not m:
        return None
    target = m["t"]
    stage = _stage_in(target)
    amounts = [a for a in find_amounts(target) if a.confident] if re.search(r"\d", target) else []
    amount = money_in(target) if re.search(r"\d", target) else None
    unsure = None
    if len(amounts) >= 2 and _SAID_AGAIN.search(target[amounts[-2].end : amounts[-1].start]):
        amount, unsure = amounts[-1], True  # "45k no wait 42k": the last said, shown first
    said_before = cmd[: m.start("t") + amount.start] if amount else ""
    delta = _BY.search(said_before) if amount and "by" not in m.groupdict() else None
    sign = -1 if delta and delta["down"] else 1
    if amount and m.groupdict().get("by"):
        delta, sign = m, -1 if m["by"].lower() != "add" else 1
    if delta:  # "up 5k", "down 4k": a change of the value, worked out from the CRM's
        unsure = True
    close = find_due(target, now) if moved and has_deal and not (stage or amount) else None
    if close is not None and close.start > 3:
        close = None  # "to almost done by friday": a stage word we don't know, then a date
    unknown = None
    if stage is None and amount is None and close is None:
        if not (moved and has_deal) and not _BARE_CLOSED.match(target):
            return None
        unknown = target.strip(" .!?")
    d = m["d"]
    if re.match(
        r"^(?:it|that|this|that one|this one|the deal|that deal|this deal|the opportunity)$",
        d.strip(),
        I,
    ):
        ref = LeadRef(pronoun=True)
    else:
        ref = deal_ref(d)
    return make_intent(
        "update_deal",
        ref=ref,
        stage=stage,
        value=amount.value if amount else None,
        value_raw=target[amount.start : amount.end] if amount else None,
        currency=amount.currency if amount else None,
        close=close.when.date().isoformat() if close else None,
        close_raw=target[close.start : close.end] if close else None,
        stage_words=unknown,
        value_sign=sign if delta else None,
        value_unsure=unsure,
    )
