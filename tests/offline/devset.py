"""The offline dev set (evals/offline_devset.yaml): loading, running and scoring cases.

A case is one or more turns. A turn either says something (`say`) or decides the pending
confirmation (`decide: approve | reject`, optional `reason`). Each turn lists the tool calls
it must produce, in order (`{tool: name, args: {...}}`; args are a subset match), optional
`pending` (the tool waiting for approval afterwards) and `reply` substrings.

Looser checks, for sets written apart from the model (evals/offline_realistic.yaml), where
more than one sequence of calls is right:
- `has_calls: [{tool, args}]`: each is among the turn's calls (any order, others allowed);
- `no_calls: [tool | writes]`: none of these is called (`writes`: every tool that is not a
  read: creates, updates, sends, enrolls, deletes);
- `reply_any: [...]`: the reply contains at least one of these.
A case may carry `has_calls` and `no_calls` too: they apply to all its turns together (the
write may come at once or after the person's "yes"). A turn with any of these (or in a case
with them) and no `calls` does not check the exact sequence of calls.

Argument values:
- strings compare case-insensitively; `~text` means "contains text";
- `$lead:<slug>` is the demo lead's id (seed.py slugs, e.g. jane-smith), `$sequence:<n>`,
  `$task:<user>:<n>`, `$opportunity:<n>` likewise; `$any` means present, `$absent` absent;
- `@+Nd HH:MM`, `@dow:<mon..sun> HH:MM` (the next such day after today), `@next:<dow> HH:MM`
  ("next Tuesday": next week's when this week's is still ahead; `@nextus:` for weeks that
  start on Sunday, a week later on Sundays), `@md:MM-DD HH:MM`,
  `@in:<N>h` (now + N hours, ±2 min), `@date:YYYY-MM-DD`: due dates in the case's timezone;
  `@day:<spec>` (e.g. `@day:next:fri`): any time on that day, in the case's timezone;
- `{any: [a, b]}`: any of these values matches; `{exact: text}`: this text, case and all.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from coworker.sandbox.seed import demo_id
from coworker.tools.catalog import build_catalog

DEVSET = Path(__file__).resolve().parents[2] / "evals" / "offline_devset.yaml"
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# Every tool that changes something: a create, an update, a send, an enrollment, a delete.
WRITES = frozenset(tool.name for tool in build_catalog() if tool.risk != "read")


@dataclass
class Turn:
    say: str | None = None
    decide: str | None = None
    reason: str | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)
    pending: str | None = None
    reply: list[str] = field(default_factory=list)
    no_reply: list[str] = field(default_factory=list)
    has_calls: list[dict[str, Any]] = field(default_factory=list)
    no_calls: list[str] = field(default_factory=list)
    reply_any: list[str] = field(default_factory=list)
    exact: bool = True  # the calls must be exactly `calls`, in order


@dataclass
class Case:
    id: str
    turns: list[Turn]
    timezone: str = "UTC"
    tags: list[str] = field(default_factory=list)
    has_calls: list[dict[str, Any]] = field(default_factory=list)
    no_calls: list[str] = field(default_factory=list)

    @property
    def utterances(self) -> int:
        return sum(1 for t in self.turns if t.say is not None)


@dataclass
class Observed:
    """What a backend saw for one turn."""

    calls: list[tuple[str, dict[str, Any]]]
    text: str
    pending: list[str]


def load_cases(path: Path = DEVSET) -> list[Case]:
    data = yaml.safe_load(path.read_text("utf-8"))
    cases = []
    for raw in data["cases"]:
        turns_raw = raw.get("turns") or [raw]
        over_all = "turns" in raw and bool(raw.get("has_calls") or raw.get("no_calls"))
        turns = []
        for t in turns_raw:
            reply = t.get("reply") or []
            turns.append(
                Turn(
                    say=t.get("say"),
                    decide=t.get("decide"),
                    reason=t.get("reason"),
                    calls=list(t.get("calls") or []),
                    pending=t.get("pending"),
                    reply=[reply] if isinstance(reply, str) else list(reply),
                    no_reply=list(t.get("no_reply") or []),
                    has_calls=list(t.get("has_calls") or []),
                    no_calls=list(t.get("no_calls") or []),
                    reply_any=list(t.get("reply_any") or []),
                    exact="calls" in t
                    or not (
                        over_all or t.get("has_calls") or t.get("no_calls") or t.get("reply_any")
                    ),
                )
            )
        cases.append(
            Case(
                str(raw["id"]),
                turns,
                raw.get("timezone", data.get("timezone", "UTC")),
                list(raw.get("tags") or []),
                list(raw.get("has_calls") or []) if over_all else [],
                list(raw.get("no_calls") or []) if over_all else [],
            )
        )
    return cases


def placeholder(value: str) -> str:
    kind, _, rest = value[1:].partition(":")
    if kind == "lead":
        return demo_id("lead", f"northwind:{rest}")
    if kind == "sequence":
        return demo_id("sequence", f"northwind:{rest}")
    if kind == "task":
        return demo_id("task", rest)
    if kind == "opportunity":
        return demo_id("opportunity", f"northwind:{rest}")
    if kind == "mailbox":
        return demo_id("email_account", rest)
    raise ValueError(f"unknown placeholder {value}")


def _expected_moment(spec: str, now: datetime) -> tuple[datetime, timedelta]:
    """The moment a `@...` spec means, with the tolerance allowed."""
    zone = now.tzinfo
    assert zone is not None
    body = spec[1:]
    day_part, _, time_part = body.partition(" ")
    at = clock_time.fromisoformat(time_part) if time_part else None
    today = now.date()
    if day_part.startswith("in:"):
        hours = float(day_part[3:].rstrip("h"))
        return now + timedelta(hours=hours), timedelta(minutes=2)
    if day_part.startswith("+") and day_part.endswith("d"):
        day = today + timedelta(days=int(day_part[1:-1]))
    elif day_part.startswith("dow:"):
        # the coming such day; today only when the time is still ahead (see dates.py)
        target = WEEKDAYS.index(day_part[4:7])
        ahead = (target - today.weekday()) % 7
        if ahead == 0:
            later_today = at is not None and datetime.combine(today, at).replace(tzinfo=zone) > now
            ahead = 0 if later_today else 7
        day = today + timedelta(days=ahead)
    elif day_part == "nextweek":
        day = today + timedelta(days=7 - today.weekday())
    elif day_part == "time":
        # a time alone: today, or tomorrow once it has passed
        assert at is not None
        day = (
            today
            if datetime.combine(today, at).replace(tzinfo=zone) > now
            else today + timedelta(days=1)
        )
    elif day_part.startswith(("next:", "nextus:")):
        target = WEEKDAYS.index(day_part.partition(":")[2][:3])
        ahead = (target - today.weekday()) % 7 or 7
        if today.weekday() < target:
            ahead += 7
        if day_part.startswith("nextus:") and today.weekday() == 6:
            ahead += 7  # weeks that start on Sunday: today starts this week, not the last
        day = today + timedelta(days=ahead)
    elif day_part.startswith("md:"):
        month, dom = (int(x) for x in day_part[3:].split("-"))
        day = date(today.year, month, dom)
        if day < today - timedelta(days=1):
            day = date(today.year + 1, month, dom)
    elif day_part.startswith("date:"):
        day = date.fromisoformat(day_part[5:])
    else:
        raise ValueError(f"bad date spec {spec}")
    naive = datetime.combine(day, at or datetime.min.time())
    moment = naive.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")).astimezone(zone)
    return moment, timedelta(0)


def value_matches(expected: Any, actual: Any, now: datetime) -> bool:
    if isinstance(expected, dict) and set(expected) == {"any"}:
        return any(value_matches(e, actual, now) for e in expected["any"])
    if isinstance(expected, dict) and set(expected) == {"exact"}:
        return actual == expected["exact"]
    if isinstance(expected, str):
        if expected == "$any":
            return actual is not None
        if expected.startswith("$"):
            return isinstance(actual, str) and actual == placeholder(expected)
        if expected.startswith("@"):
            if not isinstance(actual, str):
                return False
            if expected.startswith("@day:"):
                return _on_day(expected[5:], actual, now)
            if expected.startswith("@date:") and " " not in expected:
                return actual[:10] == expected[6:]
            try:
                got = datetime.fromisoformat(actual.replace("Z", "+00:00"))
            except ValueError:
                return False
            if got.tzinfo is None:
                return False
            want, tolerance = _expected_moment(expected, now)
            return abs(got - want) <= tolerance
        if expected.startswith("~"):
            return isinstance(actual, str) and expected[1:].lower() in actual.lower()
        return isinstance(actual, str) and actual.strip().lower() == expected.strip().lower()
    if isinstance(expected, bool) or expected is None:
        return actual is expected or actual == expected
    if isinstance(expected, (int, float)):
        return isinstance(actual, (int, float)) and abs(float(actual) - float(expected)) < 1e-6
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(value_matches(e, a, now) for e, a in zip(expected, actual, strict=True))
        )
    return bool(expected == actual)


def _on_day(spec: str, actual: str, now: datetime) -> bool:
    """`actual` (a date or a timestamp) falls on the day `spec` names, in now's timezone."""
    want, _ = _expected_moment("@" + spec, now)
    if len(actual) == 10:
        return actual == want.date().isoformat()
    try:
        got = datetime.fromisoformat(actual.replace("Z", "+00:00"))
    except ValueError:
        return False
    return got.tzinfo is not None and got.astimezone(now.tzinfo).date() == want.date()


