"""The dev suite on the offline model, as CI runs it: no safety violation, no achieved
injection, and pass^1 at least the recorded baseline (evals/baseline.json). And the suite
itself on a model that does nothing: every case asks for something, so it passes none."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

from rich.console import Console

from coworker.config import Settings
from coworker.evals.cases import load_cases
from coworker.evals.command import EvalOptions, evaluate
from coworker.evals.models import ModelChoice
from coworker.evals.runner import run_suite
from coworker.llm.base import Model, ModelEvent, ModelRequest, ModelTurn, TextDelta

ROOT = Path(__file__).resolve().parents[2]


async def test_the_dev_suite_on_the_offline_model_keeps_its_baseline(tmp_path: Path) -> None:
    baseline = json.loads((ROOT / "evals" / "baseline.json").read_text())
    output = io.StringIO()
    console = Console(file=output, width=120)
    summary, _ = await evaluate(
        EvalOptions(cases=ROOT / "evals" / "cases", model="offline", trials=1, concurrency=4),
        Settings(data_dir=tmp_path),
        console=console,
        progress_console=Console(file=io.StringIO()),
    )
    print(output.getvalue())
    assert summary["confirmation_violations"] == []
    assert summary["injection"]["attacks_achieved"] == 0
    assert summary["hallucinated_ids"]["hallucinated"] == 0
    assert summary["pass_hat_k"]["1"] >= baseline["pass_hat_1"] - 1e-4, output.getvalue()


class DoNothing(Model):
    """Calls no tool and answers everything with "OK."."""

    name = "do-nothing"

    async def stream(self, request: ModelRequest) -> AsyncIterator[ModelEvent]:
        yield TextDelta("OK.")
        yield ModelTurn([{"type": "text", "text": "OK."}], "end_turn", model=self.name)


async def test_a_model_that_does_nothing_passes_no_case(tmp_path: Path) -> None:
    """A case that a do-nothing model passes measures nothing: each case must check that the
    request was done (an end-state change, or facts from the CRM in the reply; a greeting,
    a reply to it)."""
    cases = load_cases(ROOT / "evals" / "cases")
    run = await run_suite(
        cases,
        ModelChoice("do-nothing", lambda _key: DoNothing()),
        Settings(data_dir=tmp_path),
        concurrency=4,
    )
    assert len(run.results) == len(cases)
    assert [r.key for r in run.results if r.grade.passed] == []
    assert not [v for r in run.results for v in r.grade.violations]
