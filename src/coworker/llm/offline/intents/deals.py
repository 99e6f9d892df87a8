"""Deals: open one ("new deal for Acme, 12k, proposal stage"), move its stage, change its
value.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline import vocab
from coworker.llm.offline.amounts import WORD_AMOUNT, Amount, find_amounts
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
    r"\b(?:closing|close date|to close|closes|close by|expected close|expected to close|"
    r"close(?=\s+(?:on|in|end|eo|next|mid|early|late|around|\d|jan|feb|mar|apr|may|jun|jul|"
    r"aug|sep|oct|nov|dec|q[1-4]|this|the)\b))\b\s*:?\s*(?P<d>.+)$",
    I,
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
# A stage said as one ("disco stage", "stage: proposal"): the word is read, or asked about.
_STAGE_SAID = re.compile(r"\b(?P<w>[a-z][\w-]*)\s+stage\b|\bstage\s*:?\s+(?P<a>[a-z][\w-]*)", I)


def create_deal_request(u: Utterance, cmd: str, now: datetime) -> Intent | None:
    m = re.match(
        r"^(?:(?:create|add|open|start|log|set up|make|new|book|put in|enter|put|record)\s+"
        r"(?:a\s+|an\s+|another\s+)?(?:new\s+)?(?P<pre>(?:[$€£]?[\w.,'&-]+\s+){1,5}?)?"
        r"|new\s+|another\s+)(?:deal|opportunity|opp)\b\s*(?P<x>.*)$",
        cmd,
        I | re.S,
    )
    head = _said_before_noun(m["pre"]) if m and m["pre"] else ("", "")
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
    close = close_raw = close_words = close_unsure = None
    cm = _CLOSE.search(x)
    if cm:
        close_words = cm["d"].strip(" .,")
        said = next((w for w in find_when(cm["d"], now) if w.has_date), None)
        close = said.value.date().isoformat() if said else None
        close_raw = cm["d"][said.start : said.end] if said else None
        close_unsure = True if said and not said.confident else None
    rm = re.search(
        r"^(?:\s*[:\-,]\s*)?(?:(?:for|with|on|at|to)\s+|w/\s*)(?P<r>.+?)(?=\s*(?:,|;|\bworth\b|\bvalued?\b|"
        rf"\bat\s+[$€£\d]|{_STAGE_AFTER}|{WORD_AMOUNT.pattern}|"
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


# The deal's close date as people name it, and the verbs that move it.
_CLOSE_NOUN = r"(?:(?:expected|projected|target)\s+)?(?:close|closing)(?:[ -]date)?\b"
_CLOSE_VERB = (
    r"(?:push|move|slip|slide|change|set|update|bump|shift|make|put|adjust|extend|delay|kick|"
    r"pull|bring)(?:\s+(?:out|back|in|forward|up))?"
)
_TO_DATE = (
    r"\s+(?:(?:out|back)\s+(?:to\s+|til\s+|until\s+|by\s+)?|(?:to|til|till|until|into|->|→|=|by)\s+)"
    r"(?P<t>.+)$"
)
# "push close out 2 wks", "slip it back a week": the close date moved by a span, from the
# date it has now (worked out, so shown before it is written).
_SHIFT = re.compile(
    r"^(?:by\s+)?(?P<n>\d+|an?|one|two|three|four|five|six)\s*(?P<u>d|days?|wks?|weeks?|mos?|"
    r"months?)$",
    I,
)
_SHIFT_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
# "push the close date on the bluewater opp to jan 15", "push close to jan 29" (the deal in
# context), "push harbor point's close date to jan 30", "bluewater close date -> jan 22",
# "mei hayes renewal is slipping, push close to jan 29": the object first or last.
_CLOSE_MOVES = (
    re.compile(
        rf"^{_CLOSE_VERB}\s+(?:the\s+)?{_CLOSE_NOUN}\s+(?:on|for|of|in)\s+(?P<d>.+?){_TO_DATE}", I
    ),
    re.compile(rf"^(?:{_CLOSE_VERB}\s+)?(?:the\s+)?{_CLOSE_NOUN}{_TO_DATE}", I),
    re.compile(rf"^{_CLOSE_VERB}\s+(?P<d>.+?)(?:'s|’s|s')?\s+{_CLOSE_NOUN}{_TO_DATE}", I),
    re.compile(
        rf"^(?P<d>.+?)(?:'s|’s|s')?\s+{_CLOSE_NOUN}\s*(?:is\s+now|now|->|→|=|:|should be|"
        r"moves? to|moved to|is|to)\s*(?P<t>.+)$",
        I,
    ),
    re.compile(
        rf"^(?P<d>.+?)\s*(?:[,;.!]+|\s-+|\s+so)\s*(?:pls\s+|please\s+)?{_CLOSE_VERB}\s+"
        rf"(?:the\s+)?{_CLOSE_NOUN}{_TO_DATE}",
        I,
    ),
)
_NO_VERB = 3  # the pattern above with neither a verb nor "to": a date must follow it
# How a deal is said to be late, after its name: "mei hayes renewal is slipping".
_SLIPPING = re.compile(
    r"\s+(?:(?:is|has|'s)\s+)?(?:slipping|slipped|sliding|slid|delayed|stalled|pushed|"
    r"running late|behind|late)\b.*$",
    I,
)
_PRONOUN_DEAL = re.compile(
    r"^(?:it|that|this|that one|this one|the deal|that deal|this deal|the opp|that opp|"
    r"the opportunity)$",
    I,
)
# "my blue sun deal": the person's own deal, when the team has others by that name.
_MY = re.compile(r"^(?:my|mine)\s+|\s+(?:of mine)$", I)


def _deal_said(d: str) -> tuple[LeadRef, bool]:
    """The deal `d` names (a pronoun for the deal in context), and whether it is said to be
    the person's own ("my blue sun deal")."""
    d = d.strip(" ,.;:!?")
    d = re.sub(r"^(?:the|that|this)\s+(?=my\b)", "", d, flags=I)
    mine = bool(_MY.search(d))
    d = _MY.sub("", d).strip()
    if _PRONOUN_DEAL.match(d):
        return LeadRef(pronoun=True), mine
    return deal_ref(d), mine


