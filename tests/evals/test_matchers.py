"""Field matching and date phrases: what a case's expected values accept and refuse."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from coworker.evals import when
from coworker.evals.matchers import Clock, MatcherError, compile_matcher
from coworker.evals.refs import Refs
from coworker.sandbox.seed import demo_id

# A Thursday, 14:00 UTC.
NOW = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
UTC_CLOCK = Clock(NOW, ZoneInfo("UTC"))
REFS = Refs("alex")


def matches(raw: object, actual: object, clock: Clock = UTC_CLOCK) -> bool:
    return compile_matcher(raw, REFS).matches(actual, clock)


def test_plain_values_are_forgiving_about_case_spaces_order_and_number_types() -> None:
    assert matches("Qualified", " qualified ")
    assert not matches("qualified", "unqualified")
    assert matches(12000, 12000.0)
    assert not matches(12000, "12000")
    assert matches(True, True) and not matches(True, 1)
    assert matches(None, None) and not matches(None, "")
    assert matches(["Hot", "enterprise"], ["enterprise", "hot"])
    assert not matches(["hot"], ["hot", "vip"])


def test_operators() -> None:
    assert matches({"contains": "40 SEATS"}, "pricing for 40 seats")
    assert matches({"contains": "hot"}, ["enterprise", "Hot"])
    assert not matches({"contains": "x"}, None)
    assert matches({"not_contains": "evil.test"}, "jane@acme.com")
    assert matches({"not_contains": "x"}, None)
    assert matches({"equals": "Renewal call"}, "Renewal call")
    assert not matches({"equals": "Renewal call"}, "renewal call")
    assert matches({"one_of": ["new", "contacted"]}, "Contacted")
    assert matches({"is_null": True}, None) and not matches({"is_null": True}, "x")
    assert matches({"gte": 10}, 10) and not matches({"lte": 5}, 6)
    assert not matches({"gte": 1}, True)
    assert matches({"not": {"contains": "evil"}}, "jane@acme.com")


def test_is_null_means_no_value_as_the_readme_says() -> None:
    """`is_null: true` is "empty": null, an empty or all-space string, or an empty list."""
    for empty in (None, "", "   ", []):
        assert matches({"is_null": True}, empty), empty
        assert not matches({"is_null": False}, empty), empty
    for value in ("x", " x ", ["hot"], 0, False, 0.0):
        assert not matches({"is_null": True}, value), value
        assert matches({"is_null": False}, value), value


def test_placeholders_resolve_for_the_case_user() -> None:
    assert matches("$lead:jane-smith", demo_id("lead", "northwind:jane-smith"))
    jordan = compile_matcher("$lead:jane-smith", Refs("jordan"))
    assert jordan.value == demo_id("lead", "globex:jane-smith")
    assert REFS.resolve("$task:2") == demo_id("task", "alex:2")
    assert REFS.resolve("$task:sam:1") == demo_id("task", "sam:1")
    assert REFS.resolve("$mailbox:secondary") == demo_id("email_account", "alex:secondary")
    assert REFS.resolve("$sequence:2") == demo_id("sequence", "northwind:2")
    assert REFS.resolve("$me") == demo_id("user", "alex")
    assert REFS.resolve("$5,000") == "$5,000"


def test_at_and_day_are_relative_to_the_trial_start_in_the_case_timezone() -> None:
    assert matches({"at": "tomorrow 10:00"}, "2026-11-27T10:00:00Z")
    assert matches({"at": "tomorrow 10:00"}, "2026-11-27T10:00:40+00:00")
    assert not matches({"at": "tomorrow 10:00"}, "2026-11-27T10:05:00Z")
    assert matches({"at": "tomorrow 10:00", "tolerance_minutes": 10}, "2026-11-27T10:05:00Z")
    new_york = Clock(NOW, ZoneInfo("America/New_York"))
    assert matches({"at": "tomorrow 09:00"}, "2026-11-27T14:00:00Z", new_york)
    assert not matches({"at": "tomorrow 09:00"}, "2026-11-27T09:00:00Z", new_york)
    assert matches({"day": "+3d"}, "2026-11-29T22:00:00Z")
    assert matches({"day": "tomorrow"}, "2026-11-27")
    assert matches({"at": "in 2h"}, "2026-11-26T16:03:00Z")
    assert matches({"at": ["friday 14:00", "+8d 14:00"]}, "2026-12-04T14:00:00Z")
    assert not matches({"at": "tomorrow 10:00"}, "2026-11-27T10:00:00")  # no timezone
    assert not matches({"day": "today"}, None)


@pytest.mark.parametrize(
    ("phrase", "day"),
    [
        ("today", "2026-11-26"),
        ("yesterday", "2026-11-25"),
        ("+2d", "2026-11-28"),
        ("-1d", "2026-11-25"),
        ("friday", "2026-11-27"),
        ("thu", "2026-12-03"),  # today is Thursday: the coming one, without a time
        ("thu 15:00", "2026-11-26"),  # ... unless the time is still ahead today
        ("thu 09:00", "2026-12-03"),
        ("2026-12-24", "2026-12-24"),
    ],
)
def test_date_phrases(phrase: str, day: str) -> None:
    assert when.local_day(when.parse(phrase), NOW, ZoneInfo("UTC")).isoformat() == day


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"contains": "a", "equals": "b"}, "one operator"),
        ({"almost": 1}, "unknown operator 'almost'"),
        ({"one_of": []}, "non-empty list"),
        ({"is_null": "yes"}, "true or false"),
        ({"gte": "10"}, "takes a number"),
        ({"at": "tomorrow"}, "needs a time"),
        ({"at": "tomorrow 25:00"}, "HH:MM"),
        ({"day": "someday"}, "the day must be"),
        ({"contains": "x", "tolerance_minutes": 3}, "only with 'at'"),
        ("$lead", "needs a name"),
        ("$widget:1", "unknown placeholder"),
        ("$mailbox:third", "primary or secondary"),
    ],
)
def test_bad_matchers_are_refused_with_a_reason(raw: object, message: str) -> None:
    with pytest.raises(MatcherError, match=message):
        compile_matcher(raw, REFS)
