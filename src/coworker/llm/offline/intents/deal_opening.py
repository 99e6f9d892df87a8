"""Opening a deal: "new deal for Acme, 12k, proposal stage", "1.2m enterprise rollout opp for
marcus reed, qualification", "opp for olivia garcia, 40k, closing end of jan". Every value
said is read or asked about, never dropped (a close date said and not read stops the write).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.amounts import WORD_AMOUNT, Amount, find_amounts, is_rate
from coworker.llm.offline.dates import find_when
from coworker.llm.offline.intents.common import I, Intent, make_intent
from coworker.llm.offline.slots import LeadRef, lead_ref, quoted
from coworker.llm.offline.text import Utterance


def money_in(text: str) -> Amount | None:
    """The amount a deal is worth: the first written as money, else the first at all (which
    the trust check will doubt: a bare "2" may be part of "2 wks")."""
    found = find_amounts(text)
    return next((a for a in found if a.confident), found[0] if found else None)


_CLOSE = re.compile(
    r"\b(?:closing|close date|to close|closes|close by|expected close|expected to close|"
    r"close(?=\s+(?:on|in|end|eo|next|mid|early|late|around|\d|jan|feb|mar|apr|may|jun|jul|"
    r"aug|sep|oct|nov|dec|q[1-4]|this|the)\b))\b\s*:?\s*(?P<d>.+)$",
    I,
)


@dataclass(frozen=True)
class CloseSaid:
    """A new deal's close date as said: the words after "closing" (`words`), the day read
    from them (None: not read, so asked about), its span in the text (`span`: the close word
    through the date, so what is left over can be checked), and whether it is in doubt."""

    words: str
    close: str | None
    raw: str | None
    unsure: bool | None
    span: tuple[int, int]


def close_said(text: str, now: datetime) -> CloseSaid | None:
    """The close date `text` says ("closing end of jan", "close date 2/15", "should close mid
    feb"), read or kept as words; None when no close is said."""
    cm = _CLOSE.search(text)
    if cm is None:
        return None
    said = next((w for w in find_when(cm["d"], now) if w.has_date), None)
    base = cm.start("d")
    return CloseSaid(
        cm["d"].strip(" .,"),
        said.value.date().isoformat() if said else None,
        cm["d"][said.start : said.end] if said else None,
        True if said and not said.confident else None,
        (cm.start(), base + said.end if said else cm.end()),
    )


# "opp for olivia garcia, 40k, qualification", "1.2m enterprise rollout opp for marcus reed":
# the deal noun with no verb, perhaps its amount and its own name first, then its lead.
_BARE_DEAL = re.compile(
    r"^(?:(?:a|an|new)\s+)?(?P<pre>(?:[$€£]?[\w.,'&-]+\s+){1,5}?)?(?:deal|opportunity|opp|oppty)"
    r"\s+(?P<x>(?:for|with|w/?)\s+.+)$",
    I | re.S,
)
# Words before the deal noun that are not its amount or its name ("the", "my", "status of").
_NOT_DEAL_NAME = re.compile(
    r"\b(?:the|my|our|your|his|her|their|this|that|these|those|a|an|any|all|of|on|about|"
    r"re|for|with|to|in|is|are|was|what|whats|what's|how|which|where|show|status|update|"
    r"note|task|email|text|call|new|open|closed|lost|won|no|not)\b",
    I,
)
# A stage said after the lead, which ends the lead's name: "w/ mei hayes proposal".
_STAGE_AFTER = (
    r"\b(?:in\s+(?:the\s+)?)?(?:prospecting|qualification|qualifying|discovery|proposal|"
    r"negotiation|negotiating|closed[ -]?(?:won|lost))\b"
)


def _said_before_noun(pre: str) -> tuple[str, str] | None:
    """The amount and the deal's own name said before the deal noun ("1.2m enterprise
    rollout", "20 grand", "pilot"), as written; None when those words are something else
    ("the status of the", "my"), so the message is no new deal."""
    text = pre.strip()
    found = find_amounts(text)
    amount = found[0] if found and found[0].start == 0 and found[0].confident else None
    rest = text[amount.end :].strip() if amount else text
    if rest and (
        _NOT_DEAL_NAME.search(rest)
        or re.search(r"[^\w\s&'-]|\d", rest)
        or vocab.stage_in(rest.lower())
        or len(rest.split()) > 3
    ):
        return None
    return (text[: amount.end] if amount else ""), rest


# Words before an amount that are not a lead's name ("new deal worth 25k").
_NOT_A_NAME = re.compile(
    r"\b(?:worth|valued?|at|for|of|in|on|with|amount|value|size|budget|called|named|stage|"
    r"closing|deal|opp|opportunity)\b",
    I,
)
# The lead as "name / company", "name @ company", "name (company)", then the values:
# "create deal: hannah phillips / black mesa, $40,000, proposal, closing 12/31".
_NAME_COMPANY = re.compile(
    r"^\s*[:\-\u2013\u2014,]?\s*(?P<n>[a-z][\w.'-]*(?:\s+[a-z][\w.'-]*){0,2}?)\s*(?:/|@|\()\s*"
    r"(?P<c>[a-z][\w&.' -]*?)\s*\)?(?=\s*[,;]|\s+[$€£\d]|\s*$)",
    I,
)
# "deal: mia tanaka / bluewater marine, 18.5k, prospecting": the deal noun as a label.
_LABEL = re.compile(r"^(?:deal|opp|opportunity|oppty)\s*[:\-\u2013\u2014]\s*(?P<x>.+)$", I | re.S)
# A stage said as one ("disco stage", "stage: proposal"): the word is read, or asked about.
_STAGE_SAID = re.compile(r"\b(?P<w>[a-z][\w-]*)\s+stage\b|\bstage\s*:?\s+(?P<a>[a-z][\w-]*)", I)


def _name_after_colon(rest: str) -> str | None:
    """The deal's own name, said after its lead and a colon, up to the next comma; None when
    those words are its amount, stage or close instead."""
    said = re.match(r"^\s*:\s*(?P<n>[^,;:]+)", rest)
    words = said["n"].strip() if said else ""
    if not words or re.search(r"\d|[$€£]", words) or find_amounts(words) or _CLOSE.search(words):
        return None
    if vocab.stage_in(words.lower()) or len(words.split()) > 6:
        return None
    return words


# "ok create one, onboarding package, 18.5k, qualification": a deal said as "one", after
# the person was told the lead has none; read only with the values only a deal has.
_ONE = re.compile(
    r"^(?:create|add|open|start|make|set up|put in)\s+(?:(?:a\s+)?new\s+)?"
    r"(?:one|another(?:\s+one)?)(?:\s+(?:for|with|w/?)\s+(?P<who>them|him|her))?\s*"
    r"(?P<x>[,:;-].*)$",
    I | re.S,
)


def _deal_said_as_one(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    """ "create one, <name>, 18.5k, qualification": the lead in context's new deal, its own
    name the first words that are no amount, stage or close date; only with an amount and
    a stage or a close date said, so a task or a lead is never opened as a deal."""
    m = _ONE.match(cmd.strip())
    if m is None:
        return None
    x = m["x"].strip(" ,:;-")
    if not any(a.confident for a in find_amounts(x)) or not (
        vocab.stage_in(x.lower()) or _CLOSE.search(x)
    ):
        return None
    head, _, rest = x.partition(",")
    if _name_after_colon(": " + head) is not None and rest.strip():
        return create_deal_request(u, f"new deal for them: {head.strip()}, {rest.strip()}", now)
    return create_deal_request(u, f"new deal for them, {x}", now)


def create_deal_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    said_as_one = _deal_said_as_one(u, cmd, now)
    if said_as_one is not None:
        return said_as_one
    m = re.match(
        r"^(?:(?:create|add|open|start|log|set up|make|new|book|put in|enter|put|record)\s+"
        r"(?:a\s+|an\s+|another\s+)?(?:new\s+)?(?P<pre>(?:[$€£]?[\w.,'&-]+\s+){1,5}?)?"
        r"|new\s+|another\s+)(?:deal|opportunity|opp)\b\s*(?P<x>.*)$",
        cmd,
        I | re.S,
    )
    head = _said_before_noun(m["pre"]) if m and m["pre"] else ("", "")
    labelled = _LABEL.match(cmd) if m is None else None
    if labelled is not None:  # only with the lead as "name / company" and an amount
        named = _NAME_COMPANY.match(labelled["x"])
        if named is None or not any(a.confident for a in find_amounts(labelled["x"])):
            return None
        m, head = labelled, ("", "")
    if m is None or head is None:
        m = _BARE_DEAL.match(cmd)
        head = _said_before_noun(m["pre"]) if m and m["pre"] else ("", "")
        if m is None or head is None:
            return None
        if not (
            head[0]
            or _CLOSE.search(m["x"])
            or any(a.confident for a in find_amounts(m["x"]))
            or (head[1] and vocab.stage_in(m["x"].lower()))
        ):
            return None  # "opp for olivia" asks to see her deal; an amount or a close opens one
    x = m["x"]
    name = quoted(x)
    nm = re.search(r"\b(?:called|named|titled|name)\s*:?\s+(?P<n>[^,;]+)", x, I)
    if nm and not name:
        name = nm["n"].strip()
    if head[1] and not name:  # "enterprise rollout opp for marcus": the deal's own name
        name = head[1]
    amount_text = head[0] or x
    amount = money_in(amount_text)
    stage = vocab.stage_in(x.lower())
    close = close_said(x, now)
    rm = re.search(
        r"^(?:\s*[:\-,]\s*)?(?:(?:for|with|on|at|to|w)\s+|w/\s*)(?P<r>.+?)(?=\s*(?:,|;|:|\bworth\b|"
        r"\bvalued?\b|"
        rf"\bat\s+[$€£\d]|{_STAGE_AFTER}|{WORD_AMOUNT.pattern}|"
        r"\bfor\s+[$€£\d]|\bof\s+[$€£\d]|\bin\s+(?:the\s+)?\w+\s+stage|\bstage\b|\bcalled\b|"
        r"\bnamed\b|"
        r"\bclosing\b|\bexpected\b|[$€£]|\d|$))",
        x,
        I,
    )
    ref = lead_ref(rm["r"]) if rm else LeadRef()
    if rm and not name:  # "a deal for chris parker: umbrella health pilot, 1.2m": its name
        name = _name_after_colon(x[rm.end() :])
    nc = _NAME_COMPANY.match(x) if ref.empty else None
    if nc and not _NOT_A_NAME.search(nc["n"]) and not vocab.stage_in(nc["n"].lower()):
        ref = LeadRef(nc["n"].strip(), company=nc["c"].strip())
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
        value_unsure=True if amount and is_rate(amount_text, amount) else None,
        stage=stage,
        name=name,
        close=close.close if close else None,
        close_raw=close.raw if close else None,
        close_words=close.words if close else None,
        close_unsure=close.unsure if close else None,
    )


# A value changed by an amount rather than to one: "up 5k", "down 4k", "add 10k".
