"""The bolt `AsyncApp`: verified requests in, listeners registered, the runtime plugged in.

Every request's signature is checked (401 otherwise); event callbacks are acked before any
work (`http.EventsEndpoint`), so Slack never retries for a timeout; buttons ack first, then
work.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from coworker.channels.slack import approvals, batch, feedback, home, sessions, summary
from coworker.channels.slack.context import SlackContext, web_client
from coworker.channels.slack.events import handle_message_event
from coworker.channels.slack.http import EventsEndpoint
from coworker.config import Settings
from coworker.errors import ConfigError
from coworker.observability.context import bind
from coworker.runtime import Runtime

log = logging.getLogger("coworker.slack")


class SlackChannel:
    """The app and its HTTP handler; `runtime` is set once the server's lifespan opens it."""

    def __init__(self, settings: Settings) -> None:
        if not settings.slack_enabled or settings.slack_bot_token is None:
            raise ConfigError(
                "Slack needs SLACK_BOT_TOKEN, and SLACK_SIGNING_SECRET (HTTP mode) or "
                "SLACK_APP_TOKEN (Socket Mode)"
            )
        secret = settings.slack_signing_secret
        client = web_client(settings)
        self.runtime: Runtime | None = None
        self.shared = SlackContext(self.runtime_of)
        self.app = AsyncApp(
            client=client,  # carries the token; bolt authorizes with it (auth.test, cached)
            signing_secret=secret.get_secret_value() if secret else None,
            # Socket Mode messages are not signed; HTTP requests always are checked.
            request_verification_enabled=secret is not None,
            logger=log,
        )
        self.handler = EventsEndpoint(self.app, secret.get_secret_value() if secret else None)
        self.http_enabled = secret is not None
        self._app_token = settings.slack_app_token
        self._socket: Any = None
        self._register()

    async def start_socket_mode(self) -> None:
        """Connect over Socket Mode when SLACK_APP_TOKEN is set (no public URL needed)."""
        if self._app_token is None:
            return
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        self._socket = AsyncSocketModeHandler(self.app, self._app_token.get_secret_value())
        await self._socket.connect_async()
        log.info("slack: connected over Socket Mode")

    async def aclose(self) -> None:
        """Stop taking events, then let the replies in progress finish (bounded)."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        await self.handler.aclose()
        await self.shared.inflight.drain()

    def runtime_of(self) -> Runtime:
        if self.runtime is None:
            raise RuntimeError("the Slack channel was used before the runtime started")
        return self.runtime

    def _register(self) -> None:
        app = self.app

        async def on_message(
            body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
        ) -> None:
            bind(channel_name="slack")  # Socket Mode has no URL path to tell the channel by
            async with self.shared.inflight.track():
                await handle_message_event(
                    self.runtime_of(), client, body, event, self.shared.features
                )

        app.event("app_mention")(on_message)
        app.event("message")(on_message)

        approvals.register(app, self.shared)
        batch.register(app, self.shared)
        home.register(app, self.runtime_of)
        sessions.register(app, self.shared.features)
        feedback.register(app, self.runtime_of)
        summary.register(app, self.shared)
