"""Date and time phrases ("tmrw at 10", "end of next week", "2 wks out") as aware datetimes.

People give due dates in their own words, shorthand included, and in their own timezone; the
CRM wants ISO 8601 with an offset. Hand-written patterns (`date_patterns`, meanings in
`date_parts`) cover what a sales team says and cost microseconds; the few phrases they do
not know ("in a fortnight", "march 2027", "03.12.2026") go to `dateparser`, cached. Every
wall-clock time is built from a local date and time through `zoneinfo`, so a date on the
far side of a DST change gets that day's offset, and a time that does not exist (02:30 on
the spring-forward night) moves forward to one that does.

`find_when` returns every phrase with its span in the text it was given, so a caller cuts
them out to leave a title ("pinecrest proposal out" from "pinecrest proposal out by end of
next week"), and says when a phrase could mean something else (`confident`).

Conventions, chosen to read like a colleague would (the hours live in `date_patterns`):
- a date without a time is due at 09:00 (DEFAULT_TIME); "today" at 17:00, a deadline ("by
  Friday") at 17:00, "end of day" (EOD, COB) at 17:00 (END_OF_DAY);
- morning / "am" / "first thing" 09:00, afternoon / "pm" 14:00, evening 18:00, tonight 20:00;
- "end of the week" is Friday at 17:00, "end of next week" Friday of next week; end of the
  month, quarter and year are their last day at 17:00;
- "next week" is Monday of next week, "next month" the 1st of next month, "next quarter"
  its first day (at 09:00); "in 2 weeks" / "2 wks out" is the same weekday two weeks on;
  "in 3 business days" skips Saturdays and Sundays;
- "Friday" is the coming Friday (today only if a time later today is given); "next Friday"
  is Friday of next week when this week's Friday is still ahead (not confident: some mean
  the coming one), else the coming one;
- "the 5th" is the next 5th (not confident: no month given); "3/4" not confident either;
- a bare hour ("at 3") between 1 and 6 is afternoon, 7 to 11 morning;
- a time alone ("at 3pm") is today, or tomorrow when that time has passed;
- "rn" / "right now" is now; "in 90 min" is 90 minutes of real time from now;
- numeric dates are month/day in American timezones and day/month elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from coworker.llm.offline.date_parts import DatePart, date_part, time_part
from coworker.llm.offline.date_patterns import (
    CONNECTORS,
    DATE_PATTERNS,
    DEFAULT_TIME,
    END_OF_DAY,
    FALLBACK_PATTERN,
    HOUR_WORDS,
    TIME_PATTERNS,
)

_ALL_DATE_PATTERNS = [*DATE_PATTERNS, ("fallback", FALLBACK_PATTERN)]
_JOIN = re.compile(r"[\s,]*(?:at|@|on|by)?[\s,]*")


@dataclass(frozen=True)
class When:
    """One date or time phrase: the moment it means and the span of `text` it came from."""

    value: datetime  # aware, in the person's timezone
    start: int
    end: int
    text: str  # the phrase as written
    has_date: bool  # a day was named ("tomorrow", "dec 20"), not only a time ("at 3pm")
    has_time: bool  # a time of day was given ("at 3", "morning", "eod", "in 2 hours")
    confident: bool  # False when the phrase may mean another day ("next friday", "the 5th")

    def iso(self) -> str:
        return iso(self.value)


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


def _candidates(
    patterns: list[tuple[str, re.Pattern[str]]], text: str
) -> list[tuple[str, re.Match[str]]]:
    found = [(kind, m) for kind, pattern in patterns for m in pattern.finditer(text)]
    found.sort(key=lambda item: (item[1].start(), -(item[1].end() - item[1].start())))
    return found


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < e and end > s for s, e in taken)


def _lower(text: str) -> str:
    low = text.lower()
    return low if len(low) == len(text) else text  # a case change that altered length


def phrase_spans(text: str) -> list[tuple[int, int]]:
    """Where date and time phrases sit, without resolving them (amounts skip these numbers).

    Phrases next to each other ("tmrw at 10") come back as one span, as `find_when` joins them.
    """
    return list(_phrase_spans(text))


@lru_cache(maxsize=1024)
def _phrase_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Cached: every reader of a turn asks about the same text."""
    low = _lower(text)
    taken: list[tuple[int, int]] = []
    for _, m in _candidates(_ALL_DATE_PATTERNS, low):
        if not _overlaps(m.start(), m.end(), taken):
            taken.append((m.start(), m.end()))
    for kind, m in _candidates(TIME_PATTERNS, low):
        if not _overlaps(m.start(), m.end(), taken) and time_part(kind, m) is not None:
            taken.append((m.start(), m.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(taken):
        if merged and _JOIN.fullmatch(low[merged[-1][1] : start]) and start - merged[-1][1] <= 6:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def _parts(low: str, now: datetime) -> tuple[list[DatePart], list[tuple[time, int, int]]]:
    dates: list[DatePart] = []
    taken: list[tuple[int, int]] = []
    for kind, m in _candidates(_ALL_DATE_PATTERNS, low):
        if _overlaps(m.start(), m.end(), taken):
            continue
        part = date_part(kind, m, now)
        if part is not None:
            dates.append(part)
            taken.append((part.start, part.end))
    times: list[tuple[time, int, int]] = []
    for kind, m in _candidates(TIME_PATTERNS, low):
        if _overlaps(m.start(), m.end(), taken):
            continue
        at = time_part(kind, m)
        if at is not None:
            times.append((at, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return dates, times


def _adjacent(low: str, part: DatePart, start: int, end: int) -> bool:
    """A time next to the date ("tomorrow at 10", "2pm on Friday") belongs to it."""
    gap = low[part.end : start] if start >= part.end else low[end : part.start]
    return len(gap) <= 6 and _JOIN.fullmatch(gap) is not None


def _resolve(low: str, part: DatePart, at_given: time | None, now: datetime) -> datetime:
    zone = now.tzinfo
    assert zone is not None and part.day is not None
    day = part.day
    at = at_given if at_given is not None else part.at
    if at is not None:
        if part.weekday_flex and localise(day - timedelta(days=7), at, zone) > now:
            day -= timedelta(days=7)  # "Friday 2pm", "monday morning" said early that day
        return localise(day, at, zone)
    if part.deadline or low[max(0, part.start - 3) : part.start] == "by ":
        return localise(day, END_OF_DAY, zone)
    return localise(day, DEFAULT_TIME, zone)


def _end_of_that_day(low: str, dates: list[DatePart]) -> list[DatePart]:
    """The end of the day named next to "eod" ("eod friday", "tmrw cob"), not of today."""
    kept: list[DatePart] = []
    for part in dates:
        if part.kind != "eod":
            kept.append(part)
            continue
        day = next(
            (
                other
                for other in dates
                if other.kind not in ("eod", "fallback")
                and other.at is None
                and other.exact is None
                and _adjacent(low, other, part.start, part.end)
            ),
            None,
        )
        if day is None:
            kept.append(part)
            continue
        day.at = END_OF_DAY
        day.start, day.end = min(day.start, part.start), max(day.end, part.end)
    return kept


def _time_alone(at: time, now: datetime) -> datetime:
    zone = now.tzinfo
    assert zone is not None
    moment = localise(now.date(), at, zone)
    if moment <= now:
        moment = localise(now.date() + timedelta(days=1), at, zone)
    return moment


# A number right after a day ("thurs 8", "tmrw 3"): its hour, when nothing else it can be.
_BARE_HOUR = re.compile(
    r" (\d{1,2})\b(?![:./,]\d| ?(?:st|nd|rd|th|k|m|%|x|am|pm|a\.m|p\.m|mins?|minutes?|hours?|hrs?|"
    r"days?|weeks?|wks?|months?|seats?|users?|people|times?|tasks?|calls?|emails?|leads?|deals?|"
    r"more|others?|of\b|o'?clock))",
)
_AMPM = re.compile(
    r"(?:\d|\b(?:" + "|".join(HOUR_WORDS) + r"|fifteen|thirty|five))\s*(?:a\.?m\.?|p\.?m\.?)"
    r"|noon|midday|midnight|lunch",
    re.I,
)


def _sure_hour(low: str, pair: tuple[time, int, int], part: DatePart | None) -> bool:
    """A time said without am/pm is read by convention (1 to 6 is the afternoon); around
    the turn of it ("at 6:30", "at 7") either half of the day is as likely, so the reading
    is shown before it is used."""
    _, start, end = pair
    if _AMPM.search(low[start:end]) or (part is not None and part.at is not None):
        return True
    said = re.search(r"\d{1,2}|" + "|".join(HOUR_WORDS), low[start:end])
    return said is None or said.group(0) not in ("5", "6", "7", "five", "six", "seven")


def find_when(text: str, now: datetime) -> list[When]:
    """Every date or time phrase in `text`, in order, resolved relative to `now`.

    `now` must be aware and in the person's timezone. Spans index `text` as given; any case
    works, and shorthand ("tmrw", "wks", "tues am", "eod") is read as written.
    """
    if now.tzinfo is None:
        raise ValueError("find_when needs an aware `now` in the person's timezone")
    return list(_find_when(text, now, str(now.tzinfo)))


@lru_cache(maxsize=256)
def _find_when(text: str, now: datetime, zone: str) -> tuple[When, ...]:
    """Cached: a turn's readers and its split parts ask about the same text at the same
    `now` several times over (a benchmark: about 10% of a cold turn's interpretation).
    `zone` is part of the key because aware datetimes at the same instant compare equal
    whatever their zone: 22:00 in New York is 03:00 UTC, yet "tomorrow" differs."""
    low = _lower(text)
    dates, times = _parts(low, now)
    dates = _end_of_that_day(low, dates)
    found: list[When] = []
    for part in dates:
        pair = next((t for t in times if _adjacent(low, part, t[1], t[2])), None)
        if pair is not None:
            times.remove(pair)
        bare = _BARE_HOUR.match(low, part.end) if pair is None and part.at is None else None
        hour = time_part("at_h", bare) if bare is not None else None
        if bare is not None and hour is not None:  # "thurs 8": an hour, am or pm unsaid
            pair = (hour, bare.start(1), bare.end(1))
        if pair is not None and part.at is not None and part.at.hour >= 17 > 12 > pair[0].hour:
            if not _AMPM.search(low[pair[1] : pair[2]]):  # "at 9 tonight": 21:00
                pair = (pair[0].replace(hour=pair[0].hour + 12), pair[1], pair[2])
        sure = part.confident and (pair is None or _sure_hour(low, pair, part))
        sure = sure and bare is None
        if part.exact is not None and pair is None:
            value, has_time = part.exact, True
        else:
            value = _resolve(low, part, pair[0] if pair else None, now)
            has_time = pair is not None or part.at is not None
        start = min(part.start, pair[1]) if pair else part.start
        end = max(part.end, pair[2]) if pair else part.end
        found.append(When(value, start, end, text[start:end], True, has_time, sure))
    for at, start, end in times:
        sure = _sure_hour(low, (at, start, end), None)
        found.append(When(_time_alone(at, now), start, end, text[start:end], False, True, sure))
    found.sort(key=lambda w: w.start)
    return tuple(found)


def find_due(text: str, now: datetime) -> Due | None:
    """The due phrase of `text`: the first that names a day, else the first time alone.

    The older single-answer form of `find_when`, kept for its callers. `now` must be aware
    and in the person's timezone. Returns None when there is none.
    """
    if now.tzinfo is None:
        raise ValueError("find_due needs an aware `now` in the person's timezone")
    found = find_when(text, now)
    first = next((w for w in found if w.has_date), found[0] if found else None)
    if first is None:
        return None
    return Due(first.value, first.start, first.end, first.has_time)


def strip_due(text: str, due: Due | When) -> str:
    """`text` without the due phrase and the little words that tied it in ("by", "on")."""
    before = CONNECTORS.sub("", text[: due.start]).rstrip(" ,;-")
    after = text[due.end :].strip()
    after = re.sub(r"^(?:at\s+)?", "", after)
    joined = f"{before} {after}".strip() if after else before
    return re.sub(r"\s{2,}", " ", joined).strip(" ,;-")


def clear_date_caches() -> None:
    """Forget resolved phrases (benchmarks measure the cold path)."""
    _find_when.cache_clear()
    _phrase_spans.cache_clear()
