"""Due phrases ("tomorrow at 10", "next Tuesday", "in 3 days", "Dec 3") as aware datetimes.

People give due dates in their own words and their own timezone, and the CRM wants ISO 8601
with an offset. A small hand-written parser (no dependency) covers the phrases a sales team
uses; every wall-clock time is built from a local date and time through `zoneinfo`, so a
date on the far side of a DST change gets that day's offset, and a time that does not exist
(02:30 on the spring-forward night) moves forward to one that does.

Conventions, chosen to read like a colleague would:
- a date without a time is due at 09:00; "today" at 17:00, "tonight" at 20:00, "end of day"
  (EOD, COB) at 17:00, a deadline ("by Friday") at 17:00;
- "Friday" is the coming Friday (today only if a time later today is given); "next Friday"
  is Friday of next week when this week's Friday is still ahead, else the coming one;
- a bare hour ("at 3") between 1 and 6 is afternoon, 7 to 11 morning;
- a time alone ("at 3pm") is today, or tomorrow when that time has passed;
- numeric dates are month/day in American timezones and day/month elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from coworker.llm.offline.date_patterns import (
    CONNECTORS,
    DATE_PATTERNS,
    DEFAULT_TIME,
    END_OF_DAY,
    MONTHS,
    PART_OF_DAY,
    QUANTITY_WORDS,
    TIME_PATTERNS,
    WEEKDAYS,
)


@dataclass(frozen=True)
class Due:
    """A due moment found in a text, and where the phrase sits (to cut it from a title)."""

    when: datetime
    start: int
    end: int
    has_time: bool

    def iso(self) -> str:
        return iso(self.when)


def iso(moment: datetime) -> str:
    """ISO 8601 with the offset, to the second (what the CRM's `due_date` takes)."""
    return moment.replace(microsecond=0).isoformat()


def localise(day: date, at: time, zone: tzinfo) -> datetime:
    """`day` at wall-clock `at` in `zone`; a time skipped by DST moves to the next real one."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=zone)
    # Round-trip through UTC: a non-existent local time comes back as the real one after it.
    back = aware.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != naive:
        return back
    return aware


def _number(text: str) -> int:
    text = text.strip()
    return int(text) if text.isdigit() else QUANTITY_WORDS.get(text, 1)


def _year_for(month: int, day: int, today: date, year: int | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(today.year, month, day)
        if candidate < today - timedelta(days=1):
            candidate = date(today.year + 1, month, day)
        return candidate
    except ValueError:
        return None


def _american(zone: tzinfo) -> bool:
    key = getattr(zone, "key", "") or ""
    return key.startswith(("America/", "US/", "Pacific/Honolulu"))


@dataclass
class _DatePart:
    day: date | None
    at: time | None
    start: int
    end: int
    exact: datetime | None = None  # ISO with offset, or "in 2 hours": a full moment
    deadline: bool = False
    weekday_flex: bool = False  # a bare weekday that may mean today if the time is later


def _date_part(kind: str, m: re.Match[str], now: datetime) -> _DatePart | None:  # noqa: C901
    today = now.date()
    start, end = m.start(), m.end()
    zone = now.tzinfo
    assert zone is not None
    if kind == "iso":
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        if m[4] is None:
            return _DatePart(day, None, start, end)
        try:
            at = time(int(m[4]), int(m[5]), int(m[6] or 0))
        except ValueError:
            return _DatePart(day, None, start, end)
        if m[7]:
            offset = m[7].upper()
            text = f"{day.isoformat()}T{at.isoformat()}" + ("+00:00" if offset == "Z" else offset)
            if len(offset) == 5:  # +0530
                text = text[:-2] + ":" + text[-2:]
            try:
                exact = datetime.fromisoformat(text).astimezone(zone)
            except ValueError:
                return _DatePart(day, at, start, end)
            return _DatePart(exact.date(), exact.timetz().replace(tzinfo=None), start, end, exact)
        return _DatePart(day, at, start, end)
    if kind == "day_after":
        return _DatePart(today + timedelta(days=2), None, start, end)
    if kind == "tomorrow":
        return _DatePart(today + timedelta(days=1), PART_OF_DAY.get(m[1] or ""), start, end)
    if kind == "tonight":
        return _DatePart(today, time(20) if "night" in m[0] else time(18), start, end)
    if kind == "this_part":
        return _DatePart(today, PART_OF_DAY[m[1]], start, end)
    if kind == "eod":
        return _DatePart(today, END_OF_DAY, start, end)
    if kind == "eow":
        days = (4 - today.weekday()) % 7
        return _DatePart(today + timedelta(days=days), END_OF_DAY, start, end)
    if kind == "eom":
        first_next = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
        return _DatePart(first_next - timedelta(days=1), END_OF_DAY, start, end)
    if kind == "today":
        return _DatePart(today, None, start, end, deadline=True)
    if kind == "relative":
        amount = _number(m[1] or m[3])
        unit = (m[2] or m[4])[:2]
        if unit in ("mi", "ho", "hr"):
            delta = timedelta(minutes=amount) if unit == "mi" else timedelta(hours=amount)
            exact = (now.astimezone(UTC) + delta).astimezone(zone).replace(second=0, microsecond=0)
            return _DatePart(exact.date(), None, start, end, exact)
        if unit == "da":
            return _DatePart(today + timedelta(days=amount), None, start, end)
        if unit in ("we", "wk"):
            return _DatePart(today + timedelta(weeks=amount), None, start, end)
        month = today.month - 1 + amount
        year, month = today.year + month // 12, month % 12 + 1
        return _DatePart(date(year, month, min(today.day, 28)), None, start, end)
    if kind == "week_from":
        base = today
        if m[1]:
            base = today + timedelta(days=(WEEKDAYS[m[1]] - today.weekday()) % 7 or 7)
        return _DatePart(base + timedelta(weeks=1), None, start, end)
    if kind == "next_week":
        return _DatePart(today + timedelta(days=7 - today.weekday()), None, start, end)
    if kind == "next_month":
        first_next = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
        return _DatePart(first_next, None, start, end)
    if kind == "weekday":
        qualifier, target = (m[1] or ""), WEEKDAYS[m[2]]
        days = (target - today.weekday()) % 7
        flex = False
        if qualifier == "next":
            if days == 0:
                days = 7
            elif today.weekday() < target:  # this week's one is still ahead: next week's
                days += 7
        elif qualifier in ("this", "this coming"):
            pass
        elif days == 0:
            days, flex = 7, True
        part = PART_OF_DAY.get(m[3] or "")
        deadline = qualifier in ("by", "until", "till")
        return _DatePart(today + timedelta(days=days), part, start, end, None, deadline, flex)
    if kind == "month_day":
        found = _year_for(MONTHS[m[1]], int(m[2]), today, int(m[3]) if m[3] else None)
        return _DatePart(found, None, start, end) if found else None
    if kind == "day_month":
        found = _year_for(MONTHS[m[2]], int(m[1]), today, int(m[3]) if m[3] else None)
        return _DatePart(found, None, start, end) if found else None
    if kind == "numeric":
        a, b = int(m[1]), int(m[2])
        month, dom = (a, b) if _american(zone) else (b, a)
        given: int | None = None
        if m[3]:
            given = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        if not (1 <= month <= 12):
            month, dom = dom, month
        found = _year_for(month, dom, today, given)
        return _DatePart(found, None, start, end) if found else None
    if kind == "the_nth":
        dom = int(m[1])
        try:
            day = today.replace(day=dom)
        except ValueError:
            return None
        if day < today:
            first_next = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
            try:
                day = first_next.replace(day=dom)
            except ValueError:
                return None
        return _DatePart(day, None, start, end)
    return None


def _hour(value: int, ampm: str | None, bare: bool) -> int | None:
    if ampm:
        if not 1 <= value <= 12:
            return None
        pm = ampm.startswith("p")
        return (value % 12) + (12 if pm else 0)
    if bare and 1 <= value <= 6:
        return value + 12
    return value if 0 <= value <= 23 else None


def _time_part(kind: str, m: re.Match[str]) -> time | None:
    if kind == "hm":
        hour = _hour(int(m[1]), m[3], bare=m[3] is None and int(m[1]) <= 6)
        minute = int(m[2])
        if hour is None or minute > 59:
            return None
        return time(hour, minute)
    if kind == "h_ampm":
        hour = _hour(int(m[1]), m[2], bare=False)
        return time(hour) if hour is not None else None
    if kind in ("oclock", "at_h"):
        hour = _hour(int(m[1]), None, bare=True)
        return time(hour) if hour is not None and hour < 24 else None
    if kind == "half_past":
        hour = _hour(int(m[1]), None, bare=True)
        return time(hour, 30) if hour is not None and hour < 24 else None
    if kind == "noon":
        word = m[1]
        return time(0) if word == "midnight" else time(12)
    return None


def _first(
    patterns: list[tuple[str, re.Pattern[str]]], text: str
) -> list[tuple[str, re.Match[str]]]:
    found = []
    for kind, pattern in patterns:
        for m in pattern.finditer(text):
            found.append((kind, m))
    found.sort(key=lambda item: (item[1].start(), -(item[1].end() - item[1].start())))
    return found


def find_due(text: str, now: datetime) -> Due | None:
    """The first due phrase in `text` (lowercase is fine, any case works), relative to `now`.

    `now` must be aware and in the person's timezone. Returns None when there is none.
    """
    if now.tzinfo is None:
        raise ValueError("find_due needs an aware `now` in the person's timezone")
    low = text.lower()
    if len(low) != len(text):
        low = text  # a case change that altered length: keep spans aligned
    zone = now.tzinfo
    date_part: _DatePart | None = None
    for kind, m in _first(DATE_PATTERNS, low):
        date_part = _date_part(kind, m, now)
        if date_part is not None:
            break
    time_match: tuple[time, int, int] | None = None
    times = [
        (t, m.start(), m.end())
        for kind, m in _first(TIME_PATTERNS, low)
        if (t := _time_part(kind, m)) is not None
    ]
    if date_part is not None:
        # A time next to the date ("tomorrow at 10", "2pm on Friday") belongs to it.
        for t, s, e in times:
            overlaps = s < date_part.end and e > date_part.start
            gap = low[date_part.end : s] if s >= date_part.end else low[e : date_part.start]
            if not overlaps and len(gap) <= 6 and re.fullmatch(r"[\s,]*(?:at|@|on|by)?[\s,]*", gap):
                time_match = (t, s, e)
                break
    elif times:
        time_match = times[0]
    if date_part is None and time_match is None:
        return None
    if date_part is not None and date_part.exact is not None and time_match is None:
        return Due(date_part.exact, date_part.start, date_part.end, True)
    starts = [p.start for p in (date_part,) if p is not None] + [t[1] for t in (time_match,) if t]
    ends = [p.end for p in (date_part,) if p is not None] + [t[2] for t in (time_match,) if t]
    start, end = min(starts), max(ends)
    today = now.date()
    if date_part is None:
        assert time_match is not None
        moment = localise(today, time_match[0], zone)
        if moment <= now:
            moment = localise(today + timedelta(days=1), time_match[0], zone)
        return Due(moment, start, end, True)
    day = date_part.day
    assert day is not None
    if time_match is not None:
        at = time_match[0]
        if date_part.weekday_flex and localise(day - timedelta(days=7), at, zone) > now:
            day -= timedelta(days=7)  # "Friday 2pm" said on Friday morning: today
    elif date_part.at is not None:
        at = date_part.at
    elif date_part.deadline or low[max(0, start - 3) : start] == "by ":
        at = END_OF_DAY
    else:
        at = DEFAULT_TIME
    return Due(
        localise(day, at, zone), start, end, time_match is not None or date_part.at is not None
    )


def strip_due(text: str, due: Due) -> str:
    """`text` without the due phrase and the little words that tied it in ("by", "on")."""
    before = CONNECTORS.sub("", text[: due.start]).rstrip(" ,;-")
    after = text[due.end :].strip()
    after = re.sub(r"^(?:at\s+)?", "", after)
    joined = f"{before} {after}".strip() if after else before
    return re.sub(r"\s{2,}", " ", joined).strip(" ,;-")
