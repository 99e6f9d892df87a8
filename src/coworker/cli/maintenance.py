"""`coworker db upgrade` and `coworker eval`: the commands an operator or CI runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coworker.cli.app import app, db_app
from coworker.config import get_settings


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (start-up does this too)."""
    from coworker.store.engine import database_url
    from coworker.store.migrate import upgrade_sync

    url = database_url(get_settings())
    upgrade_sync(url)
    typer.echo("database is up to date")


@app.command("eval")
def eval_command(
    cases: Annotated[
        Path | None,
        typer.Option("--cases", help="A case file or directory (default: evals/cases)."),
    ] = None,
    tags: Annotated[
        list[str] | None, typer.Option("--tags", help="Only cases with any of these tags.")
    ] = None,
    model: str | None = typer.Option(
        None, "--model", help="'offline', or a Claude model id (default: Claude with a key)."
    ),
    trials: int = typer.Option(1, "--trials", help="Trials per case: pass^1 ... pass^k."),
    concurrency: int = typer.Option(4, "--concurrency", help="Trials run at once."),
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Write the report as JSON.")
    ] = None,
    markdown_path: Annotated[
        Path | None, typer.Option("--markdown", help="... and as Markdown.")
    ] = None,
    min_pass: float | None = typer.Option(
        None, "--min-pass", help="Exit 1 when pass^1 is below this fraction (0.8 = 80%)."
    ),
    record: Annotated[
        Path | None, typer.Option("--record", help="Keep a Claude run in a file.")
    ] = None,
    replay: Annotated[
        Path | None, typer.Option("--replay", help="Replay a kept run, offline.")
    ] = None,
    max_wrong_writes: int | None = typer.Option(
        None, "--max-wrong-writes", help="Exit 1 when more CRM writes than this were unexpected."
    ),
) -> None:
    """Run the eval suite and report pass^k, safety and cost (exit 3 on a safety violation)."""
    from coworker.evals.command import EvalOptions
    from coworker.evals.command import main as run_evals

    options = EvalOptions(
        cases,
        tags,
        model,
        trials,
        concurrency,
        json_path,
        markdown_path,
        min_pass,
        record,
        replay,
        max_wrong_writes,
    )
    code = run_evals(options, get_settings())
    if code:
        raise typer.Exit(code)
