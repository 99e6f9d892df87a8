"""The reply written into a Slack thread while the agent works.

Slack's AI-app surfaces do this best: `assistant.threads.setStatus` shows "is working on it…"
under the thread, and `chat.startStream` / `appendStream` / `stopStream` let the reply grow
as the model writes it. Not every workspace or app allows them (the app must be an AI app,
with the `assistant:write` scope), so each has a fallback: a placeholder message for the
status, `chat.update` on one message at most once a second for the stream. A stream that
breaks half-way is abandoned for a plain message with the whole reply: nothing is lost.

A refusal that means "this workspace does not allow it" is remembered per team
(`SlackFeatures`), so an old workspace pays for one refused call, not one per message.
"""

from __future__ import annotations

import asyncio
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from coworker.channels.slack import render

log = logging.getLogger("coworker.slack")

STATUS_TEXT = "is working on it…"
# Errors that mean the method will never work for this app in this workspace (others, like
# a channel where it is not allowed, fall back for that reply only).
UNSUPPORTED = frozenset(
    {
        "unknown_method",
        "missing_scope",
        "not_allowed_token_type",
        "feature_not_enabled",
        "method_deprecated",
    }
)
# What a Web API call can fail with: Slack's answer, or the network on the way to it.
SLACK_FAILURES: tuple[type[BaseException], ...] = (
    SlackApiError,
    aiohttp.ClientError,
    asyncio.TimeoutError,
)
UPDATE_INTERVAL_S = 1.0  # chat.update is rate limited (Tier 3); once a second is plenty
STREAM_FLUSH_CHARS = 200  # append when this much text waited, or when a second passed
MAX_STREAMED_CHARS = 11_000  # a streamed message stays under Slack's 12k markdown limit


@dataclass
class SlackFeatures:
    """Which AI-app methods each workspace refused for good (process memory: an
    optimisation, not a correctness matter; a new process just asks again)."""

    no_status: set[str] = field(default_factory=set)
    no_stream: set[str] = field(default_factory=set)

    def refused(self, error: SlackApiError, teams: set[str], team: str) -> None:
        if str(error.response.get("error", "")) in UNSUPPORTED:
            teams.add(team)


@dataclass
class Thread:
    """Where a conversation lives in Slack, and who asked (the only one who may decide)."""

    channel: str
    thread_ts: str
    requester: str
    team: str = ""
    features: SlackFeatures = field(default_factory=SlackFeatures)
    tools: list[str] = field(default_factory=list)


async def show_status(client: AsyncWebClient, thread: Thread) -> str | None:
    """Show that the coworker is working. Returns the placeholder message's ts when the
    status had to be a message (it is then edited into the reply), None otherwise."""
    features = thread.features
    if thread.team not in features.no_status:
        try:
            await client.assistant_threads_setStatus(
                channel_id=thread.channel, thread_ts=thread.thread_ts, status=STATUS_TEXT
            )
            return None
        except SLACK_FAILURES as error:
            if isinstance(error, SlackApiError):
                features.refused(error, features.no_status, thread.team)
            log.info("slack: thread status refused (%s); using a placeholder", _reason(error))
    answer = await client.chat_postMessage(
        channel=thread.channel, thread_ts=thread.thread_ts, text=render.PLACEHOLDER
    )
    return str(answer["ts"])


class ReplyWriter(ABC):
    """Text arrives in pieces; `finish` writes the final reply (which may differ from the
    pieces, when the run ended in an error) with the tool line."""

    @abstractmethod
    async def append(self, text: str) -> None: ...

    @abstractmethod
    async def finish(self, text: str, tools: list[str]) -> None: ...


def open_writer(
    client: AsyncWebClient,
    thread: Thread,
    status_ts: str | None,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> ReplyWriter:
    """A native stream where the SDK and workspace allow it, else edits of one message."""
    fallback = UpdateWriter(client, thread, status_ts, clock=clock)
    if hasattr(client, "chat_startStream") and thread.team not in thread.features.no_stream:
        return StreamWriter(client, thread, status_ts, fallback, clock=clock)
    return fallback


class UpdateWriter(ReplyWriter):
    """One message edited in place, at most once a second; the final text split under
    Slack's limits (the first part replaces the status message)."""

    def __init__(
        self,
        client: AsyncWebClient,
        thread: Thread,
        status_ts: str | None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client, self.thread, self.ts, self.clock = client, thread, status_ts, clock
        self.text = ""
        self.last_edit: float | None = None

    async def append(self, text: str) -> None:
        self.text += text
        now = self.clock()
        if self.last_edit is not None and now - self.last_edit < UPDATE_INTERVAL_S:
            return
        if self.ts is None and self.last_edit is None:
            self.last_edit = now  # the first second's text goes out with the first edit
            return
        self.last_edit = now
        preview = render.split_text(render.to_mrkdwn(self.text))[0] + " …"
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "mrkdwn", "text": preview}}
        ]
        channel = self.thread.channel
        try:
            if self.ts is None:
                answer = await self.client.chat_postMessage(
                    channel=channel, thread_ts=self.thread.thread_ts, text=preview, blocks=blocks
                )
                self.ts = str(answer["ts"])
            else:
                await self.client.chat_update(
                    channel=channel, ts=self.ts, text=preview, blocks=blocks
                )
        except SLACK_FAILURES as error:  # a preview is best effort; the final text follows
            log.info("slack: a reply preview was not shown (%s)", _reason(error))

    async def finish(self, text: str, tools: list[str]) -> None:
        await post_reply(self.client, self.thread, text, tools, status_ts=self.ts)


