"""Due phrases in the person's timezone, including both DST changes of 2026 in New York."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from coworker.llm.offline.dates import When, find_due, find_when, localise, phrase_spans, strip_due

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


# --- find_when: every phrase, its span, and whether it could mean another day ------------

BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo("Asia/Kolkata")
# Monday 23 March 2026, 10:00 in Berlin (CET, +01:00); summer time starts Sunday 29 March.
BERLIN_MON = datetime(2026, 3, 23, 10, 0, tzinfo=BERLIN)
# Wednesday 16 December 2026, 16:45 in Kolkata (+05:30, no DST).
KOLKATA_WED = datetime(2026, 12, 16, 16, 45, tzinfo=KOLKATA)


def one(text: str, now: datetime) -> When:
    found = find_when(text, now)
    assert len(found) == 1, f"{text!r}: {found}"
    return found[0]


# (text, the phrase as written, ISO moment, confident) on Thursday 26 Nov 2026 11:30 in NY.
NEW_YORK_TABLE = [
    ("pinecrest proposal out by end of next week", "by end of next week", "2026-12-04T17:00", True),
    ("close date 2 wks out", "2 wks out", "2026-12-10T09:00", True),
    ("send it eod", "eod", "2026-11-26T17:00", True),
    ("call jane in 90 min", "in 90 min", "2026-11-26T13:00", True),
    ("demo monday morning", "monday morning", "2026-11-30T09:00", True),
    ("fu w/ dana tues am", "tues am", "2026-12-01T09:00", True),
    ("call back tues pm", "tues pm", "2026-12-01T14:00", True),
    ("ping him this afternoon", "this afternoon", "2026-11-26T14:00", True),
    ("revisit next month", "next month", "2026-12-01T09:00", True),
    ("meeting friday 3pm", "friday 3pm", "2026-11-27T15:00", True),
    ("next tuesday", "next tuesday", "2026-12-01T09:00", True),
    ("renewal call on the 15th", "on the 15th", "2026-12-15T09:00", False),
    ("contract ends dec 20", "dec 20", "2026-12-20T09:00", True),
    ("check in in a couple days", "in a couple days", "2026-11-28T09:00", True),
    ("first thing tomorrow call acme", "first thing tomorrow", "2026-11-27T09:00", True),
    ("next friday", "next friday", "2026-12-04T09:00", False),  # said on a Thursday
    ("tmrw 2pm", "tmrw 2pm", "2026-11-27T14:00", True),
    ("quote by eow", "eow", "2026-11-27T17:00", True),
    ("close it by end of month", "by end of month", "2026-11-30T17:00", True),
    ("hit the number by end of quarter", "by end of quarter", "2026-12-31T17:00", True),
    ("revisit next qtr", "next qtr", "2027-01-01T09:00", True),
    ("in 3 business days", "in 3 business days", "2026-12-01T09:00", True),
    ("the week after next", "the week after next", "2026-12-07T09:00", True),
    ("remind me in half an hour", "in half an hour", "2026-11-26T12:00", True),
    ("call her rn", "rn", "2026-11-26T11:30", True),
    ("text bob tonight", "tonight", "2026-11-26T20:00", True),
    ("a week from friday", "a week from friday", "2026-12-04T09:00", True),
    ("in 2 hrs", "in 2 hrs", "2026-11-26T13:30", True),
    ("by tmrw", "tmrw", "2026-11-27T17:00", True),  # a deadline,
    ("2 weeks from today", "2 weeks from today", "2026-12-10T09:00", True),
    ("in 6 months", "in 6 months", "2027-05-26T09:00", True),  # EDT by then
    ("jan 5th at 10", "jan 5th at 10", "2027-01-05T10:00", True),
    ("12/24", "12/24", "2026-12-24T09:00", True),
    ("3/4", "3/4", "2027-03-04T09:00", False),  # March 4 or 3 April?
    ("in a fortnight", "in a fortnight", "2026-12-10T09:00", True),  # dateparser
    ("sometime in march 2027", "march 2027", "2027-03-01T09:00", False),  # no day said
    ("the 1st of next month", "the 1st of next month", "2026-12-01T09:00", True),
    ("first thing", "first thing", "2026-11-27T09:00", True),  # 09:00 has passed today
    ("thurs 4:30pm", "thurs 4:30pm", "2026-11-26T16:30", True),  # later today
    ("end of next month", "end of next month", "2026-12-31T17:00", True),
    ("closing end of jan", "end of jan", "2027-01-31T17:00", True),  # the coming January
    ("by the end of november", "by the end of november", "2026-11-30T17:00", True),
    ("sat", "sat", "2026-11-28T09:00", False),  # "sat down with"?
    ("call wed", "wed", "2026-12-02T09:00", False),
    ("lunch wed", "lunch wed", "2026-12-02T12:00", False),
    ("noon tmrw", "noon tmrw", "2026-11-27T12:00", True),
    ("in 2 years", "in 2 years", "2028-11-26T09:00", True),  # dateparser
    ("eoy", "eoy", "2026-12-31T17:00", True),
    ("FOLLOW UP NEXT WEEK", "NEXT WEEK", "2026-11-30T09:00", True),
    ("Call Jane Tomorrow Morning", "Tomorrow Morning", "2026-11-27T09:00", True),
    ("by COB friday", "COB friday", "2026-11-27T17:00", True),
    ("tmrw eod", "tmrw eod", "2026-11-27T17:00", True),
    ("end of day monday", "end of day monday", "2026-11-30T17:00", True),
    ("on 2026-12-03", "2026-12-03", "2026-12-03T09:00", True),
    ("at 3", "at 3", "2026-11-26T15:00", True),
    ("this coming monday", "this coming monday", "2026-11-30T09:00", True),
    ("day after tmrw", "day after tmrw", "2026-11-28T09:00", True),
    ("demo nxt wk", "nxt wk", "2026-11-30T09:00", True),
    ("fu nxt tues", "nxt tues", "2026-12-01T09:00", True),
    ("renewal on the 3rd of march", "the 3rd of march", "2027-03-03T09:00", True),
    ("tomorrow 10:45", "tomorrow 10:45", "2026-11-27T10:45", True),
]


@pytest.mark.parametrize(("text", "phrase", "moment", "confident"), NEW_YORK_TABLE)
def test_find_when_new_york(text: str, phrase: str, moment: str, confident: bool) -> None:
    found = find_when(text, THU)
    assert found, f"nothing found in {text!r}"
    when = found[0]
    assert when.text == phrase == text[when.start : when.end]
    assert when.value.replace(tzinfo=None).isoformat(timespec="minutes") == moment
    assert when.value.utcoffset() == localise(when.value.date(), when.value.time(), NY).utcoffset()
    assert when.confident is confident


# (text, ISO moment with offset, confident) on Monday 23 March 2026 10:00 in Berlin.
BERLIN_TABLE = [
    ("tmrw 9am", "2026-03-24T09:00:00+01:00", True),
    ("sunday 2:30am", "2026-03-29T03:30:00+02:00", True),  # 02:30 does not exist that night
    ("next monday", "2026-03-30T09:00:00+02:00", True),  # after the change: +02:00
    ("end of week", "2026-03-27T17:00:00+01:00", True),
    ("end of next week", "2026-04-03T17:00:00+02:00", True),
    ("12/3", "2027-03-12T09:00:00+01:00", False),  # day first in Europe, and passed
    ("3.4.2026", "2026-04-03T09:00:00+02:00", True),  # dateparser, day first
    ("in 2 wks", "2026-04-06T09:00:00+02:00", True),
    ("in 6 days", "2026-03-29T09:00:00+02:00", True),
    ("20 march", "2027-03-20T09:00:00+01:00", True),
    ("friday 17:30", "2026-03-27T17:30:00+01:00", True),
    ("bis freitag", "2026-03-27T09:00:00+01:00", True),  # "freitag" is not a weekday here
]


@pytest.mark.parametrize(("text", "moment", "confident"), BERLIN_TABLE)
def test_find_when_berlin(text: str, moment: str, confident: bool) -> None:
    found = find_when(text, BERLIN_MON)
    if text == "bis freitag":
        assert found == []  # English only: no guess
        return
    assert len(found) == 1
    assert found[0].iso() == moment
    assert found[0].confident is confident


# (text, ISO moment with offset, confident) on Wednesday 16 December 2026 16:45 in Kolkata.
KOLKATA_TABLE = [
    ("eod", "2026-12-16T17:00:00+05:30", True),
    ("tmrw am", "2026-12-17T09:00:00+05:30", True),
    ("friday 3pm", "2026-12-18T15:00:00+05:30", True),
    ("in 90 min", "2026-12-16T18:15:00+05:30", True),
    ("at 3pm", "2026-12-17T15:00:00+05:30", True),  # passed today: tomorrow
    ("this evening", "2026-12-16T18:00:00+05:30", True),
    ("the 20th", "2026-12-20T09:00:00+05:30", False),
    ("20/12", "2026-12-20T09:00:00+05:30", True),
    ("next wed", "2026-12-23T09:00:00+05:30", True),
    ("eom", "2026-12-31T17:00:00+05:30", True),
    ("next month", "2027-01-01T09:00:00+05:30", True),
    ("in 3 business days", "2026-12-21T09:00:00+05:30", True),  # Thu, Fri, Mon
    ("first thing monday", "2026-12-21T09:00:00+05:30", True),
]


@pytest.mark.parametrize(("text", "moment", "confident"), KOLKATA_TABLE)
def test_find_when_kolkata(text: str, moment: str, confident: bool) -> None:
    when = one(text, KOLKATA_WED)
    assert when.iso() == moment
    assert when.confident is confident


@pytest.mark.parametrize(
    ("now", "text", "moment"),
    [
        # New York falls back on Sunday 1 November 2026 (EDT -04:00 -> EST -05:00).
        (datetime(2026, 10, 31, 12, 0, tzinfo=NY), "tmrw 10am", "2026-11-01T10:00:00-05:00"),
        (datetime(2026, 10, 31, 12, 0, tzinfo=NY), "in 90 min", "2026-10-31T13:30:00-04:00"),
        (datetime(2026, 10, 31, 12, 0, tzinfo=NY), "eod", "2026-10-31T17:00:00-04:00"),
        (datetime(2026, 10, 31, 12, 0, tzinfo=NY), "in 24 hrs", "2026-11-01T11:00:00-05:00"),
        (datetime(2026, 10, 31, 12, 0, tzinfo=NY), "sunday 1:30am", "2026-11-01T01:30:00-04:00"),
        (datetime(2026, 11, 1, 0, 30, tzinfo=NY), "in 2 hours", "2026-11-01T01:30:00-05:00"),
        # Berlin springs forward on Sunday 29 March 2026 (CET +01:00 -> CEST +02:00).
        (datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN), "in 24 hours", "2026-03-29T13:00:00+02:00"),
        (datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN), "tmrw 2:30am", "2026-03-29T03:30:00+02:00"),
        (datetime(2026, 3, 29, 8, 0, tzinfo=BERLIN), "eod", "2026-03-29T17:00:00+02:00"),
        (datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN), "in 90 min", "2026-03-29T04:00:00+02:00"),
        # Berlin falls back on Sunday 25 October 2026.
        (datetime(2026, 10, 24, 9, 0, tzinfo=BERLIN), "end of week", "2026-10-30T17:00:00+01:00"),
    ],
)
def test_find_when_across_dst(now: datetime, text: str, moment: str) -> None:
    assert one(text, now).iso() == moment


def test_find_when_finds_every_phrase_in_order() -> None:
    text = "move the demo from friday to next tuesday at 2 and remind me eod"
    found = find_when(text, THU)
    assert [w.text for w in found] == ["friday", "next tuesday at 2", "eod"]
    assert [w.iso() for w in found] == [
        "2026-11-27T09:00:00-05:00",
        "2026-12-01T14:00:00-05:00",
        "2026-11-26T17:00:00-05:00",
    ]
    assert [w.has_time for w in found] == [False, True, True]


def test_find_when_a_time_alone_has_no_date() -> None:
    (when,) = find_when("call at 4:15pm", THU)
    assert (when.has_date, when.has_time) == (False, True)
    assert when.iso() == "2026-11-26T16:15:00-05:00"
    # With a date elsewhere, the old single answer prefers the date.
    due = find_due("at 4:15pm, well no, the day after tmrw", THU)
    assert due is not None and due.iso() == "2026-11-28T09:00:00-05:00"


@pytest.mark.parametrize(
    "text",
    [
        "running 5 min late",
        "send 3 emails",
        "q3 plan for acme",
        "version 2.5 of the deck",
        "call about the 40k deal",
        "$12.50 per seat",
        "deal worth 20 grand",
        "seats for 40 people",
        "may i see the pipeline",
        "mark the sequence done",
        "email the 2nd one",  # a position in a list
        "log the 3rd call",
        "the 2nd of them",
    ],
)
def test_find_when_leaves_other_numbers_alone(text: str) -> None:
    assert find_when(text, THU) == []


def test_titles_lose_the_phrase() -> None:
    text = "pinecrest proposal out by end of next week"
    (when,) = find_when(text, THU)
    assert strip_due(text, when) == "pinecrest proposal out"
    text = "close date 2 wks out for the acme opp"
    (when,) = find_when(text, THU)
    assert strip_due(text, when) == "close date for the acme opp"


def test_find_when_needs_an_aware_now() -> None:
    with pytest.raises(ValueError):
        find_when("tmrw", datetime(2026, 11, 26, 11, 30))  # noqa: DTZ001


@pytest.mark.parametrize(
    "text",
    [
        "close 2 wks out, call tmrw at 10 re the 18.5k opp",
        "12.50 per seat, decide by eod friday",
        "at 3pm: demo; then dec 20 renewal and fu nxt tues am",
        "nothing here but 40 seats",
    ],
)
def test_phrase_spans_match_find_when(text: str) -> None:
    assert phrase_spans(text) == [(w.start, w.end) for w in find_when(text, THU)]


def test_the_same_instant_in_two_zones_reads_each_zone_s_day() -> None:
    """22:00 in New York and 03:00 UTC the next day are one instant (equal as datetimes);
    "2 wks out" still counts from each person's own day, however the reading is cached."""
    evening_ny = datetime(2026, 12, 7, 22, 0, tzinfo=NY)
    same_instant_utc = evening_ny.astimezone(ZoneInfo("UTC"))
    assert evening_ny == same_instant_utc
    in_ny = find_when("close date 2 wks out", evening_ny)[0].value.date()
    in_utc = find_when("close date 2 wks out", same_instant_utc)[0].value.date()
    assert (in_ny, in_utc) == (date(2026, 12, 21), date(2026, 12, 22))
    assert find_when("close date 2 wks out", evening_ny)[0].value.date() == date(2026, 12, 21)
