"""The body limit every HTTP surface sits behind: pure ASGI, before routing, auth or parsing.

Without it a 200 MB body to /api/chat was read whole (RSS 145 -> 731 MB) only to be
answered 401, and six at once stalled /healthz. Here a request whose Content-Length is over
its path's limit is answered 413 without reading a byte of it (the server discards the
rest as it arrives); a body of unknown length (chunked) is counted as it streams and
refused the moment it passes the limit, so no more than the limit is ever held.

A body within the limit is read here, once, and handed on unchanged. Read whole, a JSON
body is checked before any parser sees it (`jsontext`): nested deeper than MAX_JSON_DEPTH
is a 400 (json.loads would raise RecursionError, a 500 wherever it was not expected), and
text holding a lone UTF-16 surrogate is a 422 (it cannot be stored as UTF-8: saved, it
would break every later read). So every surface gets the same answers, in the project's
error shape `{"error": "..."}`, from one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coworker.guards.jsontext import (
    MAX_JSON_DEPTH,
    json_body_has_lone_surrogate,
    nesting_exceeds,
)

if TYPE_CHECKING:
    from coworker.config import Settings

CHECKED = "coworker.body_checked"  # set in the scope once a body has been through here


@dataclass(frozen=True)
class BodyLimits:
    """The most bytes a request body may have: by path prefix (the longest that matches),
    else `default`."""

    default: int
    by_prefix: Sequence[tuple[str, int]] = field(default_factory=tuple)

    @classmethod
    def from_settings(cls, settings: Settings, *, sandbox_prefix: str = "/sandbox") -> BodyLimits:
        """Per surface: the chat API (and anything else), /mcp, /slack/events, the sandbox."""
        return cls(
            settings.max_body_bytes,
            (
                ("/mcp", settings.mcp_max_body_bytes),
                ("/slack/events", settings.slack_max_body_bytes),
                (sandbox_prefix, settings.sandbox_max_body_bytes),
            ),
        )

    def for_path(self, path: str) -> int:
        best, limit = -1, self.default
        for prefix, bytes_ in self.by_prefix:
            matches = path == prefix or path.startswith(prefix.rstrip("/") + "/")
            if matches and len(prefix) > best:
                best, limit = len(prefix), bytes_
        return limit


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, limits: BodyLimits | int, max_json_depth: int = MAX_JSON_DEPTH
    ) -> None:
        self.app = app
        self.limits = limits if isinstance(limits, BodyLimits) else BodyLimits(limits)
        self.max_json_depth = max_json_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get(CHECKED):
            await self.app(scope, receive, send)  # a mounted app's body was checked outside
            return
        limit = self.limits.for_path(scope["path"])
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await _refuse(scope, receive, send, 400, "Content-Length is not a number")
                return
            if length > limit:
                await _refuse(scope, receive, send, 413, _too_large(limit))
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left: nobody to answer
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refuse(scope, receive, send, 413, _too_large(limit))
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        problem = self._json_problem(body, headers.get("content-type", ""))
        if problem is not None:
            await _refuse(scope, receive, send, *problem)
            return
        scope[CHECKED] = True
        await self.app(scope, _replay(body, receive), send)

    def _json_problem(self, body: bytes, content_type: str) -> tuple[int, str] | None:
        """400 for JSON too deep to parse safely, 422 for text that cannot be stored."""
        start = body.lstrip()[:1]
        if start not in (b"{", b"[") and "json" not in content_type.lower():
            return None  # not JSON (forms are Slack's: its signature is checked first)
        if nesting_exceeds(body, self.max_json_depth):
            return 400, f"JSON nested deeper than {self.max_json_depth} levels"
        if json_body_has_lone_surrogate(body):
            return 422, (
                "text with a lone UTF-16 surrogate (such as \\ud800) cannot be stored as "
                "UTF-8; send valid Unicode text"
            )
        return None


def _too_large(limit: int) -> str:
    return f"request body is larger than this endpoint's limit of {limit} bytes"


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read here, as one message; then the client's own messages (disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
    await JSONResponse({"error": message}, status_code=status)(scope, receive, send)
