"""Slack's `table` block as docs.slack.dev documents it (Block Kit reference, "Table block"),
as the mock Web API checks it: `rows`, one to 100, each of one to 20 cells of type
`raw_text` (just its `text`) or `rich_text`; optional `column_settings`, at most 20, each an
`align` of left, center or right and an `is_wrapped` boolean; one table per message."""

from __future__ import annotations

from typing import Any

MAX_ROWS = 100
MAX_CELLS = 20


def tables_problem(blocks: list[Any]) -> str | None:
    tables = [b for b in blocks if isinstance(b, dict) and b.get("type") == "table"]
    if len(tables) > 1:
        return "only one table block per message"
    return _table(tables[0]) if tables else None


def _table(block: dict[str, Any]) -> str | None:
    if set(block) - {"type", "block_id", "rows", "column_settings"}:
        return "table: unknown field"
    rows = block.get("rows")
    if not isinstance(rows, list) or not 1 <= len(rows) <= MAX_ROWS:
        return f"table: rows, one to {MAX_ROWS}"
    for row in rows:
        if not isinstance(row, list) or not 1 <= len(row) <= MAX_CELLS:
            return f"table: a row is one to {MAX_CELLS} cells"
        for cell in row:
            if not isinstance(cell, dict) or cell.get("type") not in ("raw_text", "rich_text"):
                return "table: a cell is raw_text or rich_text"
            if cell["type"] == "raw_text" and (
                set(cell) != {"type", "text"} or not isinstance(cell["text"], str)
            ):
                return "table: a raw_text cell is its text"
    settings = block.get("column_settings", [])
    if not isinstance(settings, list) or len(settings) > MAX_CELLS:
        return f"table: column_settings, at most {MAX_CELLS}"
    for setting in settings:
        if not isinstance(setting, dict) or set(setting) - {"align", "is_wrapped"}:
            return "table: a column setting is align and is_wrapped"
        if setting.get("align", "left") not in ("left", "center", "right"):
            return "table: align is left, center or right"
        if not isinstance(setting.get("is_wrapped", False), bool):
            return "table: is_wrapped is a boolean"
    return None
