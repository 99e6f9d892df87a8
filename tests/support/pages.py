"""Every record of a CRM list, page by page: what a test reads to see the whole of a list.

The client has no pager of its own: the coworker never lists everything (summaries page
with their own bounds), so only tests need one.
"""

from __future__ import annotations

from typing import Any

from coworker.dialsheet.client import DialsheetClient


async def every(
    client: DialsheetClient,
    operation_id: str,
    key: str,
    arguments: dict[str, Any] | None = None,
    *,
    limit: int = 100,
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        data = await client.call(operation_id, {**(arguments or {}), "page": page, "limit": limit})
        items: list[dict[str, Any]] = data[key]
        found.extend(items)
        if len(items) < limit or page * limit >= data["total"]:
            return found
        page += 1
