"""The words and patterns a due phrase is made of: weekdays, months, quantities, parts of
the day, and the date and time patterns `dates.find_when` tries, earliest (then longest)
match first. Shorthand is part of the patterns ("tmrw", "wks", "tues am", "2 wks out"), so
the dates are read from the person's own text and every span points into it.

What the phrases mean (which day, which hour) is `dates.py`'s business; this module only says
which phrases there are.
"""

from __future__ import annotations

import re
from datetime import time

from coworker.llm.offline.vocab import NUMBER_WORDS

WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# How many, as people say it ("in three days", "in a couple of weeks"): the numbers, and a few
# quantities said in words.
QUANTITY_WORDS = {
    **NUMBER_WORDS,
    "a": 1,
    "an": 1,
    "couple": 2,
    "couple of": 2,
    "a couple of": 2,
    "a couple": 2,
    "few": 3,
    "a few": 3,
}
# The project's clock conventions, in one place (dates.py's docstring says why).
PART_OF_DAY = {
    "morning": time(9),
    "am": time(9),
    "afternoon": time(14),
    "pm": time(14),
    "evening": time(18),
    "night": time(20),
}
DEFAULT_TIME = time(9)
END_OF_DAY = time(17)
_PART = "morning|afternoon|evening|night|am|pm"
# "first thing tomorrow", "first thing monday": the morning of that day.
_FIRST = r"(?:first thing (?:in the morning )?(?:on )?)?"

_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUM = r"\d+|a couple of|a couple|couple of|couple|a few|few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"  # noqa: E501
_ORD = r"(?:st|nd|rd|th)?"
_AMPM = r"(?:a\.?m\.?|p\.?m\.?)"
# An hour said in words, as dictation writes it ("at three pm", "half past two").
HOUR_WORDS = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
_HW = "|".join(sorted(HOUR_WORDS, key=len, reverse=True))
_H = rf"(\d{{1,2}}|{_HW})"
_MINUTE_WORDS = r"fifteen|thirty|forty[ -]five"
_UNITS = r"minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mos?"
# A span said roughly ("in ~30 days", "in about 2 weeks", "in 30ish days"): the span said is
# the one read; a close date or follow-up a day either side is what the person meant.
_ABOUT = r"(?:~ ?|about |around |roughly |approx\.? |approximately |like |abt )?"

