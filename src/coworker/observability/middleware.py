"""The web app's request context: an id per request, the app's metrics, one access line.

A pure ASGI middleware (not Starlette's BaseHTTPMiddleware, which would buffer streamed
replies): it takes the caller's `X-Request-ID` when it is a sane token (a proxy's or the
widget's, so a complaint can be traced end to end) or makes one, echoes it on the response,
binds it with the channel, the app's metrics and its content setting for everything the
request runs, counts 5xx answers, and logs one line per request without its query string.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coworker.observability import context, record
from coworker.observability.logs import content_enabled, log_fields
from coworker.observability.metrics import Metrics

log = logging.getLogger("coworker.http")

REQUEST_ID_HEADER = "x-request-id"
_SANE_ID = re.compile(r"[A-Za-z0-9._:/+=-]{1,128}")
_CHANNELS = {"api": "web", "slack": "slack", "mcp": "mcp"}
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})  # probes and scrapes: DEBUG
_VARS: tuple[ContextVar[Any], ...] = (
    context.request_id,
    context.conversation_id,
    context.user,
    context.channel,
    context.metrics,
    context.log_content,
)


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _SANE_ID.fullmatch(candidate):
                return candidate
    return uuid.uuid4().hex


def _channel(path: str) -> str | None:
    return _CHANNELS.get(path.lstrip("/").split("/", 1)[0])


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: Metrics, log_content: bool) -> None:
        self.app = app
        self.metrics = metrics
        self.log_content = log_content

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        saved = [var.get() for var in _VARS]  # in-process callers share our task: restore
        request_id = _request_id(scope)
        context.request_id.set(request_id)
        context.metrics.set(self.metrics)
        context.log_content.set(self.log_content)
        path: str = scope.get("path", "")
        channel = _channel(path)
        if channel is not None:
            context.channel.set(channel)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if status >= 500:
                record.error("http_5xx")
            self._access_line(scope, path, status, time.perf_counter() - started)
            for var, value in zip(_VARS, saved, strict=True):
                var.set(value)

    def _access_line(self, scope: Scope, path: str, status: int, seconds: float) -> None:
        fields: dict[str, Any] = {
            "method": scope.get("method"),
            "path": path,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
        }
        query = scope.get("query_string", b"")
        if query and content_enabled():  # search terms and filters are content
            fields["query"] = query.decode("latin-1")
        level = logging.DEBUG if path in _QUIET_PATHS else logging.INFO
        log.log(level, "request", extra=log_fields(**fields))
