"""The runner: every case, `trials` times, each trial in a fresh world, some at once.

Trials are independent (each has its own sandbox, store and model), so up to
`concurrency` of them run side by side on the event loop; with a remote model that is
where the time goes. Results come back in case order, whatever order they finished in.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from coworker.config import Settings
from coworker.evals.cases import Case
from coworker.evals.graders import Grade, grade
from coworker.evals.models import ModelChoice
from coworker.evals.trial import TrialRecord, run_trial
from coworker.evals.world import seed_rows


@dataclass
class TrialResult:
    record: TrialRecord
    grade: Grade

    @property
    def key(self) -> str:
        return trial_key(self.record.case, self.record.trial)


@dataclass
class RunResult:
    model: str
    trials: int
    cases: list[Case]
    results: list[TrialResult] = field(default_factory=list)
    seconds: float = 0.0
    concurrency: int = 1


def trial_key(case: Case, trial: int) -> str:
    return f"{case.id}#{trial}"


def trial_keys(cases: list[Case], trials: int) -> list[str]:
    return [trial_key(c, t) for c in cases for t in range(1, trials + 1)]


async def run_suite(
    cases: list[Case],
    choice: ModelChoice,
    settings: Settings,
    *,
    trials: int = 1,
    concurrency: int = 4,
    progress: Callable[[TrialResult], None] | None = None,
) -> RunResult:
    run = RunResult(choice.name, trials, cases, concurrency=concurrency)
    limit = asyncio.Semaphore(max(1, concurrency))
    started = time.perf_counter()
    # Every trial starts at the same moment: each sees the same day, so k trials of a case
    # are k tries at the same task, and a run that crosses midnight stays consistent.
    run_start = datetime.now(UTC).replace(microsecond=0)
    moments = {key: choice.start(key, run_start) for key in trial_keys(cases, trials)}
    for moment in dict.fromkeys(moments.values()):
        await seed_rows(moment)

    async def one(case: Case, trial: int) -> TrialResult:
        async with limit:
            key = trial_key(case, trial)
            now = moments[key]
            model = choice.make(key)
            try:
                record = await run_trial(case, trial, model, settings, now)
            finally:
                await model.aclose()
            result = TrialResult(record, grade(record))
            if progress is not None:
                progress(result)
            return result

    try:
        run.results = list(
            await asyncio.gather(
                *(one(case, trial) for case in cases for trial in range(1, trials + 1))
            )
        )
    finally:
        choice.finish()
    run.seconds = time.perf_counter() - started
    return run
