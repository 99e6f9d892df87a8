"""Wrong writes: changes that reached the CRM and that the case did not expect.

A coworker that writes the wrong thing is worse than one that does nothing: the person
trusts the CRM afterwards. pass^1 hides the difference (both fail), so this diagnostic counts
the writes themselves: every row of the end state that was created, changed or deleted
during the run (a task, a lead's company, a sent email, an enrollment) and that no state
check of the case accounts for with the values it expects. A row a check selects but whose
fields are wrong (a $2 deal where $18,500 was asked for) is a wrong write too; so is any
row a `count: 0` check selects. Changes that only follow an expected deletion (a deleted
lead's notes) are not.

It is measured on the end state, like the rest of the grading: a write that was made and
undone in the same run leaves nothing behind and is not counted. Reported per trial, never
pass or fail (the state grader already fails a case whose `unchanged` or `state` checks
these rows); `coworker eval --max-wrong-writes N` turns it into an exit status.
"""

from __future__ import annotations

from coworker.evals.graders.select import clock_of, select
from coworker.evals.graders.state import follows, removed_on_purpose, row_name
from coworker.evals.matchers import Clock
from coworker.evals.resources import Row, comparable
from coworker.evals.trial import TrialRecord


def wrong_writes(record: TrialRecord) -> list[str]:
    """Each unexpected change of the end state, described for a person ("created tasks
    'Overdue tasks.'", "updated leads 'Dana Whitfield' (company: ...)")."""
    clock = clock_of(record)
    gone = removed_on_purpose(record, clock)
    found: list[str] = []
    for resource in sorted(set(record.before) | set(record.after)):
        before = record.before.get(resource, {})
        after = record.after.get(resource, {})
        for row_id in sorted(set(before) | set(after)):
            old, new = before.get(row_id), after.get(row_id)
            change = _change(resource, old, new)
            if change is None or follows(old, new, gone):
                continue
            if not _expected(record, resource, row_id, new, clock):
                found.append(change)
    return found


def _change(resource: str, old: Row | None, new: Row | None) -> str | None:
    if old is None and new is not None:
        return f"created {resource} {row_name(new)}"
    if new is None and old is not None:
        return f"deleted {resource} {row_name(old)}"
    if old is not None and new is not None and comparable(old) != comparable(new):
        fields = [k for k, v in comparable(new).items() if old.get(k) != v]
        diffs = ", ".join(f"{k}: {old.get(k)!r} -> {new.get(k)!r}" for k in fields)
        return f"updated {resource} {row_name(new)} ({diffs})"
    return None


def _expected(
    record: TrialRecord, resource: str, row_id: str, new: Row | None, clock: Clock
) -> bool:
    """A state check of the case asks for this change: it selects the row in the end state
    and, when it names fields, the row has them; or, for a row that is gone, it selected
    the row before the run (a deletion, usually `count: 0`). A check that wants none of its
    rows (`count: 0`) expects no row it selects at the end."""
    for check in record.case.expect.state:
        selector = check.selector
        if selector.resource != resource:
            continue
        if new is None:
            if not selector.new and row_id in select(record.before, {}, selector, clock):
                return True
            continue
        if check.count == 0:
            continue
        if row_id not in select(record.after, record.before, selector, clock):
            continue
        if check.fields is None or all(
            matcher.matches(new.get(name), clock) for name, matcher in check.fields.items()
        ):
            return True
    return False
