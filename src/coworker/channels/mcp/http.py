"""/mcp: the MCP server over streamable HTTP, behind the web API's bearer tokens.

Every request is authenticated before the SDK sees it (401 otherwise), and the person is
handed to the server in the ASGI scope, so each call runs with that person's own
Dialsheet key; beside them goes the web app's per-person rate limiter, which counts their
tool calls (`limits.py`). Stateless JSON mode: each POST stands alone, so any replica can answer it
and no session outlives a token; nothing here streams, so SSE would only add framing. A
browser's `Origin` must be one of COWORKER_ALLOWED_ORIGINS (the MCP spec's defence
against DNS rebinding); desktop and server clients send none.

The SDK's session manager needs a running task group: `serving()` runs it inside the
app's lifespan, once the runtime is open.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from coworker.channels.mcp.identity import SCOPE_KEY, HttpIdentity, authenticate
from coworker.channels.mcp.limits import LIMITER_KEY, scope_limiter
from coworker.channels.mcp.server import build_server
from coworker.channels.web.identity import InvalidToken
from coworker.channels.web.limits import RateLimit, RateLimiter
from coworker.config import Settings
from coworker.observability import context
from coworker.runtime import Runtime

PATH = "/mcp"


class McpHttpApp:
    def __init__(self, allowed_origins: frozenset[str] = frozenset()) -> None:
        self.allowed_origins = allowed_origins
        self._runtime: Runtime | None = None
        self._manager: StreamableHTTPSessionManager | None = None
        self._limiter: RateLimit | None = None  # when no app around us has one

    @classmethod
    def from_settings(cls, settings: Settings) -> McpHttpApp:
        origins = (origin.strip() for origin in settings.allowed_origins.split(","))
        return cls(frozenset(origin for origin in origins if origin))

    @asynccontextmanager
    async def serving(self, runtime: Runtime) -> AsyncIterator[None]:
        """Run the SDK's session manager for as long as the app runs (a new one each time:
        a manager runs once)."""
        server = build_server(runtime.coworker, HttpIdentity(), scope_limiter)
        manager = StreamableHTTPSessionManager(app=server, json_response=True, stateless=True)
        async with manager.run():
            self._runtime, self._manager = runtime, manager
            self._limiter = RateLimiter(runtime.settings.rate_limit_per_minute)
            try:
                yield
            finally:
                self._runtime = self._manager = self._limiter = None

    def _limiter_for(self, scope: Scope) -> RateLimit | None:
        """The web app's limiter (`app.state.rate_limiter`, the chat's), else our own."""
        state = getattr(scope.get("app"), "state", None)
        shared = getattr(state, "rate_limiter", None)
        return shared if isinstance(shared, RateLimit) else self._limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        runtime, manager = self._runtime, self._manager
        if scope["type"] != "http" or runtime is None or manager is None:
            answer = JSONResponse({"error": "the MCP endpoint is not running"}, status_code=503)
            await answer(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin and origin not in self.allowed_origins:
            forbidden = {"error": f"origin {origin} is not in COWORKER_ALLOWED_ORIGINS"}
            await JSONResponse(forbidden, status_code=403)(scope, receive, send)
            return
        try:
            user = await authenticate(runtime, headers.get("authorization"))
        except InvalidToken as error:
            refused = JSONResponse(
                {"error": error.message},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="coworker"'},
            )
            await refused(scope, receive, send)
            return
        context.bind(user_id=user.id)  # hashed, on this request's lines (the middleware's too)
        scoped = {**scope, SCOPE_KEY: user, LIMITER_KEY: self._limiter_for(scope)}
        await manager.handle_request(scoped, receive, send)
