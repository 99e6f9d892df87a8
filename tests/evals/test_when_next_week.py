"""`next-<weekday>` in case date phrases: that day of next calendar week ("end of next
week" is `next-fri`), whatever day of this week the suite runs on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coworker.evals.when import SpecError, local_day, parse

UTC_ZONE = ZoneInfo("UTC")


@pytest.mark.parametrize("offset", range(7))
def test_next_friday_is_in_next_calendar_week(offset: int) -> None:
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # a Monday
    now = monday + timedelta(days=offset)
    assert local_day(parse("next-fri"), now, UTC_ZONE) == date(2026, 12, 18)
    assert local_day(parse("next-monday 09:00"), now, UTC_ZONE) == date(2026, 12, 14)


def test_weeks_starting_on_sunday_differ_only_on_sunday() -> None:
    for offset in range(6):  # Monday to Saturday: the same day either way
        now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC) + timedelta(days=offset)
        assert local_day(parse("next-fri-us"), now, UTC_ZONE) == date(2026, 12, 18)
    sunday = datetime(2026, 12, 13, 9, 0, tzinfo=UTC)
    assert local_day(parse("next-fri"), sunday, UTC_ZONE) == date(2026, 12, 18)
    assert local_day(parse("next-fri-us"), sunday, UTC_ZONE) == date(2026, 12, 25)


def test_next_week_follows_the_cases_timezone() -> None:
    # Sunday 23:30 in UTC is already Monday in Tokyo: next week is a week later there.
    now = datetime(2026, 12, 13, 23, 30, tzinfo=UTC)
    assert local_day(parse("next-fri"), now, UTC_ZONE) == date(2026, 12, 18)
    assert local_day(parse("next-fri"), now, ZoneInfo("Asia/Tokyo")) == date(2026, 12, 25)


def test_a_wrong_next_phrase_is_refused() -> None:
    with pytest.raises(SpecError, match="next-<weekday>"):
        parse("next-someday")
