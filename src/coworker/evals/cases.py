"""Eval cases: the YAML format, its validation, and the checked form the runner uses.

A file holds one case (a mapping with `id`) or several (`cases: [...]`, with optional
file-wide `tags`). Everything is checked before anything runs, and an error names the
file, the case and the field (`expect.state[0].where.stauts: leads has no field
'stauts'`), so a typo never turns into a silently passing case. The format is documented
in `evals/README.md`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import ValidationError

from coworker.errors import EvalError
from coworker.evals.matchers import Matcher, MatcherError, compile_matcher
from coworker.evals.refs import RefError, Refs
from coworker.evals.resources import RESOURCES, fields_of
from coworker.evals.schema import (
    CaseSpec,
    InjectionSpec,
    StateCheckSpec,
    StepSpec,
    gated_tools,
    tool_names,
)

# --------------------------------------------------------------------------- the checked form


@dataclass(frozen=True)
class Selector:
    """Rows of a resource: those whose fields match `where` (only new ones with `new`)."""

    resource: str
    where: dict[str, Matcher]
    new: bool = False

    def describe(self) -> str:
        conditions = [f"{k} {m.describe()}" for k, m in self.where.items()]
        scope = "new " if self.new else ""
        return f"{scope}{self.resource}" + (f" where {', '.join(conditions)}" if conditions else "")


@dataclass(frozen=True)
class StateCheck:
    """At the end: the selected rows exist (or number `count`), and each matches `fields`."""

    selector: Selector
    fields: dict[str, Matcher] | None = None
    count: int | None = None


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class Decide:
    kind: Literal["approve", "reject", "edit"]
    tool: str
    reason: str | None = None
    edits: dict[str, str] | None = None


@dataclass(frozen=True)
class BatchDecide:
    """One decision for the newest batch card; `leave_out`: lead ids whose items are left
    out (rejected) while the rest are approved; a `reject` leaves them all out."""

    kind: Literal["approve", "reject"]
    leave_out: tuple[str, ...] = ()


Step = Say | Decide | BatchDecide


@dataclass(frozen=True)
class Injection:
    into: str
    text: str
    lead_id: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class Attack:
    """The attacker's goal, achieved when any of the checks holds at the end."""

    goal: str
    achieved_if: tuple[StateCheck, ...]


@dataclass(frozen=True)
class Expectations:
    state: tuple[StateCheck, ...] = ()
    unchanged: tuple[Selector, ...] = ()
    confirmations: tuple[str, ...] = ()
    actions: tuple[tuple[str, str], ...] = ()
    reply_contains: tuple[str, ...] = ()
    reply_contains_any: tuple[str, ...] = ()
    reply_excludes: tuple[str, ...] = ()
    forbidden: tuple[Selector, ...] = ()
    tools: frozenset[str] | None = None
    allow_unexpected_actions: bool = False


@dataclass(frozen=True)
class Case:
    id: str
    user: str
    timezone: str
    steps: tuple[Step, ...]
    expect: Expectations
    tags: tuple[str, ...] = ()
    description: str = ""
    injections: tuple[Injection, ...] = ()
    attack: Attack | None = None
    source: str = ""

    @property
    def refs(self) -> Refs:
        return Refs(self.user)


# --------------------------------------------------------------------------- loading


def load_cases(path: Path, tags: frozenset[str] | None = None) -> list[Case]:
    """Every case under `path` (a file, or a directory searched for *.yaml / *.yml), in
    file and file order; with `tags`, only the cases carrying at least one of them."""
    if not path.exists():
        raise EvalError(f"no cases at {path}: no such file or directory", path=str(path))
    files = sorted([*path.rglob("*.yaml"), *path.rglob("*.yml")]) if path.is_dir() else [path]
    if not files:
        raise EvalError(f"no case files (*.yaml) in {path}", path=str(path))
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for file in files:
        for case in load_file(file):
            if case.id in seen:
                raise EvalError(
                    f"{file}: case id {case.id!r} is also used in {seen[case.id]}",
                    path=str(file),
                    case_id=case.id,
                    field="id",
                )
            seen[case.id] = str(file)
            cases.append(case)
    if tags:
        cases = [c for c in cases if tags & set(c.tags)]
        if not cases:
            raise EvalError(
                f"no case in {path} has any of the tags {', '.join(sorted(tags))}", path=str(path)
            )
    return cases


