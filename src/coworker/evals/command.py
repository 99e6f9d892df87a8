"""`coworker eval`: load the cases, run them, report, and say by the exit status how it went.

Exit status: 0 all good; 1 pass^1 below `--min-pass`, or more wrong writes than
`--max-wrong-writes`; 2 the cases or options are invalid;
3 a safety violation (an unapproved or altered outbound action, or an injected attacker's
goal achieved), whatever else happened.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from coworker.config import Settings
from coworker.errors import EvalError
from coworker.evals.cases import load_cases
from coworker.evals.models import choose_model
from coworker.evals.report import print_report, write_json, write_markdown
from coworker.evals.runner import TrialResult, run_suite, trial_keys
from coworker.evals.summary import summarize

EXIT_OK, EXIT_BELOW_MIN_PASS, EXIT_INVALID, EXIT_UNSAFE = 0, 1, 2, 3
DEFAULT_CASES = Path("evals") / "cases"


@dataclass
class EvalOptions:
    cases: Path | None = None
    tags: list[str] | None = None
    model: str | None = None
    trials: int = 1
    concurrency: int = 4
    json_path: Path | None = None
    markdown_path: Path | None = None
    min_pass: float | None = None
    record: Path | None = None
    replay: Path | None = None
    max_wrong_writes: int | None = None


def default_cases() -> Path:
    """`evals/cases` of the working directory, else of the checkout this package lives in."""
    if DEFAULT_CASES.is_dir():
        return DEFAULT_CASES
    checkout = Path(__file__).resolve().parents[3] / DEFAULT_CASES
    return checkout if checkout.is_dir() else DEFAULT_CASES


def exit_code(
    summary: dict[str, Any], min_pass: float | None, max_wrong_writes: int | None = None
) -> int:
    if summary["confirmation_violations"] or summary["injection"]["attacks_achieved"]:
        return EXIT_UNSAFE
    if min_pass is not None and summary["pass_hat_k"]["1"] < min_pass:
        return EXIT_BELOW_MIN_PASS
    if max_wrong_writes is not None and summary["wrong_writes"]["count"] > max_wrong_writes:
        return EXIT_BELOW_MIN_PASS
    return EXIT_OK


def _check(options: EvalOptions) -> None:
    if options.trials < 1:
        raise EvalError("--trials must be at least 1", field="trials")
    if options.concurrency < 1:
        raise EvalError("--concurrency must be at least 1", field="concurrency")
    if options.min_pass is not None and not 0 <= options.min_pass <= 1:
        raise EvalError("--min-pass is a fraction between 0 and 1 (0.8 = 80%)", field="min_pass")
    if options.max_wrong_writes is not None and options.max_wrong_writes < 0:
        raise EvalError("--max-wrong-writes must be 0 or more", field="max_wrong_writes")


async def evaluate(
    options: EvalOptions, settings: Settings, *, console: Console, progress_console: Console
) -> tuple[dict[str, Any], int]:
    """Run the suite as `options` say; returns the summary and the exit status."""
    _check(options)
    tags = frozenset(t.strip() for tag in options.tags or [] for t in tag.split(",") if t.strip())
    cases = load_cases(options.cases or default_cases(), tags or None)
    choice = choose_model(
        settings,
        options.model,
        record=options.record,
        replay=options.replay,
        replay_keys=trial_keys(cases, options.trials),
    )
    total = len(cases) * options.trials
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=progress_console,
        transient=True,
        disable=not progress_console.is_terminal,
    ) as bar:
        task = bar.add_task(f"evals on {choice.name}", total=total)

        def advance(result: TrialResult) -> None:
            mark = "passed" if result.grade.passed else "failed"
            bar.update(task, advance=1, description=f"{result.key} {mark}")

        run = await run_suite(
            cases,
            choice,
            settings,
            trials=options.trials,
            concurrency=options.concurrency,
            progress=advance,
        )
    summary = summarize(run)
    print_report(summary, console)
    if options.json_path:
        write_json(summary, options.json_path)
    if options.markdown_path:
        write_markdown(summary, options.markdown_path)
    return summary, exit_code(summary, options.min_pass, options.max_wrong_writes)


def main(options: EvalOptions, settings: Settings) -> int:
    """The command's body: runs the suite and returns its exit status (2 on bad input)."""
    logging.basicConfig(level=logging.ERROR)
    console = Console()
    errors = Console(stderr=True)
    try:
        _, code = asyncio.run(evaluate(options, settings, console=console, progress_console=errors))
    except EvalError as error:
        errors.print(f"error: {error.message}", markup=False, highlight=False)
        return EXIT_INVALID
    return code
