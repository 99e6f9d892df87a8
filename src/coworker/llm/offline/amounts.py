"""Money in a salesperson's words: "18.5k", "$1.2m", "1,200,000", "18500 usd", "20 grand",
"20 g", "twenty k", "fifty grand", "half a mil".

A deal's value is the number people most often type and the easiest to get wrong: "close
date 2 wks out" once became a deal worth $2. So a number is an amount only when it is not
part of something else (a date or time phrase, a phone number, a count like "3 tasks" or
"20 min", a word like "q3"), and it is `confident` only with a money cue: a currency, a
unit ("k", "m", "grand") or a word like "worth" or "budget" just before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from coworker.llm.offline.dates import phrase_spans
from coworker.llm.offline.phones import find_phones
from coworker.llm.offline.vocab import CURRENCIES

_AMOUNT = re.compile(
    r"(?<![\w.,/#:+-])(?P<cur1>[$€£¥]|(?:usd|eur|gbp|cad|aud|chf|jpy)(?=\s?\d))?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<unit>k|mm|m|mil|bn|b|thousand|grand|g|million|billion)\b)?"
    r"(?:\s?(?P<cur2>usd|eur|gbp|cad|aud|chf|jpy|dollars|euros|pounds|bucks)\b)?"
    r"(?![\w$€£¥]|[.,]\d|/\d|:\d)",
    re.I,
)
_MULTIPLIERS = {
    "k": 1_000,
    "thousand": 1_000,
    "grand": 1_000,
    "g": 1_000,  # "20 g": Slack for twenty grand
    "m": 1_000_000,
    "mm": 1_000_000,
    "mil": 1_000_000,
    "million": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
# What a number counts when it is not money ("3 tasks", "20 min", "40 seats", "2nd").
_COUNT = re.compile(
    r"\s?(?:am|pm|a\.m|p\.m|st|nd|rd|th|x|%|percent|"
    r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mos?|years?|yrs?|quarters?|"
    r"seats?|users?|licen[cs]es?|people|persons?|tasks?|leads?|deals?|opps?|contacts?|"
    r"emails?|calls?|texts?|notes?|meetings?|times?|reps?|accounts?|steps?|items?|units?|"
    r"employees?|stars?|points?|pages?|slides?|of (?:them|those|these)|more|others?)\b)",
    re.I,
)
# A rate, not a deal's whole value: "2k/mo", "$40 per seat", "5k a month" (`is_rate`).
_RATE = re.compile(
    r"\s*(?:/|per\s+|an?\s+|each\s+)\s*(?:mo|mos|month|months|wk|week|day|seat|user|"
    r"head|licen[cs]e|unit|hr|hour|quarter|qtr)\b",
    re.I,
)
# Words just before a number that make it money ("worth 18500", "budget of 20000").
_CUE_BEFORE = re.compile(
    r"(?:worth|value[ds]?|valued at|amount(?: of)?|budget(?: of| is)?|price[ds]?(?: at)?|"
    r"priced at|cost(?:s|ing)?|for|at|deal size(?: of)?|size|arr|mrr|acv|tcv|revenue(?: of)?|"
    r"paying|pays|pay|quote[ds]?(?: at)?|quoting|offer(?:ed)?|contract(?: of)?|to|from)"
    r"[\s:]*(?:is|was|of|about|around|roughly|approx\.?|~)?\s*$",
    re.I,
)
# Words just before a number that make it something else ("stage 2", "q3", "top 5").
_NOT_BEFORE = re.compile(
    r"(?:stage|step|top|first|last|next|page|item|row|option|number|no\.?|#|v|q|version|"
    r"in|within|every|each|around the|the)\s*$",
    re.I,
)


# Numbers said in words, with a unit that makes them money ("twenty k", "fifty grand",
# "one fifty k", "half a mil"): without the unit a word number is a count, never an amount.
_ONES = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUE = {
    **{w: i + 1 for i, w in enumerate(_ONES)},
    **{w: i + 10 for i, w in enumerate(_TEENS)},
    **{w: (i + 2) * 10 for i, w in enumerate(_TENS)},
    "a": 1,
    "an": 1,
}
_ONE, _TEEN, _TEN = ("|".join(words) for words in (_ONES, _TEENS, _TENS))
_UNDER_100 = rf"(?:(?:{_TEN})(?:[\s-](?:{_ONE}))?|{_TEEN}|{_ONE})"
WORD_AMOUNT = re.compile(
    rf"(?<![\w-])(?P<num>half an?|(?:(?:a|an|{_ONE})\s+hundred"
    rf"(?:\s+(?:and\s+)?{_UNDER_100})?)|(?:{_ONE})\s+(?:{_TEN})|{_UNDER_100})"
    r"\s*(?P<unit>k|grand|thousand|mil|million|m)\b",
    re.I,
)


def _word_value(words: str) -> float:
    """ "twenty five" 25, "a hundred and fifty" 150, "one fifty" 150, "half a" 0.5."""
    parts = re.split(r"[\s-]+", words.lower())
    if parts[0] == "half":
        return 0.5
    if "hundred" in parts:
        at = parts.index("hundred")
        rest = [p for p in parts[at + 1 :] if p != "and"]
        return _WORD_VALUE[parts[0]] * 100 + sum(_WORD_VALUE[p] for p in rest)
    if len(parts) == 2 and parts[1] in _TENS and parts[0] in _ONES:  # "one fifty k"
        return _WORD_VALUE[parts[0]] * 100 + _WORD_VALUE[parts[1]]
    return float(sum(_WORD_VALUE[p] for p in parts))


def _word_amounts(text: str) -> list[Amount]:
    found = []
    for m in WORD_AMOUNT.finditer(text):
        value = _word_value(m["num"]) * _MULTIPLIERS[m["unit"].lower()]
        found.append(Amount(float(value), None, m.start(), m.end(), m.group(0), True))
    return found


@dataclass(frozen=True)
class Amount:
    """One amount of money: its value, currency when said, and the span it came from."""

    value: float
    currency: str | None  # ISO 4217 when a sign or word said it ("$" -> "USD"), else None
    start: int
    end: int
    text: str  # as written
    confident: bool  # False for a bare number with no money cue ("budget" was not said)


def _value(number: str, unit: str) -> float | None:
    try:
        digits = re.sub(r"[,\s]", "", number)
        exact = Decimal(digits) * _MULTIPLIERS.get(unit, 1)
    except InvalidOperation:
        return None
    return float(round(exact, 2)) if exact > 0 else None


def _currency(sign: str | None, word: str | None) -> str | None:
    cur = (sign or word or "").lower()
    if not cur:
        return None
    return "USD" if cur == "bucks" else CURRENCIES.get(cur)


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and end > s for s, e in spans)


def find_amounts(text: str) -> list[Amount]:
    """Every amount of money in `text`, in order; dates, times, phones and counts skipped."""
    words = _word_amounts(text)
    if not any(ch.isdigit() for ch in text):
        return words
    taken = phrase_spans(text) + [(p.start, p.end) for p in find_phones(text)]
    found: list[Amount] = []
    for m in _AMOUNT.finditer(text):
        unit = (m["unit"] or "").lower()
        currency = _currency(m["cur1"], m["cur2"])
        start, end = m.start(), m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        if text[start].isspace():
            start += 1
        marked = bool(unit or currency)
        if not currency and not m["num"].replace(",", "").replace(".", "").isdigit():
            continue  # "40 000" grouped with spaces is money only with a currency
        if _inside(m.start("num"), m.end("num"), taken) and not marked:
            continue
        if not marked and _COUNT.match(text, end):
            continue
        before = text[max(0, start - 30) : start]
        if not marked and _NOT_BEFORE.search(before):
            continue
        if unit in ("m", "b") and not currency and _COUNT.match(text, end):
            continue
        value = _value(m["num"], unit)
        if value is None:
            continue
        year = not marked and re.fullmatch(r"(?:19|20)\d\d", m["num"]) is not None
        if year and not _CUE_BEFORE.search(before):
            continue  # "in 2026", "Q4 2026": a year
        confident = marked or _CUE_BEFORE.search(before) is not None
        found.append(Amount(value, currency, start, end, text[start:end], confident))
    found += [w for w in words if not _inside(w.start, w.end, [(a.start, a.end) for a in found])]
    return sorted(found, key=lambda a: a.start)


def is_rate(text: str, amount: Amount) -> bool:
    """Whether `amount` is said as a rate ("2k/mo", "$40 per seat"): money, but not a deal's
    whole value (a month's, or the year's?), so a deal written from it is asked about."""
    return _RATE.match(text, amount.end) is not None
