"""Due phrases in the person's timezone, including both DST changes of 2026 in New York."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from coworker.llm.offline.dates import find_due, localise, strip_due

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
TOKYO = ZoneInfo("Asia/Tokyo")
# Thursday 26 November 2026, 11:30 in New York (EST, -05:00)
THU = datetime(2026, 11, 26, 11, 30, tzinfo=NY)


def due(text: str, now: datetime = THU) -> str:
    found = find_due(text, now)
    assert found is not None, f"no due phrase found in {text!r}"
    return found.iso()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", "2026-11-26T17:00:00-05:00"),
        ("tonight", "2026-11-26T20:00:00-05:00"),
        ("this afternoon", "2026-11-26T14:00:00-05:00"),
        ("end of day", "2026-11-26T17:00:00-05:00"),
        ("by EOD", "2026-11-26T17:00:00-05:00"),
        ("tomorrow", "2026-11-27T09:00:00-05:00"),
        ("tomorrow at 10", "2026-11-27T10:00:00-05:00"),
        ("at 10 tomorrow", "2026-11-27T10:00:00-05:00"),
        ("tomorrow afternoon", "2026-11-27T14:00:00-05:00"),
        ("noon tomorrow", "2026-11-27T12:00:00-05:00"),
        ("the day after tomorrow", "2026-11-28T09:00:00-05:00"),
        ("Friday 2pm", "2026-11-27T14:00:00-05:00"),
        ("2pm on Friday", "2026-11-27T14:00:00-05:00"),
        ("by friday", "2026-11-27T17:00:00-05:00"),
        ("next Tuesday", "2026-12-01T09:00:00-05:00"),
        ("next thursday", "2026-12-03T09:00:00-05:00"),
        ("thursday 5pm", "2026-11-26T17:00:00-05:00"),
        ("thursday 9am", "2026-12-03T09:00:00-05:00"),
        ("monday morning", "2026-11-30T09:00:00-05:00"),
        ("in 3 days", "2026-11-29T09:00:00-05:00"),
        ("in a couple of days", "2026-11-28T09:00:00-05:00"),
        ("in two weeks", "2026-12-10T09:00:00-05:00"),
        ("in 2 hours", "2026-11-26T13:30:00-05:00"),
        ("next week", "2026-11-30T09:00:00-05:00"),
        ("end of the week", "2026-11-27T17:00:00-05:00"),
        ("on 2026-12-03", "2026-12-03T09:00:00-05:00"),
        ("2026-12-03 14:30", "2026-12-03T14:30:00-05:00"),
        ("2026-12-03T14:00:00Z", "2026-12-03T09:00:00-05:00"),
        ("Dec 3", "2026-12-03T09:00:00-05:00"),
        ("December 3rd at 4:15pm", "2026-12-03T16:15:00-05:00"),
        ("3rd of December", "2026-12-03T09:00:00-05:00"),
        ("12/3", "2026-12-03T09:00:00-05:00"),
        ("the 3rd", "2026-12-03T09:00:00-05:00"),
        ("at 3pm", "2026-11-26T15:00:00-05:00"),
        ("at 9am", "2026-11-27T09:00:00-05:00"),  # passed today: tomorrow
        ("at 3", "2026-11-26T15:00:00-05:00"),  # a bare 3 is afternoon
        ("Jan 5", "2027-01-05T09:00:00-05:00"),  # next year once the date has passed
        ("tmrw at 10:30am", "2026-11-27T10:30:00-05:00"),
    ],
)
def test_phrases_in_new_york(text: str, expected: str) -> None:
    assert due(text) == expected


def test_no_due_phrase() -> None:
    for text in ("running 5 min late", "call Jane", "send the 12k proposal", "seats for 40 people"):
        assert find_due(text, THU) is None, text


def test_numeric_dates_are_day_first_outside_the_americas() -> None:
    now = datetime(2026, 11, 26, 11, 30, tzinfo=LONDON)
    assert due("12/3", now).startswith("2027-03-12")
    assert due("3/12", now).startswith("2026-12-03")


def test_dst_ends_in_new_york_on_1_november_2026() -> None:
    saturday = datetime(2026, 10, 31, 12, 0, tzinfo=NY)  # EDT, -04:00
    assert due("tomorrow at 10", saturday) == "2026-11-01T10:00:00-05:00"  # EST after the change
    assert due("today at 5pm", saturday) == "2026-10-31T17:00:00-04:00"
    assert due("in 3 days", saturday) == "2026-11-03T09:00:00-05:00"
    # 24 hours of real time across the change: the wall clock shows one hour less.
    assert due("in 24 hours", saturday) == "2026-11-01T11:00:00-05:00"


def test_dst_starts_in_new_york_on_8_march_2026() -> None:
    saturday = datetime(2026, 3, 7, 12, 0, tzinfo=NY)  # EST, -05:00
    assert due("tomorrow at 10", saturday) == "2026-03-08T10:00:00-04:00"
    assert due("next Monday", saturday) == "2026-03-09T09:00:00-04:00"
    # 02:30 does not exist on 8 March in New York: it moves to 03:30 EDT.
    assert due("tomorrow at 2:30am", saturday) == "2026-03-08T03:30:00-04:00"
    assert due("in 24 hours", saturday) == "2026-03-08T13:00:00-04:00"


def test_localise_skipped_and_repeated_times() -> None:
    spring = localise(date(2026, 3, 8), time(2, 30), NY)
    assert spring.isoformat() == "2026-03-08T03:30:00-04:00"
    # 01:30 happens twice on 1 November; the first (EDT) is used.
    autumn = localise(date(2026, 11, 1), time(1, 30), NY)
    assert autumn.isoformat() == "2026-11-01T01:30:00-04:00"


def test_other_timezones() -> None:
    now = datetime(2026, 11, 26, 23, 30, tzinfo=TOKYO)
    assert due("tomorrow at 9am", now) == "2026-11-27T09:00:00+09:00"
    assert due("tonight", now) == "2026-11-26T20:00:00+09:00"


def test_strip_due_leaves_the_title() -> None:
    text = "call Jane tomorrow at 10"
    assert strip_due(text, find_due(text, THU)) == "call Jane"  # type: ignore[arg-type]
    text = "send the proposal to Initech on Monday morning"
    assert strip_due(text, find_due(text, THU)) == "send the proposal to Initech"  # type: ignore[arg-type]
    text = "renew the contract by Dec 15"
    assert strip_due(text, find_due(text, THU)) == "renew the contract"  # type: ignore[arg-type]


def test_needs_an_aware_now() -> None:
    with pytest.raises(ValueError):
        find_due("tomorrow", datetime(2026, 11, 26, 11, 30))  # noqa: DTZ001