# Each date pattern is tried on the whole text; the earliest (then longest) match wins.
DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "iso",
        re.compile(
            r"\b(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
            r"(z|[+-]\d{2}:?\d{2})?)?\b"
        ),
    ),
    ("day_after", re.compile(r"\b(?:the )?day after (?:tomorrow|tmrw|tmr)\b")),
    (
        "tomorrow",
        re.compile(
            rf"\b{_FIRST}(?:tomorrow|tmrw|tmr|tmw|tomoz|2moro)(?: ({_PART}))?\b"
            r"(?: (?:first thing|(?:in the )?morning))?"
        ),
    ),
    ("first_thing", re.compile(r"\bfirst thing(?: in the morning)?\b")),
    ("tonight", re.compile(r"\b(?:tonight|this evening|this eve)\b")),
    ("this_part", re.compile(r"\bthis (morning|afternoon|am|pm)\b")),
    ("now", re.compile(r"\b(?:right now|rn)\b")),
    (
        "eod",
        re.compile(
            r"\b(?:(?:by |at )?(?:the )?end of (?:the |my )?(?:work ?|business )?day|eod|cob|"
            r"close of business|end of business)\b"
        ),
    ),
    ("eow", re.compile(r"\b(?:(?:by )?(?:the )?end of (?:the |this )?(?:week|wk)|eow)\b")),
    ("eonw", re.compile(r"\b(?:by )?(?:the )?end of (?:the )?(?:next|nxt) (?:week|wk)\b")),
    ("eom", re.compile(r"\b(?:(?:by )?(?:the )?end of (?:the |this )?month|eom)\b")),
    ("eonm", re.compile(r"\b(?:by )?(?:the )?end of (?:the )?(?:next|nxt) month\b")),
    # "closing end of jan": the month's last day; the coming one (January said in December)
    ("eo_month", re.compile(rf"\b(?:by )?(?:the )?end of ({_MON})\b")),
    ("eoq", re.compile(r"\b(?:(?:by )?(?:the )?end of (?:the |this )?(?:quarter|qtr)|eoq)\b")),
    ("eoy", re.compile(r"\b(?:(?:by )?(?:the )?end of (?:the |this )?year|eoy)\b")),
    ("today", re.compile(r"\b(?:today|tdy)\b")),
    (
        "relative",
        re.compile(
            rf"\b(?:in|within) {_ABOUT}({_NUM})(?:ish)? ({_UNITS})\b"
            rf"|\b({_NUM}) ({_UNITS}) (?:from (?:now|today)|out)\b"
        ),
    ),
    ("half_hour", re.compile(r"\b(?:in|within) (?:half an|a half) (?:hour|hr)\b")),
    (
        "business_days",
        re.compile(rf"\b(?:in|within) ({_NUM}) (?:business|working|work) days?\b"),
    ),
    ("week_from", re.compile(rf"\b(?:a|one) (?:week|wk) from (?:today|now|({_WD}))\b")),
    ("next_week", re.compile(r"\b(?:(?:next|nxt) (?:week|wk)|(?:the )?(week) after next)\b")),
    ("next_month", re.compile(r"\b(?:next|nxt) month\b")),
    ("next_quarter", re.compile(r"\b(?:next|nxt) (?:quarter|qtr)\b")),
    (
        "weekday",
        re.compile(
            rf"\b{_FIRST}(?:(this|next|nxt|coming|this coming|on|by|until|till) )?({_WD})\b\.?"
            rf"(?: ({_PART}))?\b"
        ),
    ),
    ("month_day", re.compile(rf"\b({_MON})\.? (\d{{1,2}}){_ORD}\b(?:,? (\d{{4}}))?")),
    (
        "day_month",
        re.compile(rf"\b(?:the )?(\d{{1,2}}){_ORD} (?:of )?({_MON})\b\.?(?:,? (\d{{4}}))?"),
    ),
    ("numeric", re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?(?![\d/])")),
    (
        "the_nth",
        re.compile(
            r"\b(?:on )?the (\d{1,2})(?:st|nd|rd|th)\b"
            # "the 2nd one", "the 3rd call": a position in a list, not a day; "the 3rd of
            # march" is `day_month`'s, "the 1st of next month" the fallback's.
            r"(?! (?:one|call|email|text|lead|deal|task|note|time|option|person|contact|"
            r"row|item|page|step)s?\b| of\b)"
        ),
    ),
]
# Phrases the patterns above leave to `dateparser` (dates.py caches what it says).
FALLBACK_PATTERN = re.compile(
    rf"\b(?:in|within) (?:{_NUM}) (?:fortnights?|years?|yrs?)\b"
    rf"|\b(?:{_NUM}) (?:fortnights?|years?) from (?:now|today)\b"
    r"|\bin a fortnight\b"
    rf"|\b(?:{_MON}),? \d{{4}}\b"
    r"|(?<![\d/.:-])\d{1,2}[.-]\d{1,2}[.-](?:\d{4}|\d{2})(?![\d.:-])"
    rf"|\b(?:the )?\d{{1,2}}(?:st|nd|rd|th)? of next month\b"
)

TIME_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("hm", re.compile(rf"\b(?:at |@ ?)?(\d{{1,2}})[:.](\d{{2}}) ?({_AMPM})?(?![\d:])")),
    # "three thirty pm", "at four fifteen": an hour and its minutes in words
    ("words_hm", re.compile(rf"\b(?:at )?({_HW})[ -]({_MINUTE_WORDS}) ?({_AMPM})(?![a-z])")),
    ("words_hm", re.compile(rf"\bat ({_HW})[ -]({_MINUTE_WORDS})\b()")),
    ("h_ampm", re.compile(rf"\b(?:at |@ ?)?{_H} ?({_AMPM})(?![a-z])")),
    ("oclock", re.compile(rf"\b(?:at )?{_H} ?o'?clock\b")),
    # "half past 3", and the British "half 3" (3:30, not half of three of something)
    (
        "half_past",
        re.compile(r"\b(?:at )?half(?: past)? (\d{1,2})\b(?! ?(?:an?\b|hours?|hrs?|mins?|%|k\b))"),
    ),
    ("half_past", re.compile(rf"\b(?:at )?half past ({_HW})\b")),
    ("noon", re.compile(r"\b(?:at )?(noon|midday|midnight|lunch ?time|lunch)\b")),
    (
        "at_h",
        re.compile(
            r"(?:\bat|@) ?(\d{1,2})\b(?![:./,]\d)"
            r"(?! ?(?:%|min|minutes|hours|days|k\b|m\b|grand|thousand|million|bucks|dollars|usd))"
        ),
    ),
    # "at three" in words only where an hour is all it can be: before a day, a topic or the end
    (
        "at_h",
        re.compile(
            rf"\bat ({_HW})\b(?=\s*(?:$|[,.;!?)]|tomorrow|today|tonight|tmrw|on\b|this\b|next\b|"
            r"in the\b|and\b|about\b|re\b|to\b|for\b|with\b|w/|pls\b|please\b))"
        ),
    ),
]

# Words joined to a due phrase that go when the phrase is cut out of a title.
CONNECTORS = re.compile(r"(?:\b(?:due|by|on|at|for|before|until|till|from|starting)\b\s*)+$")
