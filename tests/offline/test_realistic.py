"""The realistic dev set (evals/offline_realistic.yaml) on the offline model: a report, not
a gate. Written apart from the model (issue #16): Slack-style shorthand, typos, relative
dates, two requests in one message, corrections, out-of-scope asks, injections in pasted
text. Run with `-s` to read it:

    .venv/bin/pytest -q -p no:cacheprovider tests/offline/test_realistic.py -s

It prints the pass rate, every failing case and every wrong write (a write call, or a send
or delete proposed on a card, that no expected call of its turn or case accounts for with the
values it expects: a write nobody asked for, the right tool with wrong values, the same
create twice). It asserts only floors
recorded from the model as it is (`FLOOR`, `MAX_WRONG_WRITES`): the numbers may only get
better. When the model improves, raise the floor (and lower the ceiling) in the same change.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tests.offline.devset import (
    WRITES,
    Case,
    Observed,
    call_matches,
    load_cases,
    score,
)
from tests.offline.test_devset import service_backend

REALISTIC = Path(__file__).resolve().parents[2] / "evals" / "offline_realistic.yaml"
MIN_UTTERANCES = 150
# Recorded from the offline model (2026-12-06, after #16's trust invariant and its follow-ups:
# 140 of 198 cases, 70.7%; it was 108, 54.5%, with 13 wrong writes when the set was written).
# The floor sits five cases below: some cases depend on the weekday the set runs on ("fri",
# "thurs", "end of next week"). Raise it as the model improves.
FLOOR = 0.68
# The two left are one case, rs-correct-amount: "new deal for tom becker 12k proposal stage",
# then "sorry 15k not 12k". Every value of the first message is read with confidence, so the
# deal opens at once (the dev suite's deals-create asks exactly that, in one step) and the
# correction then changes it: the end state is what the person settled on (its twin in
# evals/realistic, rl-correct-amount, passes with no wrong write), but this count, which
# looks at calls, not the end state, counts the create and the update. Lower it to 0 when
# that case or this count changes.
MAX_WRONG_WRITES = 2


def wrong_writes(case: Case, observed: list[Observed], now: datetime) -> list[str]:
    """The case's writes that no expected call accounts for, as `turn N: tool {arguments}`.
    One expected call accounts for one write; a turn's expectations first, then the case's
    (a write the case allows in any turn: at once, or after the person's "yes")."""
    shared = list(case.has_calls)
    found = []
    for index, (turn, seen) in enumerate(zip(case.turns, observed, strict=False)):
        pool = [*turn.calls, *turn.has_calls]
        for name, arguments in seen.calls:
            if name not in WRITES:
                continue
            for wanted in (pool, shared):
                match = next((w for w in wanted if call_matches(w, (name, arguments), now)), None)
                if match is not None:
                    if not match.get("many"):
                        wanted.remove(match)
                    break
            else:
                found.append(f"turn {index + 1}: {name} {arguments}")
    return found


def test_the_realistic_set_is_big_and_well_formed() -> None:
    cases = load_cases(REALISTIC)
    assert sum(c.utterances for c in cases) >= MIN_UTTERANCES
    assert len({c.id for c in cases}) == len(cases), "case ids must be unique"
    for case in cases:
        for turn in case.turns:
            for call in [*turn.calls, *turn.has_calls, *case.has_calls]:
                assert set(call) <= {"tool", "args", "many"}, (case.id, call)


async def test_the_realistic_set_on_the_offline_model(tmp_path: Path) -> None:
    wrong: list[str] = []

    def observe(case: Case, observed: list[Observed], now: datetime) -> None:
        wrong.extend(f"- {case.id} {w}" for w in wrong_writes(case, observed, now))

    async def backend(case: Case) -> tuple[list[Observed], datetime]:
        return await service_backend(case, tmp_path / case.id)

    result = await score(load_cases(REALISTIC), backend, observe)
    report = result.report("the real service (realistic set)")
    report += f"\nwrong writes: {len(wrong)}\n" + "\n".join(wrong)
    print("\n" + report)
    assert result.accuracy >= FLOOR - 1e-9, report
    assert len(wrong) <= MAX_WRONG_WRITES, report
