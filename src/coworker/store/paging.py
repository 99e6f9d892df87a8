"""Keyset paging for the store's lists: a page of at most `limit` rows and an opaque cursor.

A person with 20,000 actions must get their newest 50 as fast as someone with 50, and
without the whole list passing through the process (9.3 MB, and /healthz stalled, when
`GET /api/actions` returned everything). OFFSET would still walk every skipped row, so a
page starts after the last row of the previous one instead: the rows are ordered by
(timestamp DESC, id DESC), a unique order even when two rows share a timestamp, and the
next page is `WHERE (ts, id) < (:ts, :id)`: a range of the index on (user_id, ts, id).

The cursor is that (timestamp, id) pair, base64url-encoded with the list's name, so a
client treats it as opaque and a cursor of one list is refused by another. Anything that
does not decode is an `InvalidCursor` (a 400), never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, ColumnElement, bindparam, tuple_

from coworker.errors import CoworkerError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

_T = TypeVar("_T")


class InvalidCursor(CoworkerError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "cursor is not valid: pass back the next_cursor of the previous page unchanged"
            + (f" ({detail})" if detail else "")
        )


class InvalidLimit(CoworkerError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")


@dataclass(frozen=True, slots=True)
class Page(Generic[_T]):
    """One page of a list; `next_cursor` is None on the last page."""

    items: list[_T]
    next_cursor: str | None


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidLimit(limit)
    return limit


def encode_cursor(kind: str, at: datetime, row_id: str) -> str:
    raw = json.dumps([kind, at.astimezone(UTC).isoformat(), row_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str) -> tuple[datetime, str]:
    """The (timestamp, id) a cursor of list `kind` points after; InvalidCursor otherwise."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found, at, row_id = json.loads(raw)
        moment = datetime.fromisoformat(at)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
        raise InvalidCursor() from error
    if found != kind:
        raise InvalidCursor(f"it belongs to another list, {found!r}")
    if not isinstance(row_id, str) or moment.tzinfo is None:
        raise InvalidCursor()
    return moment, row_id


def after(at: Column[Any], row_id: Column[Any]) -> ColumnElement[bool]:
    """Rows after the cursor in (at DESC, id DESC) order, bound as `c_at` and `c_id`.

    A row-value comparison, `(at, id) < (:c_at, :c_id)`: both databases turn it into a
    range of the (user_id, at, id) index, so page 400 costs what page 1 does (spelled as
    `at < :c_at OR (at = :c_at AND id < :c_id)`, PostgreSQL filtered every row before the
    cursor instead). The parameters bind through the columns' types (naive UTC in `at`).
    """
    cursor = tuple_(bindparam("c_at", type_=at.type), bindparam("c_id", type_=row_id.type))
    return tuple_(at, row_id) < cursor


def cursor_params(kind: str, cursor: str | None) -> dict[str, Any]:
    if cursor is None:
        return {}
    at, row_id = decode_cursor(kind, cursor)
    return {"c_at": at, "c_id": row_id}


def page_of(
    kind: str, rows: Sequence[_T], limit: int, key: Callable[[_T], tuple[datetime, str]]
) -> Page[_T]:
    """A page from up to `limit + 1` rows: the extra row only says there is a next page."""
    items = list(rows[:limit])
    if len(rows) <= limit or not items:
        return Page(items, None)
    return Page(items, encode_cursor(kind, *key(items[-1])))
