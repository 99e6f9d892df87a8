"""What each date or time phrase means: the day (and hour) a matched pattern stands for.

`date_patterns` says which phrases there are; this module turns one match into a day, a
time or an exact moment, by the conventions `dates.py` documents; `dates.py` joins a date
to the time next to it and builds the aware datetime. Phrases the patterns do not know go
to `dateparser`, cached, so a turn pays for it at most once per phrase and minute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from coworker.llm.offline.date_patterns import (
    END_OF_DAY,
    MONTHS,
    PART_OF_DAY,
    QUANTITY_WORDS,
    WEEKDAYS,
)

# Weekday abbreviations that are also words.
_WORDS_TOO = frozenset({"sat", "sun", "wed"})


@dataclass
class DatePart:
    day: date | None
    at: time | None
    start: int
    end: int
    exact: datetime | None = None  # ISO with offset, or "in 2 hours": a full moment
    deadline: bool = False
    weekday_flex: bool = False  # a bare weekday that may mean today if the time is later
    confident: bool = True
    kind: str = ""  # which pattern matched (set by `date_part`)


def _number(text: str) -> int:
    text = text.strip()
    return int(text) if text.isdigit() else QUANTITY_WORDS.get(text, 1)


def year_for(month: int, day: int, today: date, year: int | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(today.year, month, day)
        if candidate < today - timedelta(days=1):
            candidate = date(today.year + 1, month, day)
        return candidate
    except ValueError:
        return None


def american(zone: tzinfo) -> bool:
    key = getattr(zone, "key", "") or ""
    return key.startswith(("America/", "US/", "Pacific/Honolulu"))


def _first_of_next_month(today: date) -> date:
    return (today.replace(day=28) + timedelta(days=4)).replace(day=1)


def _add_business_days(today: date, count: int) -> date:
    day = today
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _quarter_end(today: date) -> date:
    first_next_quarter_month = 3 * ((today.month - 1) // 3) + 4
    if first_next_quarter_month > 12:
        return date(today.year, 12, 31)
    return date(today.year, first_next_quarter_month, 1) - timedelta(days=1)


def _iso(m: re.Match[str], zone: tzinfo, start: int, end: int) -> DatePart | None:
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    if m[4] is None:
        return DatePart(day, None, start, end)
    try:
        at = time(int(m[4]), int(m[5]), int(m[6] or 0))
    except ValueError:
        return DatePart(day, None, start, end)
    if m[7]:
        offset = m[7].upper()
        text = f"{day.isoformat()}T{at.isoformat()}" + ("+00:00" if offset == "Z" else offset)
        if len(offset) == 5:  # +0530
            text = text[:-2] + ":" + text[-2:]
        try:
            exact = datetime.fromisoformat(text).astimezone(zone)
        except ValueError:
            return DatePart(day, at, start, end)
        return DatePart(exact.date(), exact.timetz().replace(tzinfo=None), start, end, exact)
    return DatePart(day, at, start, end)


def _relative(m: re.Match[str], now: datetime, start: int, end: int) -> DatePart:
    today, zone = now.date(), now.tzinfo
    amount = _number(m[1] or m[3])
    unit = (m[2] or m[4])[:2]
    if unit in ("mi", "ho", "hr"):
        delta = timedelta(minutes=amount) if unit == "mi" else timedelta(hours=amount)
        exact = (now.astimezone(UTC) + delta).astimezone(zone).replace(second=0, microsecond=0)
        return DatePart(exact.date(), None, start, end, exact)
    if unit == "da":
        return DatePart(today + timedelta(days=amount), None, start, end)
    if unit in ("we", "wk"):
        return DatePart(today + timedelta(weeks=amount), None, start, end)
    month = today.month - 1 + amount
    year, month = today.year + month // 12, month % 12 + 1
    return DatePart(date(year, month, min(today.day, 28)), None, start, end)


def _weekday(m: re.Match[str], today: date, start: int, end: int) -> DatePart:
    qualifier, target = (m[1] or "").replace("nxt", "next"), WEEKDAYS[m[2]]
    days = (target - today.weekday()) % 7
    flex, confident = False, True
    if qualifier == "next":
        if days == 0:
            days = 7
        elif today.weekday() < target:  # this week's one is still ahead: next week's
            days += 7
            confident = False  # some people mean the coming one
    elif qualifier in ("this", "this coming"):
        pass
    elif days == 0:
        days, flex = 7, True
    part = PART_OF_DAY.get(m[3] or "")
    if part is None and m[0].startswith("first thing"):
        part = PART_OF_DAY["morning"]
    said_as_day = re.search(
        r"\b(?:for|by|on|due|til|till|until|before)\s+$", m.string[: m.start()], re.I
    )
    if m[2] in _WORDS_TOO and not qualifier and part is None and not said_as_day:
        confident = False  # "sat down with jane", "sun", "wed": maybe not a day ("for wed" is)
    deadline = qualifier in ("by", "until", "till")
    return DatePart(today + timedelta(days=days), part, start, end, None, deadline, flex, confident)


def date_part(kind: str, m: re.Match[str], now: datetime) -> DatePart | None:
    """The day (and time) one matched date phrase means, relative to `now`."""
    part = _date_part(kind, m, now)
    if part is not None:
        part.kind = kind
    return part


def _date_part(kind: str, m: re.Match[str], now: datetime) -> DatePart | None:  # noqa: C901
    today = now.date()
    start, end = m.start(), m.end()
    zone = now.tzinfo
    assert zone is not None
    if kind == "iso":
        return _iso(m, zone, start, end)
    if kind == "day_after":
        return DatePart(today + timedelta(days=2), None, start, end)
    if kind == "tomorrow":
        part = PART_OF_DAY.get(m[1] or "")
        if part is None and ("first thing" in m[0] or m[0].endswith("morning")):
            part = PART_OF_DAY["morning"]
        return DatePart(today + timedelta(days=1), part, start, end)
    if kind == "first_thing":
        morning = PART_OF_DAY["morning"]
        day = today if now.time() < morning else today + timedelta(days=1)
        return DatePart(day, morning, start, end)
    if kind == "tonight":
        return DatePart(today, time(20) if "night" in m[0] else time(18), start, end)
    if kind == "this_part":
        return DatePart(today, PART_OF_DAY[m[1]], start, end)
    if kind == "now":
        exact = now.replace(second=0, microsecond=0)
        return DatePart(today, None, start, end, exact)
    if kind == "eod":  # said after hours ("send it eod" at 6pm): the day's end still ahead
        late = now.time() >= END_OF_DAY
        return DatePart(today, time(23, 59) if late else END_OF_DAY, start, end)
    if kind in ("eow", "eonw"):
        days = (4 - today.weekday()) % 7 + (7 if kind == "eonw" else 0)
        return DatePart(today + timedelta(days=days), END_OF_DAY, start, end)
    if kind in ("eom", "eonm"):
        first = _first_of_next_month(today)
        if kind == "eonm":
            first = _first_of_next_month(first)
        return DatePart(first - timedelta(days=1), END_OF_DAY, start, end)
    if kind == "eo_month":
        month = MONTHS[m[1]]
        year = today.year + (1 if month < today.month else 0)
        last = _first_of_next_month(date(year, month, 1)) - timedelta(days=1)
        return DatePart(last, END_OF_DAY, start, end)
    if kind == "eoq":
        return DatePart(_quarter_end(today), END_OF_DAY, start, end)
    if kind == "eoy":
        return DatePart(date(today.year, 12, 31), END_OF_DAY, start, end)
    if kind == "today":
        return DatePart(today, None, start, end, deadline=True)
    if kind == "relative":
        return _relative(m, now, start, end)
    if kind == "half_hour":
        exact = (now.astimezone(UTC) + timedelta(minutes=30)).astimezone(zone)
        return DatePart(exact.date(), None, start, end, exact.replace(second=0, microsecond=0))
    if kind == "business_days":
        return DatePart(_add_business_days(today, _number(m[1])), None, start, end)
    if kind == "week_from":
        base = today
        if m[1]:
            base = today + timedelta(days=(WEEKDAYS[m[1]] - today.weekday()) % 7 or 7)
        return DatePart(base + timedelta(weeks=1), None, start, end)
    if kind == "next_week":
        extra = 7 if m[1] else 0  # "the week after next"
        return DatePart(today + timedelta(days=7 - today.weekday() + extra), None, start, end)
    if kind == "next_month":
        return DatePart(_first_of_next_month(today), None, start, end)
    if kind == "next_quarter":
        return DatePart(_quarter_end(today) + timedelta(days=1), None, start, end)
    if kind == "weekday":
        return _weekday(m, today, start, end)
    if kind == "month_day":
        found = year_for(MONTHS[m[1]], int(m[2]), today, int(m[3]) if m[3] else None)
        return DatePart(found, None, start, end) if found else None
    if kind == "day_month":
        found = year_for(MONTHS[m[2]], int(m[1]), today, int(m[3]) if m[3] else None)
        return DatePart(found, None, start, end) if found else None
    if kind == "numeric":
        a, b = int(m[1]), int(m[2])
        month, dom = (a, b) if american(zone) else (b, a)
        given: int | None = None
        if m[3]:
            given = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        if not (1 <= month <= 12):
            month, dom = dom, month
        found = year_for(month, dom, today, given)
        # "3/4" reads both ways; only a number over 12 or a year settles it.
        sure = a > 12 or b > 12 or a == b or given is not None
        return DatePart(found, None, start, end, confident=sure) if found else None
    if kind == "the_nth":
        return _the_nth(int(m[1]), today, start, end)
    if kind == "fallback":
        return _fallback(m[0], now, start, end)
    return None


def _the_nth(dom: int, today: date, start: int, end: int) -> DatePart | None:
    """The next "5th": this month's, or next month's once it has passed; no month said: unsure."""
    try:
        day = today.replace(day=dom)
    except ValueError:
        return None
    if day < today:
        try:
            day = _first_of_next_month(today).replace(day=dom)
        except ValueError:
            return None
    return DatePart(day, None, start, end, confident=False)


def _fallback(phrase: str, now: datetime, start: int, end: int) -> DatePart | None:
    zone = now.tzinfo
    assert zone is not None
    order = "MDY" if american(zone) else "DMY"
    found = _dateparser(phrase, now.replace(tzinfo=None, second=0, microsecond=0), order)
    if found is None:
        return None
    # A month and a year alone ("march 2027") names no day: the 1st, and not sure.
    month_only = bool(re.fullmatch(r"[a-z]+\.?,? \d{4}", phrase))
    day = found.replace(day=1) if month_only else found
    return DatePart(day, None, start, end, confident=not month_only)


@lru_cache(maxsize=512)
def _dateparser(phrase: str, base: datetime, order: str) -> date | None:
    # Imported on first use (it takes a moment to load its language data); it has no stubs.
    import dateparser  # type: ignore[import-untyped]

    found = dateparser.parse(
        phrase,
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "DATE_ORDER": order},
    )
    return found.date() if found is not None else None


def _hour(value: int, ampm: str | None, bare: bool) -> int | None:
    if ampm:
        if not 1 <= value <= 12:
            return None
        pm = ampm.startswith("p")
        return (value % 12) + (12 if pm else 0)
    if bare and 1 <= value <= 6:
        return value + 12
    return value if 0 <= value <= 23 else None


_MINUTES = {"fifteen": 15, "thirty": 30}


def time_part(kind: str, m: re.Match[str]) -> time | None:
    """The wall-clock time one matched time phrase means."""
    if kind == "words_hm":
        hour = _hour(_number(m[1]), m[3] or None, bare=not m[3])
        return time(hour, _MINUTES.get(m[2], 45)) if hour is not None and hour < 24 else None
    if kind == "hm":
        if "." in m[0] and not m[3] and not m[0].startswith(("at", "@")):
            return None  # "12.50" is a price or a version more often than a time
        hour = _hour(int(m[1]), m[3], bare=m[3] is None and int(m[1]) <= 6)
        minute = int(m[2])
        if hour is None or minute > 59:
            return None
        return time(hour, minute)
    if kind == "h_ampm":
        hour = _hour(_number(m[1]), m[2], bare=False)
        return time(hour) if hour is not None else None
    if kind in ("oclock", "at_h"):
        hour = _hour(_number(m[1]), None, bare=True)
        return time(hour) if hour is not None and hour < 24 else None
    if kind == "half_past":
        hour = _hour(_number(m[1]), None, bare=True)
        return time(hour, 30) if hour is not None and hour < 24 else None
    if kind == "noon":
        word = m[1]
        return time(0) if word == "midnight" else time(12)
    return None
