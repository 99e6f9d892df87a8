"""/mcp: the MCP server over streamable HTTP, behind the web API's bearer tokens.

Every request is authenticated before the SDK sees it (401 otherwise), and the person is
handed to the server in the ASGI scope, so each call runs with that person's own
Dialsheet key. Stateless JSON mode: each POST stands alone, so any replica can answer it
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
from coworker.channels.mcp.results import web_api_help
from coworker.channels.mcp.server import build_server
from coworker.channels.web.identity import InvalidToken
from coworker.config import Settings
from coworker.runtime import Runtime

PATH = "/mcp"


class McpHttpApp:
    def __init__(self, allowed_origins: frozenset[str] = frozenset()) -> None:
        self.allowed_origins = allowed_origins
        self._runtime: Runtime | None = None
        self._manager: StreamableHTTPSessionManager | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> McpHttpApp:
        origins = (origin.strip() for origin in settings.allowed_origins.split(","))
        return cls(frozenset(origin for origin in origins if origin))

    @asynccontextmanager
    async def serving(self, runtime: Runtime) -> AsyncIterator[None]:
        """Run the SDK's session manager for as long as the app runs (a new one each time:
        a manager runs once)."""
        server = build_server(runtime.coworker, HttpIdentity(), web_api_help)
        manager = StreamableHTTPSessionManager(app=server, json_response=True, stateless=True)
        async with manager.run():
            self._runtime, self._manager = runtime, manager
            try:
                yield
            finally:
                self._runtime = self._manager = None

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
        await manager.handle_request({**scope, SCOPE_KEY: user}, receive, send)
