"""`coworker feedback export`: every person's thumbs up and down, newest first, with the turn
each rates (model, tools, the reply), for a team to review bad answers and turn them into
eval cases (`evals/cases`)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import typer

from coworker.cli.app import fail, feedback_app, run_as_local_user

if TYPE_CHECKING:
    from coworker.agent.feedback import FeedbackRecord
    from coworker.runtime import Runtime
    from coworker.store.records import UserRecord

REPLY_SHOWN = 200  # characters of a reply the table shows (--json has all of it)
# C0 (but newline and tab), DEL and C1: a reply quotes CRM text anyone may have written (a
# lead's name from a web form), which must reach the reviewer's terminal as text, never as
# an escape sequence that retitles, clears or rewrites it. Shown as `\x1b`.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def parse_since(value: str) -> datetime:
    """An ISO date (the start of that day, UTC) or date-time (UTC unless it says)."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(
            f"--since {value!r} is not an ISO date (2026-12-01) or date-time "
            "(2026-12-01T09:30:00+01:00)",
            2,
        )
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@feedback_app.command("export")
def feedback_export(
    since: str | None = typer.Option(
        None, "--since", help="Only presses from this ISO date (or date-time, UTC) on."
    ),
    rating: str | None = typer.Option(None, "--rating", help="Only 'up' or only 'down'."),
    as_json: bool = typer.Option(
        False, "--json", help="A JSON array with every field, the whole reply included."
    ),
) -> None:
    """Export everyone's feedback on replies, newest first: a table, or JSON."""
    from coworker.agent import feedback

    start = None if since is None else parse_since(since)
    if rating is not None and rating not in feedback.RATINGS:
        fail(f"--rating {rating!r} is not one of: {', '.join(feedback.RATINGS)}", 2)

    async def work(runtime: Runtime, _: UserRecord) -> int:
        records = await feedback.export(runtime.store, since=start, rating=rating)
        if as_json:
            from coworker.channels import cli_chat

            typer.echo(cli_chat.dumps([r.as_dict() for r in records]))
        else:
            _print_table(records)
        return 0

    run_as_local_user(work)


def _print_table(records: list[FeedbackRecord]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    if not records:
        console.print("No feedback yet.")
        return
    table = Table(show_lines=True)
    for column in ("When (UTC)", "Who", "Rating", "Channel", "Model", "Tools", "Reply", "Reply id"):
        table.add_column(column, overflow="fold")
    for record in records:
        reply = record.reply
        if len(reply) > REPLY_SHOWN:
            reply = reply[:REPLY_SHOWN].rstrip() + "…"
        cells = (
            record.updated_at.strftime("%Y-%m-%d %H:%M"),
            record.user,
            record.rating,
            record.channel,
            record.model,
            ", ".join(record.tools) or "-",
            reply,
            f"{record.conversation_id}:{record.reply_id}",
        )
        # Text, never markup: a reply saying "[bold]" is shown as written.
        row = [Text(_printable(cell)) for cell in cells]
        row[2].stylize("green" if record.rating == "up" else "red")
        table.add_row(*row)
    console.print(table)
    downs = sum(record.rating == "down" for record in records)
    console.print(f"{len(records)} presses, {downs} down.")


def _printable(cell: str) -> str:
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", cell)
