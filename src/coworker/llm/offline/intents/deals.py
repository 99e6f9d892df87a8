"""Deals: open one ("new deal for Acme, 12k, proposal stage"), move its stage, change its
value.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.amounts import find_amounts, is_rate
from coworker.llm.offline.dates import find_due
from coworker.llm.offline.intents import common
from coworker.llm.offline.intents.common import DEAL_WORDS, QUESTION_START, I, Intent, make_intent
from coworker.llm.offline.intents.deal_dates import (
    CLOSE_NOUN,
    CLOSE_VERB,
    DEAL_NAME_WORDS,
    NAMED_DEAL,
    close_move_request,
    close_shift,
    deal_said,
)
from coworker.llm.offline.intents.deal_ends import (
    BARE_CLOSED,
    MARKED_ENDED,
    it_ended,
    outcome_then,
    stage_in,
)
from coworker.llm.offline.intents.deal_news import (
    closed_news,
    moved_to_stage,
    news_with_reason,
    without_reason,
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
_CLOSE_IN = re.compile(
    rf"(?:^|\s*[,;]\s*|\s+and\s+|\s+(?:w/|with)\s*|\s+)(?:{CLOSE_VERB}\s+(?:the\s+)?)?"
    rf"(?:{CLOSE_NOUN}|closes\b|to close\b)\s*(?:to|on|by|of|for|:|->|→|=|is|out to)?\s*"
    r"(?P<d>.*)$",
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
    r"^(?:bump|raise|drop|lower|increase|decrease|up|cut|reduce|knock|update|set|change|"
    r"adjust)\s+(?P<d>.+?)\s+"
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


# "bluewater marine onboarding is dead, mark it lost", "they signed this am, move it to won":
# what happened to a deal, then its stage said for it ("it" is the deal just named, or the
# deal in context when "they" did it). The stage is read from the request, not the news.
_SAID_THEN = re.compile(
    r"^(?P<d>[^,;.!?]+?)\s+(?:(?:is|'s|has|have|are|was|got|been|just|finally|officially|"
    r"totally|now)\s+)*"
    r"(?P<v>dead(?:\s+in\s+the\s+water)?|lost|signed|won|killed|closed[ -]?(?:won|lost)|"
    r"a no(?: go)?|no go)"
    r"(?:\s+(?:it|the deal|the contract|the paperwork|today|yesterday|this am|this morning|"
    r"this afternoon|just now|earlier|finally))*"
    r"\s*(?:[,;.!]+|\s-+|\s+and|\s+so)\s*(?:pls\s+|please\s+|can you\s+)?"
    r"(?:mark|move|set|put|change|update|switch|close)\s+(?:it|that|this|the deal|the opp|that one)"
    r"\s+(?:out\s+)?(?:as\s+|to\s+|in\s+|into\s+)?(?P<t>.+?)[\s.!]*$",
    I,
)
# A question about a deal, never a change of it: "is the bluth deal dead?", "should i mark
# the bluewater deal lost?", "did the initech pilot sign?".
# "whats the total $ of my deals sitting in negotiation": a sum asked, with no change said
_HOW_MUCH = re.compile(
    r"^(?:what'?s|whats|wats|what is|how much|how many)\b"
    r"(?!.*\b(?:move|set|change|bump|update|push|mark|make|raise|lower|drop)\b)",
    I,
)
_ASKS = re.compile(
    r"^(?:is|isn'?t|are|aren'?t|was|wasn'?t|were|did|didn'?t|does|doesn'?t|has|hasn'?t|"
    r"have|haven'?t|should|shall|will|would|could|do (?:i|we|they))\b",
    I,
)


def said_then(cmd: str) -> Intent | None:
    """ "<deal> is dead, mark it lost" (see `_SAID_THEN`): the stage asked for; when the news
    says another ("is dead, mark it won"), both, to ask which. One request, never split."""
    m = _SAID_THEN.match(cmd.strip()) or _SAID_THEN.match(without_reason(cmd.strip()))
    if m is None or len(m["d"].split()) > 6 or len(m["t"].split()) > 3:
        return None
    again = stage_in(m["t"])
    if again is None:
        return None  # "acme signed, move it up my list": no stage
    v = m["v"].lower()
    said = "closed_won" if v in ("signed", "won") or v.endswith("won") else "closed_lost"
    ref, mine = deal_said(re.sub(r"^(?:the|our)\s+", "", m["d"], flags=I))
    if ref.empty:
        return None
    if again != said:
        return make_intent("update_deal", ref=ref, mine=mine or None, stages_said=(said, again))
    return make_intent("update_deal", ref=ref, mine=mine or None, stage=said)


# A deal closed as won or lost: a task is never either.
_CLOSED_AS = re.compile(r"^close\s+(?:out\s+)?.+?\s+as\s+(?:closed[ -]?)?(?:won|lost)[\s.!]*$", I)


def deal_date_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    """A deal change that moves its close date ("close date to jan 31", "update the tyrell
    deal to 80k closing feb 28"), read before tasks: "close" there completes nothing, and a
    date there is the deal's, not a reminder's due date. A new deal is no change of one."""
    if create_deal_request(u, cmd, now) is not None:
        return None
    if _CLOSED_AS.match(cmd.strip()):  # "close out the initech pilot as lost": no task's end
        return update_deal_request(u, cmd, now)
    intent = update_deal_request(u, cmd, now)
    if intent is None or not (intent.slots.get("close") or intent.slots.get("close_words")):
        return None
    words = str(intent.slots.get("close_words") or "")
    if not intent.slots.get("close") and _TASK_NOUN.search(words):
        return None  # "close out the olivia pricing fu": a task to complete, no date
    return intent


_TASK_NOUN = re.compile(
    r"\b(?:fu|f/u|follow[- ]?ups?|tasks?|to-?dos?|reminders?|check[- ]?ins?)\b", I
)


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
    # "X is dead, they went w a competitor. mark it lost": the stage asked for, not news
    asked = said_then(common.calm(cmd))
    news = None if asked else closed_news(cmd) or news_with_reason(cmd) or moved_to_stage(cmd)
    if news is not None:  # "hooli renewal closed!!! 🙌": won, asked before it is written
        return news
    cmd = common.calm(cmd)  # "WE WON X 🎉 mark it won": the emoji ends a sentence
    if _ASKS.match(cmd.strip()) or _HOW_MUCH.match(cmd.strip()):
        return None  # "is the bluth deal dead?": asked, answered by showing it
    moved_close = close_move_request(cmd, now) or _amount_alone(cmd) or said_then(cmd)
    if moved_close is not None:
        return moved_close
    ended = it_ended(cmd)
    if ended is not None:
        return ended
    low = cmd.lower()
    has_deal = bool(re.search(rf"\b{DEAL_WORDS}\b", low))
    named = re.search(rf"\b{DEAL_NAME_WORDS}\b", low) is not None
    it_to = _IT_TO_AMOUNT.match(cmd.strip())
    if it_to and not any(a.confident for a in find_amounts(it_to["t"])):
        it_to = None
    has_deal = has_deal or it_to is not None or _money_moved(cmd)
    stage_only = re.search(
        r"\b(?:qualification|proposal|negotiation|negotiating|prospecting|closed[ -]?won|"
        r"closed[ -]?lost)\b",
        low,
    ) or MARKED_ENDED.match(low)
    if (
        not has_deal
        and not stage_only
        and not named
        and not re.match(r"^we\s+(?:just\s+)?(?:won|lost|closed|signed)\b", low)
    ):
        return None
    named_only = named and not has_deal and not stage_only
    if (
        QUESTION_START.match(cmd)
        and not re.match(r"^(?:open|get)\b", low)
        and not _MY_DEAL_SAID.match(cmd)
    ):
        return None
    if re.search(r"\b(?:due|deadline|reschedule|postpone|remind|task)\b", low):
        return None
    outcome = outcome_then(cmd, has_deal)
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
            r"drop|raise|lower|increase|decrease|adjust|make|close)(?:\s+out)?\s+(?P<d>.+?)\s+"
            r"(?:to|into|as|"
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
            rf"^(?P<d>.+?\b(?:{DEAL_NAME_WORDS}(?:\s+{DEAL_WORDS})?|{DEAL_WORDS}))\s*(?:'s\s+)?(?:value\s+|amount\s+|stage\s+)?(?:is|'s|has|"
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
    cm = _CLOSE_IN.search(target) if not BARE_CLOSED.match(target) else None
    if cm is not None and re.fullmatch(r"\s*(?:when|what|\?)?\s*\??\s*", cm["d"]):
        return None  # "the deal with acme closes when": a question
    if cm is not None and cm.start() > 0:  # the other changes first, then the close date
        close_words = cm["d"].strip(" .!?") or cm.group(0).strip()
        target = target[: cm.start()]
    stage = stage_in(target)
    amounts = [a for a in find_amounts(target) if a.confident] if re.search(r"\d", target) else []
    amount = money_in(target) if re.search(r"\d", target) else None
    unsure = None
    unread = None
    between = target[amounts[-2].end : amounts[-1].start] if len(amounts) >= 2 else ""
    if re.fullmatch(r"\s*,?\s*(?:and\s+)?not\s*", between, I):
        amount, unsure = amounts[-2], True  # "1.2m not 76k": the first is right, shown first
    elif len(amounts) >= 2 and _SAID_AGAIN.search(between):
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
    if delta or (amount is not None and is_rate(target, amount)):  # "up 5k": worked out
        unsure = True  # from the CRM's value; "2k/mo": a month's, or the deal's?
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
        if not (moved and has_deal) and not BARE_CLOSED.match(target):
            return None
        unknown = target.strip(" .!?")
    if named_only and not (
        (stage or amount or BARE_CLOSED.match(target))
        and NAMED_DEAL.match(re.sub(r"^(?:mark|set|move)\s+", "", m["d"].strip()))
    ):
        return None  # "move my call about the initech pilot to 3pm": not the deal
    if re.search(rf"\b{DEAL_NAME_WORDS}$", m["d"], I) and re.match(r"\s*[,;(]", cmd[m.end("d") :]):
        return None  # "deal: hooli renewal, 60k": a new deal's values, or a change? Not read
    ref, mine = deal_said(m["d"])
    days = close_shift(close_words, cmd) if close_words and close is None else None
    close_raw = close_text[close.start : close.end] if close else None
    if days is not None:  # "push the close date out by two weeks": from the date it has
        close_words, close_raw = None, close_words
    return make_intent(
        "update_deal",
        ref=ref,
        mine=mine or None,
        close_shift_days=days,
        close_words=close_words,
        unread_words=unread,
        stage=stage,
        value=amount.value if amount else None,
        value_raw=target[amount.start : amount.end] if amount else None,
        currency=amount.currency if amount else None,
        close=close.when.date().isoformat() if close else None,
        close_raw=close_raw,
        stage_words=unknown,
        value_sign=sign if delta else None,
        # "hooli renewal is 26k": said as news, so shown and asked before it is written
        value_unsure=unsure or (True if amount and named_only and not moved else None),
    )
