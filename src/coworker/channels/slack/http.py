"""POST /slack/events: event callbacks acked as soon as their signature checks out.

Bolt acks an Events API request only after its middleware chain has run (authorization,
matching, ~1 ms of work a request). Under a burst of events that work queues up in front of
every ack. Here an `event_callback` whose signature is valid is answered 200 at once, and
bolt dispatches it right after, verifying it again as it always does; its listeners run
the same way as before. Everything else — url_verification, buttons, modals, whose answer
Slack reads — goes through bolt, which answers. A bad or stale signature is a 401 either way.
"""

from __future__ import annotations

import asyncio
import json
import logging
from contextlib import suppress

from slack_bolt.adapter.starlette.async_handler import (
    AsyncSlackRequestHandler,
    to_async_bolt_request,
)
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request
from starlette.responses import Response

log = logging.getLogger("coworker.slack")

SHUTDOWN_GRACE_S = 10.0  # acked events still being dispatched get this long to reach bolt


class EventsEndpoint:
    def __init__(self, app: AsyncApp, signing_secret: str | None) -> None:
        self.app = app
        self.bolt = AsyncSlackRequestHandler(app)
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self.pending: set[asyncio.Task[None]] = set()

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        if self.verifier is not None and _is_event_callback(body):
            if not _signed(self.verifier, body, dict(request.headers)):
                return Response(status_code=401)
            task = asyncio.create_task(self._dispatch(request, body), name="slack-event")
            self.pending.add(task)
            task.add_done_callback(self.pending.discard)
            return Response(status_code=200)
        return await self.bolt.handle(request)

    async def _dispatch(self, request: Request, body: bytes) -> None:
        try:
            answer = await self.app.async_dispatch(to_async_bolt_request(request, body))
        except Exception:  # the event was acked; the log is where a failure can go
            log.exception("slack: an acked event failed in dispatch")
            return
        if answer.status >= 400:
            log.warning("slack: bolt answered %s to an acked event", answer.status)

    async def aclose(self) -> None:
        """Let acked events reach their listeners (bounded); the listeners' own work is
        drained by the channel (`context.InFlight`)."""
        if not self.pending:
            return
        _, unfinished = await asyncio.wait(set(self.pending), timeout=SHUTDOWN_GRACE_S)
        for task in unfinished:
            task.cancel()
        for task in unfinished:
            with suppress(asyncio.CancelledError):
                await task


def _signed(verifier: SignatureVerifier, body: bytes, headers: dict[str, str]) -> bool:
    try:
        return verifier.is_valid_request(body, headers)
    except ValueError:  # a timestamp that is not a number
        return False


def _is_event_callback(body: bytes) -> bool:
    if not body.startswith(b"{"):
        return False  # buttons and modals come form-encoded
    try:
        return bool(json.loads(body).get("type") == "event_callback")
    except (ValueError, AttributeError):
        return False
