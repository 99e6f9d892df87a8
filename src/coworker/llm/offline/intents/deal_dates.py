"""A deal's close date moved in words: "push close to jan 29", "mei hayes renewal is slipping,
push close out 2 wks", "slip the X deal to feb", and how a deal is named in them ("my blue sun
deal", "it"). A date said and not read is kept as words, so the plan asks; nothing is moved on a
guess.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.amounts import find_amounts
from coworker.llm.offline.dates import find_due
from coworker.llm.offline.intents.common import DEAL_WORDS, QUESTION_START, I, Intent, make_intent
from coworker.llm.offline.slots import LeadRef, lead_ref


def deal_ref(text: str) -> LeadRef:
    text = re.sub(r"^(?:mark|set|move|bump|push|update|change|make|put|flag)\s+", "", text, flags=I)
    text = re.sub(
        rf"\b{DEAL_WORDS}\b|\b(?:the|value|amount|size|stage|of|for|on|with)\b", " ", text, flags=I
    )
    text = re.sub(r"\s+", " ", text).strip(" .,'")
    return lead_ref(text)


# What a deal is called after its company ("Bluth Company - Pilot", "Hooli - Renewal"): said
# after the company, it names the deal as "deal" does ("the bluth pilot", "hooli renewal").
DEAL_NAME_WORDS = (
    r"(?:pilot|renewal|onboarding|rollout|roll-out|expansion|licen[cs]e|add-?on|upsell|"
    r"team plan)"
)
# A deal said as its company and a word of its name, ending there: "the bluth pilot".
NAMED_DEAL = re.compile(
    rf"^(?:the\s+|our\s+|my\s+)?[a-z][\w&.'-]*(?:\s+[\w&.'-]+){{0,3}}?\s+{DEAL_NAME_WORDS}"
    r"(?:\s+(?:package|deal|opp|opportunity))?$",
    re.I,
)


# The deal's close date as people name it, and the verbs that move it.
CLOSE_NOUN = r"(?:(?:expected|projected|target)\s+)?(?:close|closing)(?:[ -]date)?\b"
CLOSE_VERB = (
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
    # "push close out 2 wks on the bluth pilot": the span first, the deal after it
    re.compile(
        rf"^{CLOSE_VERB}\s+(?:the\s+)?{CLOSE_NOUN}\s+(?P<t>(?:out|back)\s+(?:by\s+)?\S+\s*[a-z]+)"
        r"\s+(?:on|for|of)\s+(?P<d>.+)$",
        I,
    ),
    re.compile(
        rf"^{CLOSE_VERB}\s+(?:the\s+)?{CLOSE_NOUN}\s+(?:on|for|of|in)\s+(?P<d>.+?){_TO_DATE}", I
    ),
    re.compile(rf"^(?:{CLOSE_VERB}\s+)?(?:the\s+)?{CLOSE_NOUN}{_TO_DATE}", I),
    re.compile(rf"^{CLOSE_VERB}\s+(?P<d>.+?)(?:'s|’s|s')?\s+{CLOSE_NOUN}{_TO_DATE}", I),
    re.compile(
        rf"^(?P<d>.+?)(?:'s|’s|s')?\s+{CLOSE_NOUN}\s*(?:is\s+now|now|->|→|=|:|should be|"
        r"moves? to|moved to|is|to)\s*(?P<t>.+)$",
        I,
    ),
    re.compile(
        rf"^(?P<d>.+?)\s*(?:[,;.!]+|\s-+|\s+so|\s+(?:can|could) (?:you|u))\s*(?:pls\s+|please\s+)?"
        rf"{CLOSE_VERB}\s+"
        rf"(?:the\s+)?{CLOSE_NOUN}{_TO_DATE}",
        I,
    ),
    # "and push its close a week": the deal just named, moved by a span
    re.compile(
        rf"^{CLOSE_VERB}\s+(?:its|their|the)\s+{CLOSE_NOUN}\s+(?P<t>(?:out\s+|back\s+)?(?:by\s+)?"
        r"(?:an?|\d+|one|two|three|four)\s*(?:d|days?|wks?|weeks?|mos?|months?))$",
        I,
    ),
    # "slip the bluth pilot a week": a named deal moved by a span, no "close" said
    re.compile(
        rf"^(?:slip|push|bump|delay|kick)\s+(?P<d>(?:the\s+|my\s+)?.+?(?:{DEAL_WORDS}|"
        rf"{DEAL_NAME_WORDS}))\s+(?P<t>(?:out\s+|back\s+)?(?:by\s+)?(?:an?|\d+|one|two|three|four)"
        r"\s*(?:d|days?|wks?|weeks?|mos?|months?))$",
        I,
    ),
    # "initech pilot needs 2 more wks, push the close date 2 wks": the deal, then a span
    re.compile(
        rf"^(?P<d>.+?)\s*(?:[,;.!]+|\s-+)\s*(?:pls\s+|please\s+)?{CLOSE_VERB}\s+"
        rf"(?:the\s+|its\s+)?{CLOSE_NOUN}\s+(?P<t>(?:out\s+|back\s+)?(?:by\s+)?"
        r"(?:an?|\d+|one|two|three|four)\s*(?:d|days?|wks?|weeks?|mos?|months?))$",
        I,
    ),
    # "and close it end of next week": the deal just named closes then (a date must follow;
    # "close it out" ends a task)
    re.compile(
        r"^(?:close|closing)\s+(?P<d>it|the deal|that deal|the opp)\s+(?:by\s+|on\s+|around\s+)?"
        r"(?P<t>.+)$",
        I,
    ),
)
_CLOSE_IT = len(_CLOSE_MOVES) - 1  # "close it <date>": a date must follow it
_NO_VERB = 4  # the pattern above with neither a verb nor "to": a date must follow it
# How a deal is said to be late, after its name: "mei hayes renewal is slipping".
_SLIPPING = re.compile(
    r"\s+(?:(?:is|has|'s)\s+)?(?:slipping|slipped|sliding|slid|delayed|stalled|pushed|"
    r"running late|behind|late)\b.*$"
    # "acme team plan wont close this wk", "initech pilot needs 2 more wks": why it moves
    r"|\s+(?:(?:wont|won't|will not|isn'?t going to|is not going to|aint gonna|not gonna|"
    r"can'?t|cannot|didn'?t|did not)\s+(?:close|land|sign|happen|make it)|"
    r"needs?\s+(?:\S+\s+){0,2}more\s+(?:time|days?|wks?|weeks?)|is\s+not\s+closing)\b.*$",
    I,
)
_PRONOUN_DEAL = re.compile(
    r"^(?:it|that|this|that one|this one|the deal|that deal|this deal|the opp|that opp|"
    r"the opportunity|they|them)$",
    I,
)
# "my blue sun deal": the person's own deal, when the team has others by that name.
_MY = re.compile(r"^(?:my|mine)\s+|\s+(?:of mine)$", I)


def deal_said(d: str) -> tuple[LeadRef, bool]:
    """The deal `d` names (a pronoun for the deal in context), and whether it is said to be
    the person's own ("my blue sun deal")."""
    d = d.strip(" ,.;:!?")
    d = re.sub(r"^(?:the|that|this)\s+(?=my\b)", "", d, flags=I)
    mine = bool(_MY.search(d))
    d = _MY.sub("", d).strip()
    if _PRONOUN_DEAL.match(d):
        return LeadRef(pronoun=True), mine
    return deal_ref(d), mine


