"""Who is calling: the web API's people over HTTP, the local user over stdio.

Over HTTP the token is the web API's own (`channels/web/identity.py`): with
COWORKER_WEB_SECRET set, a JWT (`sub`, `exp`, `aud`) names the person, who is the same
`web:<sub>` user the web API knows, so an action asked for over MCP is theirs to approve
there; without it every caller is the local user. /mcp accepts both audiences; give an MCP
client a token with `"aud": "mcp"`: the web API only lets it read, so the client's model
cannot approve its own sends with it. Over stdio the person who started
`coworker mcp` is the local user, as in the terminal chat.
"""

from __future__ import annotations

from typing import Any, Protocol

from coworker.channels.web.identity import InvalidToken, bearer, read_token
from coworker.runtime import Runtime
from coworker.store.records import UserRecord

SCOPE_KEY = "coworker.user"  # where the HTTP app leaves the authenticated person


class CallerIdentity(Protocol):
    """The person a request speaks for; `request` is the transport's (None on stdio)."""

    async def __call__(self, request: Any | None) -> UserRecord: ...


async def authenticate(runtime: Runtime, authorization: str | None) -> UserRecord:
    """The person an `Authorization` header names, exactly as the web API decides it."""
    secret = runtime.settings.web_secret
    if secret is None:
        return await runtime.local_user()
    token = bearer(authorization)
    if token is None:
        raise InvalidToken("this endpoint needs Authorization: Bearer <token>")
    claims = read_token(secret.get_secret_value(), token)  # either audience works here
    return await runtime.web_user(claims.subject)


class HttpIdentity:
    """Reads the person the HTTP app authenticated before the MCP SDK saw the request."""

    async def __call__(self, request: Any | None) -> UserRecord:
        scope = getattr(request, "scope", None) or {}
        user = scope.get(SCOPE_KEY)
        if not isinstance(user, UserRecord):
            raise InvalidToken("request was not authenticated")
        return user


class LocalIdentity:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def __call__(self, request: Any | None) -> UserRecord:
        return await self.runtime.local_user()
