"""What the current piece of work is, for logs and metrics, carried by contextvars.

Contextvars follow the work wherever it goes in asyncio (a task copies its creator's
context), so a line logged deep in the agent loop still carries the request id that the web
middleware bound, and a tool call made during a Slack event is counted in the metrics of the
app that received the event, without passing either through every signature.
"""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coworker.observability.metrics import Metrics

request_id: ContextVar[str | None] = ContextVar("coworker_request_id", default=None)
conversation_id: ContextVar[str | None] = ContextVar("coworker_conversation_id", default=None)
user: ContextVar[str | None] = ContextVar("coworker_user", default=None)  # hashed, never raw
channel: ContextVar[str | None] = ContextVar("coworker_channel", default=None)
metrics: ContextVar[Metrics | None] = ContextVar("coworker_metrics", default=None)
# None: the process default from `logs.configure`; an app binds its own setting per request.
log_content: ContextVar[bool | None] = ContextVar("coworker_log_content", default=None)

_USER_HASH_DOMAIN = b"dialsheet-coworker:user:"


def hash_user(user_id: str) -> str:
    """A stable pseudonym for a user id: logs can be grouped by person without naming them.

    The ids are the store's random ids, so a plain (domain-separated) SHA-256 cannot be
    reversed; an operator who knows an id finds that person's lines with this function.
    """
    return hashlib.sha256(_USER_HASH_DOMAIN + user_id.encode()).hexdigest()[:16]


def bind(
    *,
    conversation: str | None = None,
    user_id: str | None = None,
    channel_name: str | None = None,
) -> None:
    """Attach ids to the current context (the rest of this task, and tasks it starts)."""
    if conversation is not None:
        conversation_id.set(conversation)
    if user_id is not None:
        user.set(hash_user(user_id))
    if channel_name is not None:
        channel.set(channel_name)
