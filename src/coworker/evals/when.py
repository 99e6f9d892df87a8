"""Date phrases in cases, relative to the moment a trial starts, in the case's timezone.

The demo data is seeded relative to "now", so expectations about dates must be too:
`{at: "tomorrow 10:00"}` is 10:00 tomorrow in the case's timezone, whatever day the suite
runs on. A spec is `DAY [HH:MM]` or `in N(m|h|d)`:

    today  tomorrow  yesterday  +3d  -2d  2026-12-01
    friday (or fri)   the coming Friday: today only when a time is given and still ahead
    next-fri          Friday of next calendar week, weeks starting on Monday ("end of next
                      week"); next-fri-us: weeks starting on Sunday (differs only on Sundays)
    in 2h             now plus two hours (compared with a few minutes' tolerance)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(r"^in (\d+)(m|h|d)$")
_OFFSET = re.compile(r"^([+-]\d+)d$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class SpecError(ValueError):
    """A date phrase this module does not understand."""


@dataclass(frozen=True)
class Spec:
    text: str
    day: str | None = None  # today | tomorrow | yesterday | +Nd | weekday | ISO date
    at: time | None = None
    after: timedelta | None = None  # `in N...`

    @property
    def has_time(self) -> bool:
        return self.at is not None or self.after is not None


def parse(text: str) -> Spec:
    spec = text.strip().lower()
    if match := _RELATIVE.match(spec):
        unit = {"m": "minutes", "h": "hours", "d": "days"}[match.group(2)]
        return Spec(text, after=timedelta(**{unit: int(match.group(1))}))
    day, _, clock = spec.partition(" ")
    at = None
    if clock:
        found = _TIME.match(clock.strip())
        if not found:
            raise SpecError(f"{text!r}: the time must be HH:MM (24-hour)")
        at = time(int(found.group(1)), int(found.group(2)))
    if not _is_day(day):
        raise SpecError(
            f"{text!r}: the day must be today, tomorrow, yesterday, +Nd, -Nd, a weekday, "
            "next-<weekday> or YYYY-MM-DD; or write 'in N(m|h|d)'"
        )
    return Spec(text, day=day, at=at)


def _is_day(day: str) -> bool:
    if day in ("today", "tomorrow", "yesterday") or _OFFSET.match(day):
        return True
    if _weekday(day) is not None or _next_week(day) is not None:
        return True
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return True


def _weekday(day: str) -> int | None:
    for index, name in enumerate(WEEKDAYS):
        if len(day) >= 3 and name.startswith(day):
            return index
    return None


def _next_week(day: str) -> tuple[int, bool] | None:
    """(weekday, weeks start on Sunday) for `next-<weekday>` / `next-<weekday>-us`."""
    if not day.startswith("next-"):
        return None
    name = day[5:]
    us = name.endswith("-us")
    weekday = _weekday(name.removesuffix("-us"))
    return None if weekday is None else (weekday, us)


def local_day(spec: Spec, now: datetime, zone: ZoneInfo) -> date:
    """The calendar day a spec means, in `zone`."""
    if spec.after is not None:
        return (now + spec.after).astimezone(zone).date()
    local = now.astimezone(zone)
    today = local.date()
    day = spec.day or "today"
    if day == "today":
        return today
    if day == "tomorrow":
        return today + timedelta(days=1)
    if day == "yesterday":
        return today - timedelta(days=1)
    if match := _OFFSET.match(day):
        return today + timedelta(days=int(match.group(1)))
    if (next_week := _next_week(day)) is not None:
        target, us = next_week
        monday = today + timedelta(days=7 - today.weekday())
        if us and today.weekday() == 6:  # Sunday starts this week: next week is a week on
            monday += timedelta(days=7)
        return monday + timedelta(days=target)
    weekday = _weekday(day)
    if weekday is not None:
        ahead = (weekday - today.weekday()) % 7
        if ahead == 0 and not (spec.at is not None and spec.at > local.time()):
            ahead = 7
        return today + timedelta(days=ahead)
    return date.fromisoformat(day)


def moment(spec: Spec, now: datetime, zone: ZoneInfo) -> datetime:
    """The instant a spec with a time means (aware, in `zone`)."""
    if spec.after is not None:
        return now + spec.after
    if spec.at is None:
        raise SpecError(f"{spec.text!r} has no time of day")
    return datetime.combine(local_day(spec, now, zone), spec.at, tzinfo=zone)
