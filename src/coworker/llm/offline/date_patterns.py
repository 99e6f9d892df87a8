"""The words and patterns a due phrase is made of: weekdays, months, quantities, parts of
the day, and the date and time patterns `dates.find_due` tries, earliest match first.

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
PART_OF_DAY = {"morning": time(9), "afternoon": time(14), "evening": time(18), "night": time(20)}
DEFAULT_TIME = time(9)
END_OF_DAY = time(17)

_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUM = r"\d+|a couple of|a couple|couple of|couple|a few|few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"  # noqa: E501
_ORD = r"(?:st|nd|rd|th)?"
_AMPM = r"(?:a\.?m\.?|p\.?m\.?)"

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
        re.compile(r"\b(?:tomorrow|tmrw|tmr|tomoz)(?: (morning|afternoon|evening|night))?\b"),
    ),
    ("tonight", re.compile(r"\b(?:tonight|this evening|this eve)\b")),
    ("this_part", re.compile(r"\bthis (morning|afternoon)\b")),
    (
        "eod",
        re.compile(
            r"\b(?:(?:by |at )?(?:the )?end of (?:the |my )?(?:work ?|business )?day|eod|cob|"
            r"close of business|end of business)\b"
        ),
    ),
    ("eow", re.compile(r"\b(?:(?:by )?(?:the )?end of (?:the |this )?week|eow)\b")),
    ("eom", re.compile(r"\b(?:(?:by )?(?:the )?end of (?:the |this )?month|eom)\b")),
    ("today", re.compile(r"\b(?:today|tdy)\b")),
    (
        "relative",
        re.compile(
            rf"\b(?:in|within) ({_NUM}) (minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?)\b"
            rf"|\b({_NUM}) (minutes?|mins?|hours?|hrs?|days?|weeks?|months?) from (?:now|today)\b"
        ),
    ),
    ("week_from", re.compile(rf"\b(?:a|one) week from (?:today|now|({_WD}))\b")),
    ("next_week", re.compile(r"\bnext week\b")),
    ("next_month", re.compile(r"\bnext month\b")),
    (
        "weekday",
        re.compile(
            rf"\b(?:(this|next|coming|this coming|on|by|until|till) )?({_WD})\b"
            r"(?: (morning|afternoon|evening|night))?"
        ),
    ),
    ("month_day", re.compile(rf"\b({_MON})\.? (\d{{1,2}}){_ORD}\b(?:,? (\d{{4}}))?")),
    ("day_month", re.compile(rf"\b(\d{{1,2}}){_ORD} (?:of )?({_MON})\b\.?(?:,? (\d{{4}}))?")),
    ("numeric", re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?(?![\d/])")),
    ("the_nth", re.compile(r"\b(?:on )?the (\d{1,2})(?:st|nd|rd|th)\b")),
]

TIME_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("hm", re.compile(rf"\b(?:at |@ ?)?(\d{{1,2}})[:.](\d{{2}}) ?({_AMPM})?(?![\d:])")),
    ("h_ampm", re.compile(rf"\b(?:at |@ ?)?(\d{{1,2}}) ?({_AMPM})(?![a-z])")),
    ("oclock", re.compile(r"\b(?:at )?(\d{1,2}) ?o'?clock\b")),
    ("half_past", re.compile(r"\b(?:at )?half past (\d{1,2})\b")),
    ("noon", re.compile(r"\b(?:at )?(noon|midday|midnight|lunch ?time|lunch)\b")),
    (
        "at_h",
        re.compile(r"(?:\bat|@) ?(\d{1,2})\b(?![:./]\d)(?! ?(?:%|min|minutes|hours|days|k\b))"),
    ),
]

# Words joined to a due phrase that go when the phrase is cut out of a title.
CONNECTORS = re.compile(r"(?:\b(?:due|by|on|at|for|before|until|till|from|starting)\b\s*)+$")
