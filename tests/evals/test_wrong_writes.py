"""The wrong-writes diagnostic: end-state changes a case did not expect, counted per trial,
listed in the report, and an exit status with `--max-wrong-writes`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from coworker.evals.graders import Grade, grade
from coworker.evals.graders.writes import wrong_writes
from coworker.evals.refs import Refs
from coworker.evals.report import markdown, print_report
from coworker.evals.runner import RunResult, TrialResult
from coworker.evals.summary import summarize
from tests.evals.support import case_from, record, run_eval, write

JANE = Refs("alex").resolve("$lead:jane-smith")
MARCUS = Refs("alex").resolve("$lead:marcus-reed")
DEAL = Refs("alex").resolve("$opportunity:1")

BEFORE = {
    "leads": {
        JANE: {"id": JANE, "name": "Jane Smith", "status": "new", "company": "Acme Corp"},
        MARCUS: {"id": MARCUS, "name": "Marcus Reed", "status": "qualified"},
    },
    "notes": {"n1": {"id": "n1", "lead_id": MARCUS, "content": "Booked a demo"}},
    "opportunities": {},
    "tasks": {},
}


def _after(**changes: dict[str, dict[str, object]]) -> dict[str, dict[str, dict[str, object]]]:
    after = {name: {k: dict(v) for k, v in rows.items()} for name, rows in BEFORE.items()}
    for resource, rows in changes.items():
        after[resource] = rows
    return after


def test_an_expected_change_is_no_wrong_write(tmp_path: Path) -> None:
    case = case_from(
        tmp_path,
        """
        id: qualify
        steps: [say: "mark jane as qualified"]
        expect:
          state: [{resource: leads, where: {id: $lead:jane-smith}, fields: {status: qualified}}]
        """,
    )
    jane = {**BEFORE["leads"][JANE], "status": "qualified", "updated_at": "later"}
    after = _after(leads={JANE: jane, MARCUS: BEFORE["leads"][MARCUS]})
    assert wrong_writes(record(case, before=BEFORE, after=after)) == []
    assert wrong_writes(record(case, before=BEFORE, after=BEFORE)) == []


def test_a_change_nobody_asked_for_is_a_wrong_write(tmp_path: Path) -> None:
    """'notes on Jane', then 'overdue tasks': a note 'Overdue tasks.' on Jane."""
    case = case_from(
        tmp_path,
        """
        id: reads
        steps: [say: "notes on jane", say: "overdue tasks"]
        expect: {reply_contains: [overdue]}
        """,
    )
    note = {"id": "n2", "lead_id": JANE, "content": "Overdue tasks."}
    after = _after(notes={**BEFORE["notes"], "n2": note})
    assert wrong_writes(record(case, before=BEFORE, after=after)) == [
        "created notes 'Overdue tasks.'"
    ]


def test_a_claimed_row_with_wrong_values_is_a_wrong_write(tmp_path: Path) -> None:
    """The $2 deal: the case expects a new deal, with other values."""
    case = case_from(
        tmp_path,
        """
        id: deal
        steps: [say: "new opp for jane - 18.5k, prospecting", say: "yes"]
        expect:
          state:
            - resource: opportunities
              new: true
              where: {lead_id: $lead:jane-smith}
              fields: {value: 18500, stage: prospecting}
        """,
    )
    wrong = {"id": "o9", "lead_id": JANE, "name": "Jane deal", "value": 2, "stage": "prospecting"}
    [write_] = wrong_writes(record(case, before=BEFORE, after=_after(opportunities={"o9": wrong})))
    assert write_ == "created opportunities 'Jane deal'"
    right = {**wrong, "value": 18500.0}
    assert (
        wrong_writes(record(case, before=BEFORE, after=_after(opportunities={"o9": right}))) == []
    )


def test_updates_and_deletions_are_described_and_expected_ones_are_not_counted(
    tmp_path: Path,
) -> None:
    case = case_from(
        tmp_path,
        """
        id: delete-marcus
        steps: [say: "delete marcus", approve: delete_lead]
        expect:
          state: [{resource: leads, where: {id: $lead:marcus-reed}, count: 0}]
        """,
    )
    moved = {**BEFORE["leads"][JANE], "company": "Hooli, please update her company"}
    after = _after(leads={JANE: moved}, notes={})
    assert wrong_writes(record(case, before=BEFORE, after=after)) == [
        "updated leads 'Jane Smith' (company: 'Acme Corp' -> 'Hooli, please update her company')"
    ]


def test_a_row_a_count_zero_check_selects_is_a_wrong_write(tmp_path: Path) -> None:
    case = case_from(
        tmp_path,
        """
        id: out-of-scope
        steps: [say: "can u book me a flight to denver tues am?"]
        expect:
          state: [{resource: tasks, new: true, count: 0}]
          reply_contains_any: [flight]
        """,
    )
    task = {"id": "t9", "title": "Book me a flight to denver", "lead_id": None}
    trial = record(case, before=BEFORE, after=_after(tasks={"t9": task}))
    assert wrong_writes(trial) == ["created tasks 'Book me a flight to denver'"]
    assert grade(trial).wrong_writes == ["created tasks 'Book me a flight to denver'"]


# ------------------------------------------------------------------ the report and the CLI

RIGHT = """
id: qualify-jane
steps: [say: "mark Jane as qualified"]
expect:
  state: [{resource: leads, where: {id: $lead:jane-smith}, fields: {status: qualified}}]
  unchanged: all
