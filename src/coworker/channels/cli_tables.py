"""A pipeline or activity answer as a table in the terminal: a rich table at a terminal,
plain aligned columns into a pipe (what a script or `less` reads). The rows are
`tools/derived/figures.py`'s, shared with Slack."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from coworker.tools.derived.figures import Figure, table_of


def plain_table(figure: Figure) -> str:
    """The title, then the header and rows in columns: the first left, numbers right."""
    header, body = table_of(figure)
    rows = [header, *body]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]
    if figure.note:
        lines.append(figure.note)
    return "\n".join([figure.title, *lines])


def rich_table(figure: Figure) -> Table:
    header, body = table_of(figure)
    table = Table(title=figure.title, title_justify="left", caption=figure.note)
    for i, name in enumerate(header):
        table.add_column(name, justify="left" if i == 0 else "right", no_wrap=i > 0)
    for row in body:
        table.add_row(*row)
    return table


def show_table(figure: Figure, console: Console) -> None:
    if console.is_terminal:
        console.print(rich_table(figure))
    else:
        console.print(plain_table(figure), markup=False, highlight=False, soft_wrap=True)
    console.print()
