"""`coworker summary ...`: run the daily summaries (cron) or preview one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from coworker.cli.app import fail, find_person, run_as_local_user, summary_app

if TYPE_CHECKING:
    from coworker.runtime import Runtime
    from coworker.store.records import UserRecord


@summary_app.command("run")
def summary_run(
    user: str | None = typer.Option(None, "--user", help="Only this person (id or external id)."),
    day: str | None = typer.Option(None, "--date", help="Local date YYYY-MM-DD (default today)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print instead of claiming/sending."),
) -> None:
    """Send daily summaries now, once per person and date (for cron).

    Without --user or --date: everyone whose summary time has come today. With them: those
    people for that date, whatever the time. Runs already delivered are never redone.
    """
    from datetime import date as Date

    from coworker.summary.runs import SummaryService
    from coworker.summary.schedule import Scheduler, due_date, local_now

    try:
        wanted = Date.fromisoformat(day) if day else None
    except ValueError:
        fail(f"--date wants YYYY-MM-DD, not {day!r}")

    async def work(runtime: Runtime, local: UserRecord) -> int:
        service = SummaryService.from_runtime(runtime)
        now = service.clock()
        if user is None and wanted is None:
            everyone = await service.store.summary_users()
            people = [(p, d) for p in everyone if (d := due_date(p, now)) is not None]
        else:
            chosen = [await find_person(runtime, local, user)] if user else None
            chosen = chosen or await service.store.summary_users()
            people = [(p, wanted or local_now(p, now).date()) for p in chosen]
        if dry_run:
            for person, when in people:
                summary = await service.compose(person, when)
                typer.echo(f"--- {person.display_name or person.external_id} ({when}) ---")
                typer.echo(summary.text)
            if not people:
                typer.echo("nobody is due now")
            return 0
        if user is None and wanted is None:
            results = await Scheduler(service).tick()
        else:
            results = [await service.run(person, when) for person, when in people]
        for result in results:
            typer.echo(
                f"{result.user_id} {result.local_date}: {result.outcome}"
                + (f" ({result.error})" if result.error else "")
            )
        if not results:
            typer.echo("nobody is due now")
        return 1 if any(r.outcome == "failed" for r in results) else 0

    run_as_local_user(work)


@summary_app.command("preview")
def summary_preview(
    user: str = typer.Option("local", "--user", help="'local', a user id or an external id."),
) -> None:
    """Print USER's summary for today in the terminal (nothing is sent or recorded)."""
    from rich.console import Console
    from rich.markdown import Markdown

    from coworker.summary.runs import SummaryService

    async def work(runtime: Runtime, local: UserRecord) -> int:
        person = await find_person(runtime, local, user)
        summary = await SummaryService.from_runtime(runtime).compose(person)
        Console().print(Markdown(summary.text))
        return 0

    run_as_local_user(work)