"""

# The person asked for 'qualified'; the case (standing in for a model's mistake) expected
# another status, so the write the coworker made is one the case did not expect.
WRONG = """
id: jane-expected-contacted
steps: [say: "mark Jane as qualified"]
expect:
  state: [{resource: leads, where: {id: $lead:jane-smith}, fields: {status: contacted}}]
"""


pytestmark = pytest.mark.usefixtures("eval_cli_settings")


def test_the_report_lists_wrong_writes_with_their_trial(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    write(cases, RIGHT, "right.yaml")
    write(cases, WRONG, "wrong.yaml")
    report, table = tmp_path / "r.json", tmp_path / "r.md"
    code, output = run_eval("--cases", str(cases), "--json", str(report), "--markdown", str(table))
    assert code == 0, output
    summary = json.loads(report.read_text())
    wrong = summary["wrong_writes"]
    assert wrong["count"] == 1 and wrong["trials"] == 1
    [item] = wrong["listed"]
    assert item["trial"] == "jane-expected-contacted#1"
    assert item["write"].startswith("updated leads 'Jane Smith' (status: 'new' -> 'qualified'")
    by_case = {c["id"]: c["trial_results"][0]["wrong_writes"] for c in summary["case_results"]}
    assert by_case["qualify-jane"] == [] and len(by_case["jane-expected-contacted"]) == 1
    assert "wrong writes (unexpected CRM changes)" in output and "WRONG WRITE" in output
    markdown = table.read_text()
    assert "| wrong writes (unexpected CRM changes) | 1 in 1 trial(s) |" in markdown
    assert (
        "## Wrong writes" in markdown and "- jane-expected-contacted#1: updated leads" in markdown
    )


def test_max_wrong_writes_sets_the_exit_status(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    write(cases, WRONG, "wrong.yaml")
    code, output = run_eval("--cases", str(cases), "--max-wrong-writes", "0")
    assert code == 1, output
    code, output = run_eval("--cases", str(cases), "--max-wrong-writes", "1")
    assert code == 0, output
    code, output = run_eval("--cases", str(cases), "--max-wrong-writes", "-1")
    assert code == 2 and "--max-wrong-writes must be 0 or more" in output


def test_a_wrong_write_with_brackets_is_printed_as_text(tmp_path: Path) -> None:
    case = case_from(tmp_path, RIGHT)
    tagged = "updated leads 'Jane Smith' (tags: ['hot'] -> ['hot', 'vip'])"
    result = TrialResult(record(case), Grade(wrong_writes=[tagged]))
    summary = summarize(RunResult("offline", 1, [case], [result]))
    output = io.StringIO()
    print_report(summary, Console(file=output, width=200))
    assert f"WRONG WRITE qualify-jane#1: {tagged}" in output.getvalue()
    assert f"- qualify-jane#1: {tagged}" in markdown(summary)
