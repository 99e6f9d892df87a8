"""The pipeline and activity answers as tables in the terminal (#18 item 3).

`coworker chat` in a real process with piped input and the offline model, as on a
newcomer's machine: "how's my pipeline?" prints aligned columns whose numbers are the
CRM's (its SQLite file, read here), then the reply; "what did I do yesterday?" a row per
kind. At a terminal the same rows are a rich table.
"""

from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path

from rich.console import Console

from coworker.channels.cli_tables import show_table
from coworker.dialsheet.words import word
from coworker.sandbox.seed import DEMO_USERS
from coworker.tools.derived.figures import KIND_WORDS, Figure, FigureRow, money
from tests.channels.test_cli_terminal import chat, env_for

ALEX = DEMO_USERS[0]


def stage_totals(tmp_path: Path) -> dict[str, tuple[int, int, int, int]]:
    """Each stage's word: my deals and value, the organisation's deals and value."""
    with sqlite3.connect(tmp_path / "sandbox.db") as db:
        rows = db.execute(
            "SELECT stage, SUM(owner_id = ?), SUM(CASE WHEN owner_id = ? THEN value ELSE 0 END),"
            " COUNT(*), SUM(value) FROM opportunities WHERE org_id = ? GROUP BY stage",
            (ALEX.id, ALEX.id, ALEX.org_id),
        ).fetchall()
    return {word(stage): (int(a), int(b), int(c), int(d)) for stage, a, b, c, d in rows}


def test_piped_chat_prints_the_pipeline_and_activity_as_aligned_tables(tmp_path: Path) -> None:
    out = chat(["how's my pipeline?", "what did I do yesterday?", "exit"], env_for(tmp_path))
    lines = out.splitlines()
    start = lines.index("Pipeline by stage: yours and the team's")
    header = re.split(r"\s{2,}", lines[start + 1])
    assert header == ["Stage", "Yours: deals", "Yours: value", "Team: deals", "Team: value"]
    totals = stage_totals(tmp_path)
    shown = lines[start + 2 : start + 2 + len(totals)]
    for line in shown:
        stage, numbers = line[:14].strip(), line[14:].split()
        mine, my_value, team, team_value = totals[stage]
        assert numbers == [str(mine), money(my_value, "USD"), str(team), money(team_value, "USD")]
    assert {line[:14].strip() for line in shown} == set(totals)
    assert len({len(line) for line in [lines[start + 1], *shown]}) == 1  # columns line up
    reply = next(i for i, line in enumerate(lines) if line.startswith("Your pipeline:"))
    assert reply > start + len(totals)  # the table, then the reply

    activity = lines.index(next(line for line in lines if line.startswith("Your activity, ")))
    assert lines[activity + 1].split() == ["Activity", "Yours"]
    kinds = [line[:14].strip() for line in lines[activity + 2 : activity + 2 + len(KIND_WORDS)]]
    assert kinds == list(KIND_WORDS.values())
    calls = lines[activity + 2].split()[-1]
    assert f"- {calls} calls" in out  # the reply says what the table shows


def test_at_a_terminal_the_rows_are_a_rich_table() -> None:
    figure = Figure(
        "pipeline",
        "Pipeline by stage: yours and the team's",
        "USD",
        ("yours", "team"),
        (
            FigureRow("Proposal", 2, 1500.0, "yours"),
            FigureRow("Proposal", 3, 2500.5, "team"),
            FigureRow("Closed won", 1, 900.0, "team"),
        ),
    )
    out = io.StringIO()
    show_table(figure, Console(file=out, force_terminal=True, width=100, color_system=None))
    text = out.getvalue()
    assert "┃ Stage" in text and "Yours: value" in text
    assert "│ Proposal   │            2 │       $1,500 │           3 │   $2,500.50 │" in text
    assert "│ Closed won │            0 │           $0 │           1 │        $900 │" in text