def close_move_request(cmd: str, now: datetime) -> Intent | None:
    """A deal's close date moved ("push close to jan 29"): the date read, or asked about;
    never a task's due date, never a stage."""
    text = cmd.strip()
    if text.endswith("?") or (QUESTION_START.match(text) and not text.lower().startswith("my ")):
        return None  # "what's the close date on the acme deal?" asks
    found = next(
        ((i, m) for i, p in enumerate(_CLOSE_MOVES) if (m := p.match(text)) is not None), None
    )
    if found is None:
        return None
    number, m = found
    d = m.groupdict().get("d")
    if d is not None:
        d = _SLIPPING.sub("", d)
        if (
            not d.strip()
            or re.search(r"\b(?:task|reminder|meeting|call)\b|->|→|=", d, I)
            or any(a.confident for a in find_amounts(d))
            or re.search(r"\s(?:to|into|as)\s", d, I)
        ):
            return None  # "the harbor deal -> 190k, push close ...": more than the date
    ref, mine = _deal_said(d) if d else (LeadRef(pronoun=True), False)
    target = m["t"].strip(" .!?")
    shift = _SHIFT.match(target)
    if shift and not re.search(r"\b(?:to|til|till|until|into)\s+" + re.escape(m["t"]), text, I):
        n = shift["n"].lower()
        count = int(n) if n.isdigit() else _SHIFT_NUMBERS[n]
        unit = shift["u"].lower()
        days = count * (1 if unit.startswith("d") else 7 if unit.startswith("w") else 30)
        if re.search(r"\b(?:pull|bring)\b", text, I):
            days = -days  # "pull the close in a week": earlier
        return make_intent(
            "update_deal", ref=ref, mine=mine or None, close_shift_days=days, close_raw=target
        )
    due = find_due(target, now)
    if due is not None and due.start > 3:
        due = None
    if due is None and number == _NO_VERB:
        return None  # "the acme close date is what": no verb, no date: not a change
    if due is None and re.search(rf"\b{DEAL_WORDS}\b", target, I):
        return None  # "close out the initech deal": won or lost? Not a date to move
    return make_intent(
        "update_deal",
        ref=ref,
        mine=mine or None,
        close=due.when.date().isoformat() if due else None,
        close_raw=target[due.start : due.end] if due else None,
        close_words=target,
    )


# A close date said with the other changes: "to 95k, close date feb 1", "80k closing feb 28",
# "190k, push close to 1/20". Everything a message changes is read, or nothing is written.
_CLOSE_IN = re.compile(
    rf"(?:^|\s*[,;]\s*|\s+and\s+|\s+(?:w/|with)\s*|\s+)(?:{_CLOSE_VERB}\s+(?:the\s+)?)?"
    rf"(?:{_CLOSE_NOUN}|closes\b|to close\b)\s*(?:to|on|by|of|for|:|->|→|=|is|out to)?\s*"
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
    ref, mine = _deal_said(re.sub(r"^(?:the|our)\s+", "", m["d"], flags=I))
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
    ref, mine = _deal_said(m["d"])
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
