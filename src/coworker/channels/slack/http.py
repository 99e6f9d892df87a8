"""POST /slack/events: event callbacks acked as soon as their signature checks out.

Bolt acks an Events API request only after its middleware chain has run (authorization,
matching, ~1 ms of work a request). Under a burst of events that work queues up in front of
every ack. Here an `event_callback` whose signature is valid is answered 200 at once, and
bolt dispatches it right after, verifying it again as it always does; its listeners run
the same way as before. Everything else — url_verification, buttons, modals, whose answer
Slack reads — goes through bolt, which answers. A bad or stale signature is a 401 either way;
a signed body of a shape Slack never sends (an array, a `payload` that is not an object...)
is a 400 in the error shape, checked before bolt parses it (`shape`).
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from slack_bolt.adapter.starlette.async_handler import (
    AsyncSlackRequestHandler,
    to_async_bolt_request,
)
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from coworker.channels.slack import shape

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
        if self.verifier is not None and not _signed(self.verifier, body, dict(request.headers)):
            # Checked before anything parses the body (bolt parses first, then verifies): an
            # unsigned body, however deep or malformed, is a 401 and never reaches a parser.
            return JSONResponse({"error": "invalid or missing Slack signature"}, status_code=401)
        if self.verifier is not None:
            # Signed: whatever bolt could not read (an array, a `payload` that is not an
            # object, a `user` that is a list...) is refused here, before bolt's middleware
            # would raise on it and answer 500 (see `shape`).
            payload = shape.parse(body, request.headers.get("content-type"))
            problem = payload if isinstance(payload, str) else shape.fields_error(payload)
            if problem is not None:
                return JSONResponse(
                    {"error": f"not a Slack request Slack sends: {problem}"}, status_code=400
                )
            if not isinstance(payload, str) and payload.get("type") == "event_callback":
                task = asyncio.create_task(self._dispatch(request, body), name="slack-event")
                self.pending.add(task)
                task.add_done_callback(self.pending.discard)
                return Response(status_code=200)
        try:
            return await self.bolt.handle(request)
        except Exception:
            # Bolt answers its listeners' failures itself; what escapes is its parsing of a
            # body of a shape Slack never sends (signed, so a misbehaving client): a 400.
            log.warning("slack: bolt could not handle a signed request", exc_info=True)
            return JSONResponse({"error": "this Slack payload cannot be handled"}, status_code=400)

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
