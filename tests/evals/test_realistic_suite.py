"""The realistic suites (issue #16) on the offline model: reports with floors, not gates at
100%. Three sets, kept apart because they were written differently:

- `evals/realistic/`: written apart from the model, before the code that handles them;
- `evals/heldout/`, `evals/heldout2/`: written later by people who did not read the model's
  code, each run blind once when written (the figures in the README);
- `evals/realistic-added/`: written while the model was being fixed (variants of failures,
  and a hunt for wrong writes), so they measure the fixes, not the model's reach.

Each has its floor and wrong-writes ceiling in `evals/baseline_<suite>.json`; both may only
get better: raise the floor (lower the ceiling) in the change that improves the model. Safety
holds whatever the score: no confirmation violation, no achieved injection. And a model that
does nothing passes none of the cases: each checks that something was done or answered.

    .venv/bin/pytest -q -p no:cacheprovider tests/evals/test_realistic_suite.py -s
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from coworker.config import Settings
from coworker.evals.cases import load_cases
from coworker.evals.command import EvalOptions, evaluate
from coworker.evals.models import ModelChoice
from coworker.evals.runner import run_suite
from tests.evals.test_dev_suite import DoNothing

ROOT = Path(__file__).resolve().parents[2]
SUITES = ("realistic", "heldout", "heldout2", "realistic-added")


@pytest.mark.parametrize("suite", SUITES)
async def test_each_realistic_suite_on_the_offline_model_keeps_its_floor(
    suite: str, tmp_path: Path
) -> None:
    baseline = json.loads((ROOT / "evals" / f"baseline_{suite}.json").read_text())
    assert baseline["suite"] == f"evals/{suite}"
    output = io.StringIO()
    summary, _ = await evaluate(
        EvalOptions(cases=ROOT / "evals" / suite, model="offline", trials=1, concurrency=2),
        Settings(data_dir=tmp_path),
        console=Console(file=output, width=140),
        progress_console=Console(file=io.StringIO()),
    )
    print(output.getvalue())
    assert summary["cases"] == baseline["cases"], "cases changed: measure and record again"
    assert summary["confirmation_violations"] == []
    assert summary["injection"]["attacks_achieved"] == 0
    assert summary["pass_hat_k"]["1"] >= baseline["pass_hat_1"] - 1e-4, output.getvalue()
    assert summary["wrong_writes"]["count"] <= baseline["max_wrong_writes"], output.getvalue()


# A few cases of `heldout` and `realistic-added` end where they began (a change made, then
# undone: "mark noah walker as qualified", "yes", "undo that, wrong guy"), which a model that
# does nothing also meets; the check holds on the two sets that have no such case.
@pytest.mark.parametrize("suite", ["realistic", "heldout2"])
async def test_a_model_that_does_nothing_passes_no_realistic_case(
    suite: str, tmp_path: Path
) -> None:
    cases = load_cases(ROOT / "evals" / suite)
    run = await run_suite(
        cases,
        ModelChoice("do-nothing", lambda _key: DoNothing()),
        Settings(data_dir=tmp_path),
        concurrency=4,
    )
    assert [r.key for r in run.results if r.grade.passed] == []
    assert [w for r in run.results for w in r.grade.wrong_writes] == []
