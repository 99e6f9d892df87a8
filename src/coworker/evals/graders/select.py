"""Picking the rows a selector describes, and checking a state expectation against them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from coworker.evals.cases import Selector, StateCheck
from coworker.evals.matchers import Clock
from coworker.evals.resources import Row, Snapshot
from coworker.evals.trial import TrialRecord


def clock_of(record: TrialRecord) -> Clock:
    return Clock(record.now, ZoneInfo(record.case.timezone))


def select(
    snapshot: Snapshot, before: Snapshot, selector: Selector, clock: Clock
) -> dict[str, Row]:
    """Rows of `snapshot` matching every `where` field; with `new`, only rows not in `before`."""
    earlier = before.get(selector.resource, {})
    return {
        row_id: row
        for row_id, row in snapshot.get(selector.resource, {}).items()
        if not (selector.new and row_id in earlier)
        and all(m.matches(row.get(name), clock) for name, m in selector.where.items())
    }


def check(
    record: TrialRecord, expected: StateCheck, clock: Clock, *, after: Snapshot | None = None
) -> list[str]:
    """What is wrong with the end state (or with `after`, a state the run could have ended
    in) for `expected` (nothing: it holds)."""
    rows = select(record.after if after is None else after, record.before, expected.selector, clock)
    described = expected.selector.describe()
    if expected.count is not None and len(rows) != expected.count:
        return [f"expected {expected.count} {described}, found {len(rows)}"]
    if expected.fields is None:
        return [] if rows or expected.count is not None else [f"no {described}"]
    if not rows:
        return [f"no {described}"]
    for row in rows.values():
        wrong = [
            f"{name} is {row.get(name)!r}, expected {matcher.describe()}"
            for name, matcher in expected.fields.items()
            if not matcher.matches(row.get(name), clock)
        ]
        if wrong:
            return [f"{described}: " + "; ".join(wrong)]
    return []
