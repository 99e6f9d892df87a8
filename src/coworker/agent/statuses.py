"""The states of a pending action, and the status filters a person may ask for.

Declared here, in a module that imports nothing heavy, so the `coworker` command can name
them in its help at start-up, the web API in its 422, and the store in its queries: one
list, the same everywhere (`coworker actions list --status`, `GET /api/actions?status=`).
"""

from __future__ import annotations

from typing import Literal, get_args

# A PendingAction's states (docs/ARCHITECTURE.md), in the order they can happen.
ActionStatus = Literal[
    "pending",
    "executing",
    "succeeded",
    "failed",
    "unknown",
    "stale",  # approved, but what it would act on changed since the card: never executed
    "rejected",
    "expired",
    "superseded",
]
ACTION_STATUSES: tuple[str, ...] = get_args(ActionStatus)

ALL = "all"  # no filter: every status
STATUS_CHOICES: tuple[str, ...] = (*ACTION_STATUSES, ALL)


def status_help() -> str:
    """The valid filters in words, for help texts and errors."""
    return ", ".join(STATUS_CHOICES[:-1]) + f" or {ALL}"