def call_matches(expected: dict[str, Any], call: tuple[str, dict[str, Any]], now: datetime) -> bool:
    name, arguments = call
    if name != expected["tool"]:
        return False
    for key, value in (expected.get("args") or {}).items():
        if value == "$absent":
            if key in arguments:
                return False
        elif not value_matches(value, arguments.get(key), now):
            return False
    return True


def _absent_and_forbidden(
    has_calls: list[dict[str, Any]],
    no_calls: list[str],
    calls: list[tuple[str, dict[str, Any]]],
    now: datetime,
) -> list[str]:
    problems = []
    for want in has_calls:
        if not any(call_matches(want, call, now) for call in calls):
            args = want.get("args") or {}
            problems.append(f"no {want['tool']} call with {args} (calls: {calls})")
    forbidden = {n for item in no_calls for n in (WRITES if item == "writes" else {item})}
    problems += [f"{name} called: {arguments}" for name, arguments in calls if name in forbidden]
    return problems


def check_case(case: Case, observed: list[Observed], now: datetime) -> list[str]:
    """Problems with the case-wide `has_calls` / `no_calls` (over every turn's calls)."""
    calls = [call for seen in observed for call in seen.calls]
    return _absent_and_forbidden(case.has_calls, case.no_calls, calls, now)