# Why the date moves, said after the span: "2 wks, they're stuck in legal", "a week bc of
# the holidays". The span before it is read; the reason changes nothing.
_WHY = re.compile(
    r"\s*(?:[,;.!]+|\s-+|\s+(?:bc|b/c|because|since|cuz|cause|as|they'?re|theyre)\b)", I
)


def close_shift(target: str, text: str) -> int | None:
    """The days a close date moves by ("out 2 wks", "back a week", "out by two weeks"; "pull
    it in a week" is earlier), or None when `target` is a date, not a span."""
    target = re.sub(r"^(?:out|back)\s+(?=(?:by\s+)?\w+\s*[a-z]+$)", "", target, flags=I)
    shift = _SHIFT.match(target)
    if shift is None or re.search(r"\b(?:to|til|till|until|into)\s+" + re.escape(target), text, I):
        return None
    n = shift["n"].lower()
    count = int(n) if n.isdigit() else _SHIFT_NUMBERS[n]
    unit = shift["u"].lower()
    days = count * (1 if unit.startswith("d") else 7 if unit.startswith("w") else 30)
    return -days if re.search(r"\b(?:pull|bring)\b", text, I) else days


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
        slipping = _SLIPPING.search(d)  # "tyrell is slipping. drop it to 70k and": more asked
        if slipping and any(a.confident for a in find_amounts(slipping.group(0))):
            return None
        d = _SLIPPING.sub("", d)
        if (
            not d.strip()
            or re.search(r"\b(?:task|reminder|meeting|call)\b|->|→|=", d, I)
            or any(a.confident for a in find_amounts(d))
            or re.search(r"\s(?:to|into|as)\s", d, I)
        ):
            return None  # "the harbor deal -> 190k, push close ...": more than the date
    ref, mine = deal_said(d) if d else (LeadRef(pronoun=True), False)
    target = m["t"].strip(" .!?")
    days = close_shift(target, text)
    if days is None and (why := _WHY.search(target)) is not None:
        days = close_shift(target[: why.start()], text)  # "out 2 wks, they're stuck in legal"
        target = target[: why.start()] if days is not None else target
    if days is not None:
        return make_intent(
            "update_deal", ref=ref, mine=mine or None, close_shift_days=days, close_raw=target
        )
    due = find_due(target, now)
    if due is not None and due.start > 3:
        due = None
    if due is None and number in (_NO_VERB, _CLOSE_IT):
        return None  # "the acme close date is what": no verb, no date: not a change
    if due is None and re.search(
        rf"\b(?:{DEAL_WORDS}|{DEAL_NAME_WORDS}|won|lost|tasks?|todo|reminder|call|meeting)\b",
        target,
        I,
    ):
        return None  # "close out the initech deal", "... pilot as lost": not a date to move
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
