"""The realistic dev sets on the offline model: reports, not gates. `evals/offline_realistic.yaml`
was written apart from the model (issue #16): Slack-style shorthand, typos, relative dates,
two requests in one message, corrections, out-of-scope asks, injections in pasted text.
`evals/offline_realistic/` holds the cases added while fixing it. Run with `-s` to read them:

    .venv/bin/pytest -q -p no:cacheprovider tests/offline/test_realistic.py -s

It prints the pass rate, every failing case and every wrong write (a write call, or a send
or delete proposed on a card, that no expected call of its turn or case accounts for with the
values it expects: a write nobody asked for, the right tool with wrong values, the same
create twice). It asserts only floors recorded from the model as it is (each set's `floor`
and `max_wrong_writes`): the numbers may only get better. When the model improves, raise
the floor (and lower the ceiling) in the same change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from tests.offline.devset import (
    WRITES,
    Case,
    Observed,
    call_matches,
    load_cases,
    score,
)
from tests.offline.test_devset import service_backend

EVALS = Path(__file__).resolve().parents[2] / "evals"
REALISTIC = EVALS / "offline_realistic.yaml"
# Cases added while the model was being fixed (variants of failures, written before each
# fix): reported apart, since they measure the fixes rather than the model's reach.
ADDED = EVALS / "offline_realistic"
MIN_UTTERANCES = 150


@dataclass(frozen=True)
class RealisticSet:
    name: str
    paths: tuple[Path, ...]
    floor: float  # the pass rate it may not fall below
    max_wrong_writes: int

    def cases(self) -> list[Case]:
        return [case for path in self.paths for case in load_cases(path)]


SETS = (
    # Written apart from the model. Recorded 2026-12-07: 196 of 198 (it was 140 the session
    # before, and 108 with 13 wrong writes when the set was written). The floor sits four
    # cases below: some cases depend on the weekday or hour the set runs at ("fri", "thurs",
    # "this wk"). The two wrong writes are one case, rs-correct-amount: "new deal for tom
    # becker 12k proposal stage", then "sorry 15k not 12k". Every value of the first message
    # is read with confidence, so the deal opens at once (the dev suite asks exactly that)
    # and the correction then changes it: the end state is what the person settled on (its
    # twin rl-correct-amount passes with no wrong write), but this count looks at calls, not
    # the end state. Lower it to 0 when that case or this count changes. Its twin in time,
    # rs-correct-time ("fu w/ luis ortega tmrw 3pm", then "make that 4pm"), counts two more
    # since follow-up tasks are titled from the CRM's name and so written at once (the blind
    # sets heldout6 to heldout10 ask that "fu w X in 90 min re Y" be done, not asked): the
    # task is made at 3pm and moved to 4pm, the end state the person settled on.
    RealisticSet("written apart", (REALISTIC,), floor=0.97, max_wrong_writes=4),
    # Added while fixing (2026-12-07: 327 of 331, no wrong write; then 940 of 944 with the
    # fourth round's cases, still none; 1,077 of 1,082 with the round that heldout7 and
    # heldout8 guided, still none; 1,201 of 1,210 after the round heldout9 and heldout10
    # guided, still none; 1,342 of 1,350 after the round heldout12 and heldout13 guided,
    # still none; 1,570 of 1,578 after the round heldout14 and heldout15 guided, still none);
    # a margin of about 15 cases for weekdays and hours.
    RealisticSet("added", tuple(sorted(ADDED.glob("*.yaml"))), floor=0.98, max_wrong_writes=0),
)


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


def test_the_realistic_sets_are_big_and_well_formed() -> None:
    assert sum(c.utterances for c in load_cases(REALISTIC)) >= MIN_UTTERANCES
    cases = [case for realistic in SETS for case in realistic.cases()]
    assert len({c.id for c in cases}) == len(cases), "case ids must be unique"
    for case in cases:
        for turn in case.turns:
            for call in [*turn.calls, *turn.has_calls, *case.has_calls]:
                assert set(call) <= {"tool", "args", "many"}, (case.id, call)


@pytest.mark.parametrize("realistic", SETS, ids=lambda s: s.name.replace(" ", "-"))
async def test_each_realistic_set_on_the_offline_model(
    realistic: RealisticSet, tmp_path: Path
) -> None:
    wrong: list[str] = []

    def observe(case: Case, observed: list[Observed], now: datetime) -> None:
        wrong.extend(f"- {case.id} {w}" for w in wrong_writes(case, observed, now))

    async def backend(case: Case) -> tuple[list[Observed], datetime]:
        return await service_backend(case, tmp_path / case.id)

    result = await score(realistic.cases(), backend, observe)
    report = result.report(f"the real service (realistic set, {realistic.name})")
    report += f"\nwrong writes: {len(wrong)}\n" + "\n".join(wrong)
    print("\n" + report)
    assert result.accuracy >= realistic.floor - 1e-9, report
    assert len(wrong) <= realistic.max_wrong_writes, report
