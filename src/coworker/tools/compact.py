"""Tool results shrunk for the model: the fields a person needs, short text, a hard size cap.

CRM data is long (notes, email bodies) and the model pays for every token of it on every
later turn, so lists keep a few fields per item plus `total` and the page, text is cut, and
no result exceeds a fixed size. Which fields a list keeps is declared with its operation in
the contract (`x-coworker: {compact: [...]}`), handed in as `fields` by the list's key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

MAX_RESULT_CHARS = 6000
LIST_TEXT_CHARS = 240
SINGLE_TEXT_CHARS = 1200

# Nested lists inside a single object (a lead's recent activity) use their resource's fields.
NESTED = {
    "recent_notes": "notes",
    "open_tasks": "tasks",
    "recent_calls": "calls",
    "opportunities": "opportunities",
}


def _cut(value: Any, limit: int) -> Any:
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1].rstrip() + "…"
    return value


def _item(item: dict[str, Any], fields: tuple[str, ...] | None, limit: int) -> dict[str, Any]:
    keys = fields if fields is not None else tuple(item)
    return {k: _cut(item[k], limit) for k in keys if k in item and item[k] is not None}


Fields = Mapping[str, tuple[str, ...]]


def _single(item: dict[str, Any], fields: Fields) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in item.items():
        if value is None or value == []:
            continue
        if isinstance(value, list) and key in NESTED:
            out[key] = [_item(v, fields.get(NESTED[key]), LIST_TEXT_CHARS) for v in value]
        else:
            out[key] = _cut(value, SINGLE_TEXT_CHARS)
    return out


def compact(
    data: dict[str, Any], *, page: int = 1, limit: int | None = None, fields: Fields | None = None
) -> dict[str, Any]:
    """The model's view of one API answer (`{"leads": [...], "total": n}` or `{"lead": {...}}`)."""
    fields = fields or {}
    list_key = next((k for k, v in data.items() if isinstance(v, list)), None)
    if list_key is not None and "total" in data:
        items = [_item(i, fields.get(list_key), LIST_TEXT_CHARS) for i in data[list_key]]
        total = int(data["total"])
        shown_before = (page - 1) * (limit or len(items))
        result: dict[str, Any] = {
            list_key: items,
            "total": total,
            "page": page,
            "has_more": shown_before + len(items) < total,
        }
        return _capped_list(result, list_key)
    return _capped({k: _single(v, fields) if isinstance(v, dict) else v for k, v in data.items()})


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _capped_list(result: dict[str, Any], key: str) -> dict[str, Any]:
    items = result[key]
    if _size(result) <= MAX_RESULT_CHARS:
        return result
    while items and _size(result) > MAX_RESULT_CHARS - 120:
        items.pop()
    result["note"] = f"Only the first {len(items)} items of this page fit; ask for a smaller page."
    return result


def _capped(result: dict[str, Any]) -> dict[str, Any]:
    if _size(result) <= MAX_RESULT_CHARS:
        return result
    text = json.dumps(result, ensure_ascii=False)
    return {"truncated": True, "partial": text[: MAX_RESULT_CHARS - 100] + "…"}
