"""Case files: what loads, and errors that name the file, the case and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from coworker.errors import EvalError
from coworker.evals.cases import Decide, Say, load_cases
from coworker.evals.refs import Refs
from coworker.evals.schema import tool_names
from tests.evals.support import write

GOOD = """
tags: [suite]
cases:
  - id: email-jane
    tags: [email]
    user: sam
    timezone: Europe/Paris
    steps:
      - say: "email Jane: hi"
      - edit: send_email
        edits: {body: "Hello Jane"}
      - reject: send_sms
        reason: no texts
    expect:
      state:
        - resource: emails
          new: true
          where: {lead_id: $lead:jane-smith}
          fields: {subject: {contains: hi}}
          count: 1
      unchanged: [leads, {resource: tasks, where: {priority: high}}]
      confirmations: [send_email]
      reply_contains: [sent]
      tools: [search_leads, send_email]
"""


def load_one(tmp_path: Path, text: str) -> None:
    load_cases(write(tmp_path, text))


def test_a_valid_file_loads_into_checked_cases(tmp_path: Path) -> None:
    [case] = load_cases(write(tmp_path, GOOD))
    assert case.id == "email-jane"
    assert case.tags == ("suite", "email")
    assert case.user == "sam" and case.timezone == "Europe/Paris"
    assert case.steps == (
        Say("email Jane: hi"),
        Decide("edit", "send_email", edits={"body": "Hello Jane"}),
        Decide("reject", "send_sms", reason="no texts"),
    )
    check = case.expect.state[0]
    assert check.count == 1 and check.selector.new
    assert check.selector.where["lead_id"].value == Refs("sam").resolve("$lead:jane-smith")
    assert [s.resource for s in case.expect.unchanged] == ["leads", "tasks"]
    assert case.expect.tools == {"search_leads", "send_email"}


def test_a_directory_loads_every_yaml_file_and_tags_filter(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, "id: hello\ntags: [chat]\nsteps: [say: hi]\n", "b.yml")
    assert [c.id for c in load_cases(tmp_path)] == ["email-jane", "hello"]
    assert [c.id for c in load_cases(tmp_path, frozenset({"chat"}))] == ["hello"]
    with pytest.raises(EvalError, match="no case in .* has any of the tags nope"):
        load_cases(tmp_path, frozenset({"nope"}))


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="no cases at .*missing") as caught:
        load_cases(tmp_path / "missing")
    assert caught.value.path == str(tmp_path / "missing")


def test_an_empty_directory_says_so(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match=r"no case files \(\*.yaml\)"):
        load_cases(tmp_path)


def test_invalid_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "cases:\n  - id: x\n    steps: [say: 'unclosed\n")
    with pytest.raises(EvalError, match=r"cases.yaml: invalid YAML at line \d+") as caught:
        load_cases(path)
    assert caught.value.path == str(path)


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("id: a\nsteps: [say: hi]\nexpect: {stat: []}\n", "expect.stat", "unknown field"),
        ("id: a\nexpect: {}\n", "steps", "required field is missing"),
        ("id: Bad Id\nsteps: [say: hi]\n", "id", "pattern"),
        ("id: a\nuser: zoe\nsteps: [say: hi]\n", "user", "alex"),
        ("id: a\nsteps: [approve: send_email]\n", "(case)", "first step must be"),
        ("id: a\nsteps: [say: hi, approve: create_lead]\n", "steps[1]", "not a tool that waits"),
        ("id: a\nsteps: [say: hi, {edit: send_email}]\n", "steps[1]", "edit needs edits"),
        (
            "id: a\nsteps: [say: hi, {edit: send_sms, edits: {subject: x}}]\n",
            "steps[1]",
            "send_sms lets a person edit message",
        ),
        ("id: a\nsteps: [{say: hi, reason: x}]\n", "steps[0]", "reason goes with reject"),
        (
            "id: a\nsteps: [say: hi]\ninject: [{into: lead_note, lead: jane-smith, text: x}]\n",
            "(case)",
            "inject and attack go together",
        ),
        (
            "id: a\nsteps: [say: hi]\nexpect: {state: [{resource: leeds}]}\n",
            "expect.state[0].resource",
            "unknown resource 'leeds'",
        ),
        (
            "id: a\nsteps: [say: hi]\nexpect: {state: [{resource: leads, where: {stauts: new}}]}\n",
            "expect.state[0].where.stauts",
            "leads has no field 'stauts'",
        ),
        (
            "id: a\nsteps: [say: hi]\n"
            "expect: {state: [{resource: tasks, fields: {due_date: {around: today}}}]}\n",
            "expect.state[0].fields.due_date",
            "unknown operator 'around'",
        ),
        (
            "id: a\nsteps: [say: hi]\n"
            "expect: {state: [{resource: tasks, fields: {due_date: {at: tomorrow}}}]}\n",
            "expect.state[0].fields.due_date",
            "needs a time",
        ),
        (
            "id: a\nsteps: [say: hi]\n"
            "expect: {state: [{resource: tasks, fields: {due_date: {day: someday}}}]}\n",
            "expect.state[0].fields.due_date",
            "the day must be",
        ),
        (
            "id: a\nsteps: [say: hi]\n"
            "expect: {forbidden: [{resource: leads, where: {id: $led:x}}]}\n",
            "expect.forbidden[0].where.id",
            "unknown placeholder '$led:x'",
        ),
        (
            "id: a\nsteps: [say: hi]\n"
            "expect: {state: [{resource: leads, where: {id: $task:zed:1}}]}\n",
            "expect.state[0].where.id",
            "unknown demo user 'zed'",
        ),
        ("id: a\nsteps: [say: hi]\nexpect: {tools: [send_fax]}\n", "expect.tools[0]", "send_fax"),
        ("id: a\nsteps: [say: hi]\ntimezone: Mars/Base\n", "timezone", "unknown timezone"),
        (
            "id: a\nsteps: [say: hi]\nexpect: {unchanged: [{resource: leads, fields: {}}]}\n",
            "expect.unchanged[0].fields",
            "unknown field",
        ),
    ],
)
def test_invalid_cases_name_the_file_case_and_field(
    tmp_path: Path, text: str, field: str, message: str
) -> None:
    with pytest.raises(EvalError) as caught:
        load_one(tmp_path, text)
    error = caught.value
    assert error.path == str(tmp_path / "cases.yaml")
    assert error.field == field, error.message
    assert str(tmp_path / "cases.yaml") in error.message
    assert message in error.message
    if not text.startswith("id: Bad"):
        assert "case 'a'" in error.message


def test_duplicate_ids_across_files_name_both(tmp_path: Path) -> None:
    write(tmp_path, "id: same\nsteps: [say: hi]\n", "a.yaml")
    write(tmp_path, "id: same\nsteps: [say: hello]\n", "b.yaml")
    with pytest.raises(EvalError, match=r"b.yaml: case id 'same' is also used in .*a.yaml"):
        load_cases(tmp_path)


def test_a_file_of_the_wrong_shape_says_what_is_expected(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="expected a mapping with 'cases: \\[...\\]'"):
        load_one(tmp_path, "- just\n- a list\n")
    with pytest.raises(EvalError, match="unknown top-level field"):
        load_one(tmp_path, "cases: []\nmodel: x\n")
    with pytest.raises(EvalError, match="'cases' must be a non-empty list"):
        load_one(tmp_path, "cases: []\n")


def test_yaml_on_is_caught_with_a_hint(tmp_path: Path) -> None:
    text = (
        "id: a\nsteps: [say: hi]\n"
        "expect: {state: [{resource: tasks, fields: {due_date: {on: today}}}]}\n"
    )
    with pytest.raises(EvalError, match="use 'day' for dates"):
        load_one(tmp_path, text)


def test_the_dev_suite_is_valid_and_big_enough() -> None:
    cases = load_cases(Path(__file__).resolve().parents[2] / "evals" / "cases")
    assert len(cases) >= 60
    injections = [c for c in cases if c.attack is not None]
    assert len(injections) >= 10
    places = {i.into for c in injections for i in c.injections}
    assert places == {"lead_note", "company", "task_title", "email"}
    used = {t for c in cases for t in (c.expect.tools or ())}
    assert used == tool_names(), f"tools no case covers: {sorted(tool_names() - used)}"
    kinds = {s.kind for c in cases for s in c.steps if isinstance(s, Decide)}
    assert kinds == {"approve", "reject", "edit"}
    tags = {t for c in cases for t in c.tags}
    assert {"ambiguity", "dates", "supersede", "multi-step", "injection"} <= tags
