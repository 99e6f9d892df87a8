"""The rows a pipeline or activity report is drawn with: one place that reads a report's JSON
(the tool result every channel gets) into typed rows, and lays them out as a table.

Slack (`channels/slack/tables.py`) and the terminal (`channels/cli_tables.py`) draw these
rows; the widget (`web/chat/charts.js`) reads the same fields of the same JSON, with the
activity kinds' words from `GET /api/widget` (`KIND_WORDS`), so a number reads the same
everywhere and every figure says whose it is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coworker.tools.derived.activity import KINDS

KIND_WORDS: dict[str, str] = {
    "calls": "Calls",
    "emails": "Emails",
    "sms": "SMS",
    "notes": "Notes",
    "tasks_done": "Tasks done",
    "tasks_created": "Tasks created",
    "deals_moved": "Deals moved",
}

SIDE_WORDS = {"yours": "Yours", "team": "Team"}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


@dataclass(frozen=True, slots=True)
class FigureRow:
    label: str  # the stage's word ("Closed won") or the kind's ("Tasks done")
    count: int
    value: float | None  # money for a stage; None for activity
    whose: str  # "yours" or "team"


@dataclass(frozen=True, slots=True)
class Figure:
    report: str  # "pipeline" or "activity"
    title: str
    currency: str | None
    sides: tuple[str, ...]  # the columns' owners, "yours" first
    rows: tuple[FigureRow, ...]
    note: str | None = None

    def labels(self) -> list[str]:
        return list(dict.fromkeys(row.label for row in self.rows))

    def cell(self, label: str, whose: str) -> FigureRow | None:
        return next((r for r in self.rows if r.label == label and r.whose == whose), None)


def money(value: float, currency: str | None) -> str:
    code = (currency or "").upper()
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
    symbol = SYMBOLS.get(code)
    if symbol:
        return f"{symbol}{text}"
    return f"{text} {code}" if code and code != "MIXED" else text


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _stages(side: Any, whose: str) -> list[FigureRow]:
    stages = side.get("by_stage") if isinstance(side, Mapping) else None
    rows = []
    for stage in stages if isinstance(stages, list) else []:
        if not isinstance(stage, Mapping):
            continue
        count, value = _number(stage.get("deals")), _number(stage.get("value"))
        if isinstance(stage.get("stage"), str) and count is not None and value is not None:
            rows.append(FigureRow(str(stage["stage"]), int(count), value, whose))
    return rows


def _pipeline(data: Mapping[str, Any]) -> Figure:
    # Without the person's CRM user, "yours" is the team's: one side, said to be the team's.
    known = "note" not in data
    sides = ("yours", "team") if known else ("team",)
    rows = [row for whose in sides for row in _stages(data.get(whose), whose)]
    currency = str(data.get("currency") or "USD")
    title = "Pipeline by stage: yours and the team's" if known else "The team's pipeline by stage"
    if currency.lower() == "mixed":
        title += " (mixed currencies)"
    return Figure("pipeline", title, currency, sides, tuple(rows), data.get("note"))


def _activity(data: Mapping[str, Any]) -> Figure:
    given = data.get("counts")
    counts: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    team = str(data.get("whose", "")).startswith("the team")
    whose = "team" if team else "yours"
    rows = [
        FigureRow(KIND_WORDS[kind], int(number), None, whose)
        for kind in KINDS
        if (number := _number(counts.get(kind))) is not None
    ]
    first, last = data.get("from"), data.get("to")
    span = f"{first}" if first == last else f"{first} to {last}"
    period = str(data.get("period") or "").replace("_", " ")
    owner = "The team's" if team else "Your"
    title = f"{owner} activity, " + (span if period == "range" else f"{period} ({span})")
    return Figure("activity", title, None, (whose,), tuple(rows), data.get("yours_only"))


def figure_of(output: Any) -> Figure | None:
    """The figure a tool result draws, or None when it is not a pipeline or activity report.

    `output` is the result as a channel has it: the JSON text of a tool result, or parsed.
    """
    if isinstance(output, str):
        try:
            output = json.loads(output)
        except ValueError:
            return None
    if not isinstance(output, Mapping):
        return None
    if output.get("report") == "pipeline":
        figure = _pipeline(output)
    elif output.get("report") == "activity":
        figure = _activity(output)
    else:
        return None
    return figure if figure.rows else None


def table_of(figure: Figure) -> tuple[list[str], list[list[str]]]:
    """The figure as a header and rows of text: the first column the stage or kind, then
    for each side its deals and value (pipeline) or its count (activity)."""
    if figure.report == "pipeline":
        header = ["Stage"]
        for whose in figure.sides:
            header += [f"{SIDE_WORDS[whose]}: deals", f"{SIDE_WORDS[whose]}: value"]
    else:
        header = ["Activity", SIDE_WORDS[figure.sides[0]]]
    body = []
    for label in figure.labels():
        line = [label]
        for whose in figure.sides:
            row = figure.cell(label, whose)
            line.append(str(row.count) if row else "0")
            if figure.report == "pipeline":
                value = row.value if row and row.value is not None else 0.0
                line.append(money(value, figure.currency))
        body.append(line)
    return header, body