def load_file(file: Path) -> list[Case]:
    try:
        data = yaml.safe_load(file.read_text("utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise EvalError(f"{file}: invalid YAML{where}: {problem}", path=str(file)) from error
    except (OSError, UnicodeDecodeError) as error:
        raise EvalError(f"{file}: cannot read it ({error})", path=str(file)) from error
    file_tags: list[str] = []
    if isinstance(data, dict) and "cases" in data:
        extra = set(data) - {"cases", "tags"}
        if extra:
            raise EvalError(
                f"{file}: unknown top-level field(s) {', '.join(sorted(map(str, extra)))}; "
                "a case file has 'cases' and optional 'tags'",
                path=str(file),
                field=sorted(map(str, extra))[0],
            )
        raw_cases, file_tags = data["cases"], data.get("tags") or []
        if not isinstance(file_tags, list) or not all(isinstance(t, str) for t in file_tags):
            raise EvalError(f"{file}: tags must be a list of words", path=str(file), field="tags")
    elif isinstance(data, dict) and "id" in data:
        raw_cases = [data]
    else:
        raise EvalError(
            f"{file}: expected a mapping with 'cases: [...]' or a single case with an 'id'",
            path=str(file),
        )
    if not isinstance(raw_cases, list) or not raw_cases:
        raise EvalError(f"{file}: 'cases' must be a non-empty list", path=str(file), field="cases")
    return [_case(file, index, raw, file_tags) for index, raw in enumerate(raw_cases)]


def _case(file: Path, index: int, raw: Any, file_tags: list[str]) -> Case:
    label = f"cases[{index}]"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        label = f"case {raw['id']!r}"
    case_id = raw.get("id") if isinstance(raw, dict) else None
    try:
        parsed = CaseSpec.model_validate(raw)
    except ValidationError as error:
        # In a union pydantic reports every member; the deepest error is the telling one.
        first = max(error.errors(), key=lambda e: len(e["loc"]))
        field = _location(first["loc"])
        message = _message(first)
        more = len(error.errors()) - 1
        also = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise EvalError(
            f"{file}: {label}: {field}: {message}{also}",
            path=str(file),
            case_id=case_id,
            field=field,
        ) from error
    try:
        return _checked(parsed, file, file_tags)
    except _FieldProblem as problem:
        raise EvalError(
            f"{file}: {label}: {problem.field}: {problem.message}",
            path=str(file),
            case_id=parsed.id,
            field=problem.field,
        ) from problem


_TYPE_NAMES = frozenset({"str", "int", "float", "bool", "dict", "list"})


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in _TYPE_NAMES or "[" in item or item.endswith("Spec"):
            continue  # pydantic names the union member it tried; people need the field
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(case)"


def _message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "required field is missing"
    return str(error["msg"]).removeprefix("Value error, ")


class _FieldProblem(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _checked(raw: CaseSpec, file: Path, file_tags: list[str]) -> Case:
    refs = Refs(raw.user)
    try:
        ZoneInfo(raw.timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise _FieldProblem("timezone", f"unknown timezone {raw.timezone!r}") from error
    expect = raw.expect
    for name, tools in (("confirmations", expect.confirmations), ("tools", expect.tools or [])):
        for i, tool in enumerate(tools):
            if tool not in tool_names():
                raise _FieldProblem(f"expect.{name}[{i}]", f"no tool named {tool!r}")
    for i, action in enumerate(expect.actions):
        if action.tool not in gated_tools():
            raise _FieldProblem(f"expect.actions[{i}].tool", f"{action.tool!r} never waits")
    if expect.unchanged == "all":
        unchanged = tuple(Selector(name, {}) for name in RESOURCES)
    else:
        unchanged = tuple(
            _selector(
                refs,
                f"expect.unchanged[{i}]",
                {"resource": item} if isinstance(item, str) else item.model_dump(),
            )
            for i, item in enumerate(expect.unchanged)
        )
    return Case(
        id=raw.id,
        user=raw.user,
        timezone=raw.timezone,
        steps=tuple(_step(refs, s) for s in raw.steps),
        expect=Expectations(
            state=tuple(
                _state(refs, f"expect.state[{i}]", check) for i, check in enumerate(expect.state)
            ),
            unchanged=unchanged,
            confirmations=tuple(expect.confirmations),
            actions=tuple((a.tool, a.status) for a in expect.actions),
            reply_contains=tuple(expect.reply_contains),
            reply_contains_any=tuple(expect.reply_contains_any),
            reply_excludes=tuple(expect.reply_excludes),
            forbidden=tuple(
                _selector(refs, f"expect.forbidden[{i}]", s.model_dump())
                for i, s in enumerate(expect.forbidden)
            ),
            tools=frozenset(expect.tools) if expect.tools is not None else None,
            allow_unexpected_actions=expect.unexpected_actions == "allow",
        ),
        tags=tuple(dict.fromkeys([*file_tags, *raw.tags])),
        description=raw.description,
        injections=tuple(_injection(refs, i, item) for i, item in enumerate(raw.inject)),
        attack=(
            Attack(
                raw.attack.goal,
                tuple(
                    _state(refs, f"attack.achieved_if[{i}]", check)
                    for i, check in enumerate(raw.attack.achieved_if)
                ),
            )
            if raw.attack
            else None
        ),
        source=str(file),
    )


def _step(refs: Refs, raw: StepSpec) -> Step:
    if raw.say is not None:
        return Say(raw.say)
    if raw.batch is not None:
        try:
            left = tuple(refs.resolve(f"$lead:{slug}") for slug in raw.leave_out or ())
        except RefError as error:
            raise _FieldProblem("steps.leave_out", str(error)) from error
        return BatchDecide(raw.batch, left)
    if raw.approve is not None:
        return Decide("approve", raw.approve)
    if raw.reject is not None:
        return Decide("reject", raw.reject, reason=raw.reason)
    assert raw.edit is not None
    return Decide("edit", raw.edit, edits=dict(raw.edits or {}))


def _injection(refs: Refs, index: int, raw: InjectionSpec) -> Injection:
    lead_id = None
    if raw.lead is not None:
        try:
            lead_id = refs.resolve(raw.lead if raw.lead.startswith("$") else f"$lead:{raw.lead}")
        except RefError as error:
            raise _FieldProblem(f"inject[{index}].lead", str(error)) from error
    return Injection(raw.into, raw.text, lead_id, raw.subject)


def _selector(refs: Refs, where_: str, raw: dict[str, Any]) -> Selector:
    resource = raw["resource"]
    if resource not in RESOURCES:
        raise _FieldProblem(
            f"{where_}.resource", f"unknown resource {resource!r}; use {', '.join(RESOURCES)}"
        )
    return Selector(
        resource,
        _matchers(refs, f"{where_}.where", resource, raw.get("where") or {}),
        bool(raw.get("new")),
    )


def _state(refs: Refs, where_: str, raw: StateCheckSpec) -> StateCheck:
    selector = _selector(refs, where_, raw.model_dump())
    fields = (
        _matchers(refs, f"{where_}.fields", raw.resource, raw.fields)
        if raw.fields is not None
        else None
    )
    if fields is not None and not fields:
        raise _FieldProblem(f"{where_}.fields", "fields is empty")
    return StateCheck(selector, fields, raw.count)


def _matchers(refs: Refs, where_: str, resource: str, raw: dict[str, Any]) -> dict[str, Matcher]:
    known = fields_of(resource)
    compiled: dict[str, Matcher] = {}
    for name, value in raw.items():
        if name not in known:
            raise _FieldProblem(
                f"{where_}.{name}", f"{resource} has no field {name!r}; fields: {', '.join(known)}"
            )
        try:
            compiled[name] = compile_matcher(value, refs)
        except MatcherError as error:
            raise _FieldProblem(f"{where_}.{name}", str(error)) from error
    return compiled
