"""Deals: open one ("new deal for Acme, 12k, proposal stage"), move its stage, change its
value.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.amounts import Amount, find_amounts
from coworker.llm.offline.dates import find_due
from coworker.llm.offline.intents.common import DEAL_WORDS, QUESTION_START, I, Intent, make_intent
from coworker.llm.offline.slots import (
    LeadRef,
    lead_ref,
    quoted,
)
from coworker.llm.offline.text import Utterance


def _money(text: str) -> Amount | None:
    """The amount a deal is worth: the first written as money, else the first at all (which
    the trust check will doubt: a bare "2" may be part of "2 wks")."""
    found = find_amounts(text)
    return next((a for a in found if a.confident), found[0] if found else None)


def deal_ref(text: str) -> LeadRef:
    text = re.sub(
        rf"\b{DEAL_WORDS}\b|\b(?:the|value|amount|size|stage|of|for|on|with)\b", " ", text, flags=I
    )
    text = re.sub(r"\s+", " ", text).strip(" .,'")
    return lead_ref(text)


def create_deal_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    m = re.match(
        r"^(?:(?:create|add|open|start|log|set up|make|new|book|put in|enter|put|record)\s+"
        r"(?:a\s+|an\s+|another\s+)?(?:new\s+)?(?P<pre>[$€£]?\d[\d.,]*\s*(?:k|m|mm|grand)?\s+)?"
        r"|new\s+|another\s+)(?:deal|opportunity|opp)\b\s*(?P<x>.*)$",
        cmd,
        I | re.S,
    )
    if not m:
        return None
    x = m["x"]
    name = quoted(x)
    nm = re.search(r"\b(?:called|named|titled|name)\s*:?\s+(?P<n>[^,;]+)", x, I)
    if nm and not name:
        name = nm["n"].strip()
    amount_text = m["pre"] or x
    amount = _money(amount_text)
    stage = vocab.stage_in(x.lower())
    close = close_raw = close_words = None
    cm = re.search(
        r"\b(?:closing|close date|to close|closes|close by|expected close|"
        r"expected to close)\b\s*:?\s*(?P<d>.+)$",
        x,
        I,
    )
    if cm:
        close_words = cm["d"].strip(" .,")
        due = find_due(cm["d"], now)
        close = due.when.date().isoformat() if due else None
        close_raw = cm["d"][due.start : due.end] if due else None
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
    return make_intent(
        "create_deal",
        ref=ref,
        value=amount.value if amount else None,
        value_raw=amount_text[amount.start : amount.end] if amount else None,
        currency=amount.currency if amount else None,
        stage=stage,
        name=name,
        close=close,
        close_raw=close_raw,
        close_words=close_words,
    )


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
            r"^(?:move|push|advance|bump|set|change|update|put|mark|progress|shift|take|drag|"
            r"switch|"
            r"drop|raise|lower|increase|decrease|adjust|make|close)\s+(?P<d>.+?)\s+(?:to|into|as|"
            r"in|at|=)\s+"
            r"(?:the\s+)?(?:stage\s+)?(?P<t>.+)$",
            cmd,
            I,
        )
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
    stage = vocab.stage_in(target.lower())
    amount = _money(target) if re.search(r"\d", target) else None
    if stage is None and amount is None:
        return None
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
    )
