"""A person's actions, a page at a time, as every channel lists them (web API, CLI).

The status filter is checked here, once, against the one list of statuses
(`statuses.STATUS_CHOICES`, which the CLI's `--status` help and the API's documentation
also name): `all` (or none) means every status, and an unknown one is refused with the
valid ones named. It used to be passed through as a filter that matched nothing:
`status=all` answered an empty list and a typo looked like "no actions".
"""

from __future__ import annotations

from coworker.agent import statuses
from coworker.agent.events import ActionView
from coworker.agent.service import Coworker
from coworker.errors import CoworkerError
from coworker.store.paging import DEFAULT_LIMIT, Page
from coworker.store.records import UserRecord

ALL = statuses.ALL


class UnknownStatus(CoworkerError):
    def __init__(self, status: str) -> None:
        super().__init__(f"status {status!r} is not one of: {statuses.status_help()}")
        self.status = status


def status_filter(status: str | None) -> str | None:
    """The status to filter on; None for every status (`all`, or nothing given: an empty
    `?status=` is no filter, as an empty setting is no setting)."""
    if status is None or status in (ALL, ""):
        return None
    if status not in statuses.ACTION_STATUSES:
        raise UnknownStatus(status)
    return status


async def page_actions(
    coworker: Coworker,
    user: UserRecord,
    *,
    status: str | None = None,
    conversation_id: str | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[ActionView]:
    """One page of the person's actions, newest first. Pending ones whose time ran out are
    closed on the way, so a page of `status=pending` can hold fewer than `limit`; keep
    going while `next_cursor` is set."""
    wanted = status_filter(status)
    page = await coworker.store.page_actions(
        user.id, conversation_id=conversation_id, status=wanted, limit=limit, cursor=cursor
    )
    views = []
    for record in page.items:
        expired = await coworker.gate.expire_if_due(record)
        if expired and wanted == "pending":
            continue
        views.append(coworker.gate.view(expired or record))
    return Page(views, page.next_cursor)
