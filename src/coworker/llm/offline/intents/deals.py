"""Deals: open one ("new deal for Acme, 12k, proposal stage"), move its stage, change its
value.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.amounts import find_amounts
from coworker.llm.offline.dates import find_due
from coworker.llm.offline.intents.common import DEAL_WORDS, QUESTION_START, I, Intent, make_intent
from coworker.llm.offline.intents.deal_dates import (
    CLOSE_NOUN,
    CLOSE_VERB,
    close_move_request,
    deal_said,
)
from coworker.llm.offline.intents.deal_opening import create_deal_request, money_in
from coworker.llm.offline.slots import (
    LeadRef,
)
from coworker.llm.offline.text import Utterance

# When the deal is expected to close: "closing in 2 wks", "close date: dec 20".
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


_CLOSE_IN = re.compile(
    rf"(?:^|\s*[,;]\s*|\s+and\s+|\s+(?:w/|with)\s*|\s+)(?:{CLOSE_VERB}\s+(?:the\s+)?)?"
    rf"(?:{CLOSE_NOUN}|closes\b|to close\b)\s*(?:to|on|by|of|for|:|->|→|=|is|out to)?\s*"
    r"(?P<d>.*)$",
    I,
)
# "lost the tyrell onboarding deal, mark it closed lost", "won the initech pilot!!": what
# happened first, then perhaps the stage said again for the deal ("mark it ...").
_OUTCOME_THEN = re.compile(
    r"^(?P<we>(?:we|i)\s+)?(?:just\s+|finally\s+|officially\s+)?(?P<v>lost|won|signed|closed)\s+"
    r"(?P<d>.+?)(?:\s+(?:today|yesterday|this morning|this afternoon))?"
    r"(?:\s*(?:[,;.!]+|\s-+|\s+and|\s+so)\s*(?:pls\s+|please\s+)?(?:mark|move|set|put|change|"
    r"update|switch)\s+(?:it|that|this|the deal|the opp)\s+(?:as\s+|to\s+|in\s+|into\s+)?"
    r"(?P<t>.+?))?[\s.!]*$",
    I,
)
# "bump it to 30k", "make it 28k", "drop that to 100k": the deal in context, by an amount
# (only a deal has money, so "it" is the deal just shown or changed).
_IT_TO_AMOUNT = re.compile(
    r"^(?:bump|raise|drop|lower|make|change|set|up|increase|decrease|cut|reduce|move|update|"
    r"adjust|put|knock)\s+(?P<d>it|that|this|that one|this one)\s+(?:back\s+)?(?:up\s+|down\s+)?"
    r"(?:to\s+|at\s+|=\s*)?(?P<t>.+)$",
    I,
)


# "my maple grove opp is now in proposal": a statement about one deal of the person's, not
# the question "my deals in proposal".
_MY_DEAL_SAID = re.compile(
    r"^my\s+[\w&' -]+?\s(?:deal|opp|opportunity)\s+(?:is now|is|'s|has|moved|went|should be|"
    r"just)\b",
    I,
)


# "bump the hooli renewal to 30k", "drop the hooli renewal by 2k": a value moved by money;
# only a deal has one, so no deal word is needed.
_MONEY_MOVE = re.compile(
    r"^(?:bump|raise|drop|lower|increase|decrease|up|cut|reduce|knock)\s+(?P<d>.+?)\s+"
    r"(?:up\s+|down\s+)?(?:to|by|at|=)\s+(?P<t>.+)$",
    I,
)


def _money_moved(cmd: str) -> bool:
    m = _MONEY_MOVE.match(cmd.strip())
    return bool(
        m
        and not re.search(r"\b(?:task|call|meeting|reminder|note|email|text)\b", m["d"], I)
        and any(a.confident and a.start == 0 for a in find_amounts(m["t"]))
    )


def _outcome_then(cmd: str, has_deal: bool) -> Intent | None:
    """ "lost the X deal, mark it closed lost": the deal and its stage; when the two
    halves say different stages ("lost ..., mark it closed won"), both, to ask which."""
    m = _OUTCOME_THEN.match(cmd.strip())
    if m is None or not (m["we"] or has_deal or m["t"]):
        return None
    said = "closed_lost" if m["v"].lower() == "lost" else "closed_won"
    again = _stage_in(m["t"]) if m["t"] else None
    ref, mine = deal_said(re.sub(r"^(?:the|our)\s+", "", m["d"], flags=I))
    if ref.empty and not (m["we"] or m["t"]):
        return None  # "won deals": which deals are won, a list
    if again is not None and again != said:
        return make_intent("update_deal", ref=ref, mine=mine or None, stages_said=(said, again))
    return make_intent("update_deal", ref=ref, mine=mine or None, stage=said)


def deal_date_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    """A deal change that moves its close date ("close date to jan 31", "update the tyrell
    deal to 80k closing feb 28"), read before tasks: "close" there completes nothing, and a
    date there is the deal's, not a reminder's due date. A new deal is no change of one."""
    if create_deal_request(u, cmd, now) is not None:
        return None
    intent = update_deal_request(u, cmd, now)
    if intent is None or not (intent.slots.get("close") or intent.slots.get("close_words")):
        return None
    return intent


# An amount alone, perhaps said as a change of mind ("actually 28k", "no, 28k"): the value
# of the deal in context, shown on a card before it is written.
_AMOUNT_ALONE = re.compile(
    r"^(?:(?:no|nope|sorry|wait|i mean|i meant|actually|make it|make that|rather)[\s,.!-]*)*"
    r"(?P<t>[$€£]?\d[\d.,]*\s*(?:k|m|mm|grand)?)\s*[.!]*$",
    I,
)


def _amount_alone(cmd: str) -> Intent | None:
    m = _AMOUNT_ALONE.match(cmd.strip())
    amount = money_in(m["t"]) if m else None
    if m is None or amount is None or not amount.confident:
        return None
    return make_intent(
        "update_deal",
        ref=LeadRef(pronoun=True),
        value=amount.value,
        value_raw=m["t"][amount.start : amount.end],
        currency=amount.currency,
        value_unsure=True,
    )


def update_deal_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    moved_close = close_move_request(cmd, now) or _amount_alone(cmd)
    if moved_close is not None:
        return moved_close
    low = cmd.lower()
    has_deal = bool(re.search(rf"\b{DEAL_WORDS}\b", low))
    it_to = _IT_TO_AMOUNT.match(cmd.strip())
    if it_to and not any(a.confident for a in find_amounts(it_to["t"])):
        it_to = None
    has_deal = has_deal or it_to is not None or _money_moved(cmd)
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
    if (
        QUESTION_START.match(cmd)
        and not re.match(r"^(?:open|get)\b", low)
        and not _MY_DEAL_SAID.match(cmd)
    ):
        return None
    if re.search(r"\b(?:due|deadline|reschedule|postpone|remind|task)\b", low):
        return None
    outcome = _outcome_then(cmd, has_deal)
    if outcome is not None:
        return outcome
    stage: str | None
    m = it_to or re.match(
        r"^(?:change|update|set|raise|lower|increase|decrease|bump|adjust|make)\s+(?:the\s+)?"
        r"(?:value|amount|size|price)\s+(?:of|on|for)\s+(?P<d>.+?)\s+(?:to|at|=)\s+(?P<t>.+)$",
        cmd,
        I,
    )
    if not m:
        m = re.match(
            r"^(?:move|push|advance|bump|set|change|update|put|mark|progress|shift|take|drag|up|"
            r"switch|slip|slide|delay|"
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
    close_words = None
    cm = _CLOSE_IN.search(target) if not _BARE_CLOSED.match(target) else None
    if cm is not None and re.fullmatch(r"\s*(?:when|what|\?)?\s*\??\s*", cm["d"]):
        return None  # "the deal with acme closes when": a question
    if cm is not None and cm.start() > 0:  # the other changes first, then the close date
        close_words = cm["d"].strip(" .!?") or cm.group(0).strip()
        target = target[: cm.start()]
    stage = _stage_in(target)
    amounts = [a for a in find_amounts(target) if a.confident] if re.search(r"\d", target) else []
    amount = money_in(target) if re.search(r"\d", target) else None
    unsure = None
    unread = None
    if len(amounts) >= 2 and _SAID_AGAIN.search(target[amounts[-2].end : amounts[-1].start]):
        amount, unsure = amounts[-1], True  # "45k no wait 42k": the last said, shown first
    elif len(amounts) >= 2:  # "to 40k and hers to 20k": a second change, not read
        unread = target[amounts[0].end :].strip(" ,;")
    said_before = cmd[: m.start("t") + amount.start] if amount else ""
    delta = _BY.search(said_before) if amount and "by" not in m.groupdict() else None
    sign = -1 if delta and delta["down"] else 1
    if delta and re.match(r"(?:drop|lower|decrease|cut|reduce|knock|shave|take)\b", cmd, I):
        sign = -1  # "drop the hooli renewal by 2k": the verb says which way
    if amount and m.groupdict().get("by"):
        delta, sign = m, -1 if m["by"].lower() != "add" else 1
    if delta:  # "up 5k", "down 4k": a change of the value, worked out from the CRM's
        unsure = True
    close = find_due(target, now) if moved and has_deal and not (stage or amount) else None
    if close is not None and close.start > 3:
        close = None  # "to almost done by friday": a stage word we don't know, then a date
    close_text = target
    if close_words is not None:
        close_text = close_words
        close = find_due(close_words, now)
        if close is not None and close.start > 3:
            close = None  # asked about: a close date said that is not read is never dropped
    unknown = None
    if stage is None and amount is None and close is None and close_words is None:
        if not (moved and has_deal) and not _BARE_CLOSED.match(target):
            return None
        unknown = target.strip(" .!?")
    ref, mine = deal_said(m["d"])
    return make_intent(
        "update_deal",
        ref=ref,
        mine=mine or None,
        close_words=close_words,
        unread_words=unread,
        stage=stage,
        value=amount.value if amount else None,
        value_raw=target[amount.start : amount.end] if amount else None,
        currency=amount.currency if amount else None,
        close=close.when.date().isoformat() if close else None,
        close_raw=close_text[close.start : close.end] if close else None,
        stage_words=unknown,
        value_sign=sign if delta else None,
        value_unsure=unsure,
    )
