"""Rows to the JSON shapes of the contract.

The contract's schema for a row's kind (named as the table's class: `Lead`, `Sms`, ...) lists
the fields and their order, so a field added to the contract and the table needs no code here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from coworker.dialsheet.contract import load_contract
from coworker.sandbox import tables as t


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


@cache
def _properties(kind: str) -> tuple[tuple[str, bool], ...]:
    """Each field of `kind`'s schema, and whether it is a list."""
    schema = load_contract().document["components"]["schemas"][kind]
    return tuple((name, spec.get("type") == "array") for name, spec in schema["properties"].items())


def _json(value: Any, is_list: bool) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if is_list:
        return list(value or [])
    return value


def record(row: t.Base) -> dict[str, Any]:
    """`row` as the contract shows it."""
    return {
        name: _json(getattr(row, name), is_list)
        for name, is_list in _properties(type(row).__name__)
    }
