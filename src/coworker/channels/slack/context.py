"""What every Slack listener shares: the runtime, what workspaces refused, the work in flight.

Bolt runs a listener in a task of its own after the ack and keeps no handle to it, so the
channel tracks that work itself: on shutdown it lets the replies in progress finish (for a
bounded time) instead of dropping events Slack will not send again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from coworker.channels.slack.stream import SlackFeatures
from coworker.config import Settings
from coworker.runtime import Runtime

log = logging.getLogger("coworker.slack")

SHUTDOWN_GRACE_S = 20.0


@dataclass
class InFlight:
    tasks: set[asyncio.Task[object]] = field(default_factory=set)

    @asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if task is not None:
            self.tasks.add(task)
        try:
            yield
        finally:
            if task is not None:
                self.tasks.discard(task)

    async def drain(self, grace_s: float = SHUTDOWN_GRACE_S) -> None:
        """Wait for the work in progress (bounded); what is left then is cancelled."""
        if not self.tasks:
            return
        log.info("slack: letting %d replies in progress finish", len(self.tasks))
        _, unfinished = await asyncio.wait(set(self.tasks), timeout=grace_s)
        for task in unfinished:
            task.cancel()
        if unfinished:
            await asyncio.wait(unfinished, timeout=5)


@dataclass
class SlackContext:
    runtime_of: Callable[[], Runtime]
    features: SlackFeatures = field(default_factory=SlackFeatures)
    inflight: InFlight = field(default_factory=InFlight)


def web_client(settings: Settings) -> AsyncWebClient:
    """The bot's Web API client (SLACK_API_BASE_URL honoured), retrying on Slack's rate
    limits: a busy workspace answers `ratelimited` with Retry-After rather than failing."""
    assert settings.slack_bot_token is not None
    token = settings.slack_bot_token.get_secret_value()
    base = settings.slack_api_base_url
    client = AsyncWebClient(token=token, base_url=base) if base else AsyncWebClient(token=token)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return client