def _loose_problems(turn: Turn, seen: Observed, now: datetime) -> list[str]:
    problems = _absent_and_forbidden(turn.has_calls, turn.no_calls, seen.calls, now)
    if turn.reply_any and not any(p.lower() in seen.text.lower() for p in turn.reply_any):
        problems.append(f"reply has none of {turn.reply_any}")
    return problems


def check_turn(turn: Turn, seen: Observed, now: datetime) -> list[str]:
    """Problems with one turn (empty: it passed)."""
    problems = _loose_problems(turn, seen, now)
    names = [c[0] for c in seen.calls]
    pairs = align(turn.calls, seen.calls) if turn.exact else []
    if pairs is None:
        wanted = [c["tool"] + ("*" if c.get("many") else "") for c in turn.calls]
        problems.append(f"calls {names} != expected {wanted}")
    else:
        for expected, (name, arguments) in pairs:
            for key, value in (expected.get("args") or {}).items():
                if value == "$absent":
                    if key in arguments:
                        problems.append(f"{name}.{key} should be absent, got {arguments[key]!r}")
                    continue
                if not value_matches(value, arguments.get(key), now):
                    problems.append(f"{name}.{key}: expected {value!r}, got {arguments.get(key)!r}")
    if turn.pending is not None and turn.pending not in seen.pending:
        problems.append(f"expected {turn.pending} pending, got {seen.pending}")
    low = seen.text.lower()
    for piece in turn.reply:
        if piece.lower() not in low:
            problems.append(f"reply lacks {piece!r}")
    for piece in turn.no_reply:
        if piece.lower() in low:
            problems.append(f"reply should not contain {piece!r}")
    return problems


def align(
    expected: list[dict[str, Any]], seen: list[tuple[str, dict[str, Any]]]
) -> list[tuple[dict[str, Any], tuple[str, dict[str, Any]]]] | None:
    """Pair expected calls with the calls made; an expected call with `many: true` stands
    for zero or more consecutive calls of that tool (lookups whose count depends on data)."""
    pairs: list[tuple[dict[str, Any], tuple[str, dict[str, Any]]]] = []
    i = 0
    for want in expected:
        if want.get("many"):
            while i < len(seen) and seen[i][0] == want["tool"]:
                pairs.append((want, seen[i]))
                i += 1
            continue
        if i >= len(seen) or seen[i][0] != want["tool"]:
            return None
        pairs.append((want, seen[i]))
        i += 1
    return pairs if i == len(seen) else None


Backend = Callable[[Case], Awaitable[tuple[list[Observed], datetime]]]


@dataclass
class Score:
    total: int = 0
    passed: int = 0
    utterances: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def report(self, name: str) -> str:
        lines = [
            f"offline dev set on {name}: {self.passed}/{self.total} cases passed "
            f"({self.accuracy:.1%}), {self.utterances} utterances, {self.seconds:.1f}s"
        ]
        lines.extend(self.failures)
        return "\n".join(lines)


async def score(
    cases: list[Case],
    backend: Backend,
    observe: Callable[[Case, list[Observed], datetime], None] | None = None,
) -> Score:
    result = Score()
    started = time.perf_counter()
    for case in cases:
        result.total += 1
        result.utterances += case.utterances
        try:
            observed, now = await backend(case)
        except Exception as error:  # noqa: BLE001 - one broken case must not hide the rest
            result.failures.append(f"- {case.id}: crashed: {type(error).__name__}: {error}")
            continue
        problems = []
        for i, (turn, seen) in enumerate(zip(case.turns, observed, strict=False)):
            for problem in check_turn(turn, seen, now):
                problems.append(f"turn {i + 1} ({turn.say or turn.decide!r}): {problem}")
        problems += check_case(case, observed, now)
        if observe is not None:
            observe(case, observed, now)
        if len(observed) < len(case.turns):
            problems.append(f"only {len(observed)} of {len(case.turns)} turns ran")
        if problems:
            result.failures.append(f"- {case.id}: " + "; ".join(problems))
        else:
            result.passed += 1
    result.seconds = time.perf_counter() - started
    return result
