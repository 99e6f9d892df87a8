"""How often one person may call tools over /mcp: COWORKER_RATE_LIMIT calls a minute.

The limiter is the web app's own (`app.state.rate_limiter`, the one the web chat uses),
with MCP calls counted apart from chat messages (key `mcp:<user id>`): a client's model
makes several calls for what is one message in the chat. The HTTP app leaves the limiter in
the request's scope beside the person; stdio (the local user's own process) has none.
Being over the limit is a tool error that says when to try again, which every MCP client
shows its model, rather than an HTTP 429 that many clients turn into a broken session.
"""

from __future__ import annotations

from typing import Any, Protocol

from coworker.channels.web.limits import RateLimit
from coworker.store.records import UserRecord

LIMITER_KEY = "coworker.rate_limiter"  # where the HTTP app leaves the limiter in the scope


class CallLimit(Protocol):
    """The limiter that counts `request`'s tool calls, if the transport has one."""

    def __call__(self, request: Any | None) -> RateLimit | None: ...


def scope_limiter(request: Any | None) -> RateLimit | None:
    scope = getattr(request, "scope", None) or {}
    limiter = scope.get(LIMITER_KEY)
    return limiter if isinstance(limiter, RateLimit) else None


def no_limiter(request: Any | None) -> RateLimit | None:
    return None


def limit_key(user: UserRecord) -> str:
    return f"mcp:{user.id}"