class StreamWriter(ReplyWriter):
    """`chat.startStream` on the first text, `appendStream` in batches, `stopStream` with the
    tool line. A refused start hands over to the fallback; a break mid-way posts the whole
    reply as a plain message."""

    def __init__(
        self,
        client: AsyncWebClient,
        thread: Thread,
        status_ts: str | None,
        fallback: UpdateWriter,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client, self.thread, self.status_ts, self.clock = client, thread, status_ts, clock
        self.fallback: ReplyWriter | None = None
        self._fallback = fallback
        self.ts: str | None = None
        self.streamed = ""  # what Slack has
        self.waiting = ""  # what it will get on the next flush
        self.last_flush = 0.0
        self.broken = False

    async def append(self, text: str) -> None:
        if self.fallback is not None:
            await self.fallback.append(text)
            return
        self.waiting += text
        if self.broken or len(self.streamed) + len(self.waiting) > MAX_STREAMED_CHARS:
            return  # the rest goes out as plain messages in finish()
        if self.ts is None:
            await self._start()
        elif (
            len(self.waiting) >= STREAM_FLUSH_CHARS
            or self.clock() - self.last_flush >= UPDATE_INTERVAL_S
        ):
            await self._flush()

    async def _start(self) -> None:
        thread = self.thread
        try:
            answer = await self.client.chat_startStream(
                channel=thread.channel,
                thread_ts=thread.thread_ts,
                recipient_team_id=thread.team or None,
                recipient_user_id=thread.requester,
                markdown_text=self.waiting,
            )
        except SLACK_FAILURES as error:
            if isinstance(error, SlackApiError):
                thread.features.refused(error, thread.features.no_stream, thread.team)
            log.info("slack: streaming refused (%s); editing one message", _reason(error))
            self.fallback = self._fallback
            waiting, self.waiting = self.waiting, ""
            await self.fallback.append(waiting)
            return
        self.ts = str(answer["ts"])
        self.streamed, self.waiting = self.waiting, ""
        self.last_flush = self.clock()
        await self._drop_placeholder()

    async def _flush(self) -> None:
        if not self.waiting or self.ts is None:
            return
        try:
            await self.client.chat_appendStream(
                channel=self.thread.channel, ts=self.ts, markdown_text=self.waiting
            )
        except SLACK_FAILURES as error:
            log.warning("slack: the stream broke (%s); the reply follows in full", _reason(error))
            self.broken = True
            return
        self.streamed += self.waiting
        self.waiting = ""
        self.last_flush = self.clock()

    async def finish(self, text: str, tools: list[str]) -> None:
        if self.fallback is not None:
            await self.fallback.finish(text, tools)
            return
        if self.ts is None:  # no text came (only cards, or an error before any): no stream
            await post_reply(self.client, self.thread, text, tools, status_ts=self.status_ts)
            return
        fits = len(text) <= MAX_STREAMED_CHARS and text.startswith(self.streamed)
        rest = text[len(self.streamed) :] if fits else ""
        line = render.tool_line(tools)
        extra = [{"type": "context", "elements": [{"type": "mrkdwn", "text": line}]}]
        if self.broken:
            with suppress(*SLACK_FAILURES):  # close it if Slack still can; the reply follows
                await self.client.chat_stopStream(channel=self.thread.channel, ts=self.ts)
        else:
            try:
                await self.client.chat_stopStream(
                    channel=self.thread.channel,
                    ts=self.ts,
                    markdown_text=rest or None,
                    blocks=extra if line and fits else None,
                )
            except SLACK_FAILURES as error:
                log.warning("slack: the stream did not close (%s); posting in full", _reason(error))
                self.broken = True
        if self.broken:
            await post_reply(self.client, self.thread, text, tools)
        elif not fits:  # too long to stream, or an error replaced the text: the rest in full
            tail = text[len(self.streamed) :] if text.startswith(self.streamed) else text
            await post_reply(self.client, self.thread, tail, tools)

    async def _drop_placeholder(self) -> None:
        if self.status_ts is None:
            return
        ts, self.status_ts = self.status_ts, None
        try:
            await self.client.chat_delete(channel=self.thread.channel, ts=ts)
        except SLACK_FAILURES as error:  # a stale "working on it" is untidy, not harmful
            log.info("slack: could not remove the placeholder (%s)", _reason(error))


async def post_reply(
    client: AsyncWebClient,
    thread: Thread,
    text: str,
    tools: list[str],
    *,
    status_ts: str | None = None,
) -> None:
    """The reply as mrkdwn, split under Slack's limits; the first part replaces the status."""
    for index, message in enumerate(render.reply_messages(text, tools)):
        if index == 0 and status_ts is not None:
            await client.chat_update(channel=thread.channel, ts=status_ts, **message)
        else:
            await client.chat_postMessage(
                channel=thread.channel, thread_ts=thread.thread_ts, **message
            )


def _code(error: SlackApiError) -> str:
    response: Any = error.response
    return str(response.get("error", "error")) if response is not None else "error"


def _reason(error: BaseException) -> str:
    return _code(error) if isinstance(error, SlackApiError) else type(error).__name__
