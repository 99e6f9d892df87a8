"""How a case's expected field value is compared with what the CRM holds.

A plain value means "equal", forgiving about what a person would not care about: text
ignores case and surrounding spaces, numbers compare as numbers, lists ignore order. An
operator mapping says more:

    {contains: pricing}      case-insensitive substring (for a list: has that element)
    {not_contains: evil}     the opposite
    {equals: Pricing}        exactly this value (case and all)
    {one_of: [a, b]}         equal to any of them
    {is_null: true}          no value: null, an empty or all-whitespace string, or an
                             empty list; {is_null: false} is anything else
    {gte: 10000} {lte: 5}    numbers
    {at: "tomorrow 10:00"}   a timestamp at that moment (± tolerance_minutes, default 1)
    {day: tomorrow}          a timestamp or date on that day, in the case's timezone
    {not: <matcher>}         anything but

`at` and `day` also take a list of phrases, any of which may match (for phrases people read
two ways). Placeholders (`$lead:jane-smith`) are resolved when the case is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from coworker.evals import when
from coworker.evals.refs import RefError, Refs

OPERATORS = ("contains", "not_contains", "equals", "one_of", "is_null", "gte", "lte", "at", "day")


class MatcherError(ValueError):
    """A field expectation that cannot be understood."""


@dataclass(frozen=True)
class Clock:
    """The moment a trial started and the case's timezone: what date phrases are relative to."""

    now: datetime
    zone: ZoneInfo


@dataclass(frozen=True)
class Matcher:
    op: str  # "eq", "not", or one of OPERATORS
    value: Any
    tolerance: timedelta = timedelta(minutes=1)
    shown: str | None = None  # how the case wrote it (placeholders unresolved), for messages

    def matches(self, actual: Any, clock: Clock) -> bool:
        op, value = self.op, self.value
        if op == "eq":
            return _loosely_equal(value, actual)
        if op == "not":
            return not value.matches(actual, clock)
        if op == "equals":
            return bool(actual == value)
        if op == "contains":
            return _contains(actual, value)
        if op == "not_contains":
            return not _contains(actual, value)
        if op == "one_of":
            return any(_loosely_equal(v, actual) for v in value)
        if op == "is_null":
            return _empty(actual) is value
        if op in ("gte", "lte"):
            if isinstance(actual, bool) or not isinstance(actual, (int, float)):
                return False
            return bool(actual >= value if op == "gte" else actual <= value)
        if op == "at":
            moment = _datetime(actual)
            return moment is not None and any(
                abs(moment - when.moment(spec, clock.now, clock.zone)) <= self.tolerance
                for spec in value
            )
        if op == "day":
            day = _local_date(actual, clock.zone)
            return day is not None and any(
                day == when.local_day(spec, clock.now, clock.zone) for spec in value
            )
        raise AssertionError(f"unknown matcher {op}")

    def describe(self) -> str:
        if self.shown is not None:
            return self.shown
        if self.op == "eq":
            return repr(self.value)
        if self.op == "not":
            return f"not {self.value.describe()}"
        if self.op in ("at", "day"):
            return f"{self.op} " + " or ".join(repr(s.text) for s in self.value)
        return f"{self.op} {self.value!r}"


def compile_matcher(raw: Any, refs: Refs) -> Matcher:
    """A matcher from its YAML form; `MatcherError` says what is wrong with it."""
    try:
        if not isinstance(raw, dict):
            return Matcher("eq", refs.resolve_all(raw), shown=repr(raw))
        tolerance = raw.get("tolerance_minutes")
        ops = [k for k in raw if k != "tolerance_minutes"]
        if len(ops) != 1:
            raise MatcherError(
                f"a field expectation has one operator ({', '.join(OPERATORS)}, not); got "
                f"{', '.join(map(str, ops)) or 'none'}"
            )
        op = ops[0]
        if isinstance(op, bool):
            raise MatcherError("YAML reads on/off/yes/no as true/false; use 'day' for dates")
        value = raw[op]
        if tolerance is not None and op != "at":
            raise MatcherError("tolerance_minutes goes only with 'at'")
        if op == "not":
            return Matcher("not", compile_matcher(value, refs))
        if op not in OPERATORS:
            raise MatcherError(f"unknown operator {op!r}; use one of {', '.join(OPERATORS)}, not")
        return _operator(op, value, refs, tolerance)
    except (RefError, when.SpecError) as error:
        raise MatcherError(str(error)) from error


def _operator(op: str, value: Any, refs: Refs, tolerance: Any) -> Matcher:
    if op in ("contains", "not_contains"):
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise MatcherError(f"{op} takes text")
        return Matcher(op, refs.resolve(str(value)), shown=f"{op} {str(value)!r}")
    if op == "one_of":
        if not isinstance(value, list) or not value:
            raise MatcherError("one_of takes a non-empty list")
        return Matcher(op, refs.resolve_all(value), shown=f"one of {value!r}")
    if op == "is_null":
        if not isinstance(value, bool):
            raise MatcherError("is_null takes true or false")
        return Matcher(op, value)
    if op in ("gte", "lte"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise MatcherError(f"{op} takes a number")
        return Matcher(op, value)
    if op in ("at", "day"):
        phrases = value if isinstance(value, list) else [value]
        if not phrases or not all(isinstance(p, str) for p in phrases):
            raise MatcherError(f"{op} takes a date phrase or a list of them")
        specs = tuple(when.parse(p) for p in phrases)
        if op == "at":
            for spec in specs:
                if not spec.has_time:
                    raise MatcherError(
                        f"at {spec.text!r} needs a time (HH:MM); use 'day' for a day"
                    )
            if tolerance is None:
                relative = any(s.after is not None for s in specs)
                tolerance = 5 if relative else 1
            if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)):
                raise MatcherError("tolerance_minutes takes a number")
            return Matcher(op, specs, timedelta(minutes=tolerance))
        return Matcher(op, specs)
    return Matcher("equals", refs.resolve_all(value))


def _fold(value: Any) -> Any:
    return value.strip().casefold() if isinstance(value, str) else value


def _loosely_equal(expected: Any, actual: Any) -> bool:
    if isinstance(expected, str):
        return isinstance(actual, str) and _fold(expected) == _fold(actual)
    if isinstance(expected, bool) or expected is None:
        return actual is expected
    if isinstance(expected, (int, float)):
        if isinstance(actual, bool) or not isinstance(actual, (int, float)):
            return False
        return abs(float(actual) - float(expected)) < 1e-6
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return False
        return sorted(map(str, map(_fold, expected))) == sorted(map(str, map(_fold, actual)))
    return bool(expected == actual)


def _empty(actual: Any) -> bool:
    """No value, as a person reads it: null, "" or spaces, or []. 0 and false are values."""
    if actual is None:
        return True
    if isinstance(actual, str):
        return not actual.strip()
    if isinstance(actual, list):
        return not actual
    return False


def _contains(actual: Any, needle: str) -> bool:
    if isinstance(actual, str):
        return needle.casefold() in actual.casefold()
    if isinstance(actual, list):
        return any(_fold(item) == _fold(needle) for item in actual)
    return False


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) <= 10:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _local_date(value: Any, zone: ZoneInfo) -> date | None:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    moment = _datetime(value)
    return moment.astimezone(zone).date() if moment else None
