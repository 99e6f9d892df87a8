"""The reply written into a Slack thread while the agent works.

Slack's AI-app surfaces do this best: a session's status (`sessions.show_status`) shows the
coworker working, and `chat.startStream` / `appendStream` / `stopStream` let the reply grow
as the model writes it, with the tool steps as task cards on the agent experience. Not
every workspace or app allows them (the app must be an AI app, with the `assistant:write`
scope), so each has a fallback: a placeholder message for the status, `chat.update` on one
message at most once a second for the stream. A stream that ends half-way (Slack's
five-minute limit, a Stop) continues in a new message: nothing is lost or said twice.

A refusal that means "this workspace does not allow it" is remembered per team
(`SlackFeatures`), so an old workspace pays for one refused call, not one per message.
"""

from __future__ import annotations

import asyncio
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from coworker.channels.slack import render
from coworker.channels.slack.tasks import PLAN_WORKING, TaskChunk, plan_chunk
from coworker.channels.slack.thread import SlackFeatures, Thread

__all__ = ["SlackFeatures", "Thread"]

log = logging.getLogger("coworker.slack")

STATUS_TEXT = "is working on it…"
STREAM_OVER = "message_not_in_streaming_state"  # Slack ends a stream after about 5 minutes
BLOCKS_REFUSED = frozenset({"invalid_blocks", "invalid_blocks_format", "invalid_arguments"})
# What a Web API call can fail with: Slack's answer, or the network on the way to it.
SLACK_FAILURES: tuple[type[BaseException], ...] = (
    SlackApiError,
    aiohttp.ClientError,
    asyncio.TimeoutError,
)
UPDATE_INTERVAL_S = 1.0  # chat.update is rate limited (Tier 3); once a second is plenty
STREAM_FLUSH_CHARS = 200  # append when this much text waited, or when a second passed
MAX_STREAMED_CHARS = 11_000  # a streamed message stays under Slack's 12k markdown limit

Block = dict[str, Any]


class ReplyWriter(ABC):
    """Text arrives in pieces, tool steps as task updates; `finish` writes the final reply
    (which may differ from the pieces, when the run ended in an error) with the tool line,
    and `footer` (the feedback buttons) under its last message."""

    @abstractmethod
    async def append(self, text: str) -> None: ...

    @abstractmethod
    async def task(self, chunk: TaskChunk) -> None:
        """A tool step's card; where there are none, the tool line at the end says it."""

    @abstractmethod
    async def finish(
        self,
        text: str,
        tools: list[str],
        *,
        footer: list[Block] | None = None,
        tasks: list[TaskChunk] | None = None,
        plan: str | None = None,
        session_status: str = "active",
    ) -> bool:
        """True when closing the stream also moved the agent session's status."""


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
        blocks: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": preview}}]
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

    async def task(self, chunk: TaskChunk) -> None:
        return  # no cards in an edited message: the tool line says what ran

    async def finish(
        self,
        text: str,
        tools: list[str],
        *,
        footer: list[Block] | None = None,
        tasks: list[TaskChunk] | None = None,
        plan: str | None = None,
        session_status: str = "active",
    ) -> bool:
        await post_reply(self.client, self.thread, text, tools, status_ts=self.ts, footer=footer)
        return False


class StreamWriter(ReplyWriter):
    """`chat.startStream` on the first text or step, `appendStream` in batches,
    `stopStream` with the footer. A refused start hands over to the fallback.

    Slack ends a stream about five minutes after it started: an append then fails with
    `message_not_in_streaming_state`. What the ended message holds stays; the reply goes
    on in a new streamed message (and, if that cannot start, in plain messages at the
    end), so nothing is lost and nothing is said twice. The same holds when a person
    pressed Stop, which ends the stream on Slack's side."""

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
        self.ts: str | None = None  # the message streaming now
        self.started = False  # a stream was ever started (ts None after: it ended)
        self.streamed = ""  # what Slack has, across every streamed message
        self.waiting = ""  # what it will get on the next flush
        self.last_flush = 0.0
        self.broken = False  # no new stream could start: the rest goes out plainly
        self.segments = 0

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

    async def task(self, chunk: TaskChunk) -> None:
        if self.fallback is not None or self.broken or not self.thread.agent:
            return
        if self.ts is None:
            await self._start([chunk])
            return
        await self._flush()
        if self.ts is None:  # the stream ended under the flush; the next one shows it
            await self._start([chunk])
            return
        try:
            await self.client.chat_appendStream(
                channel=self.thread.channel, ts=self.ts, chunks=[dict(chunk)]
            )
        except SLACK_FAILURES as error:
            if _code_of(error) != STREAM_OVER:
                log.info("slack: a task card was not shown (%s)", _reason(error))
                return
            self.ts = None  # Slack ended the stream: the card opens the next one
            await self._start([chunk])

    async def _start(self, chunks: list[TaskChunk] | None = None) -> None:
        thread = self.thread
        content: dict[str, Any] = self._text(self.waiting)
        if thread.agent:  # a plan stream: everything in it travels as chunks
            opening: list[dict[str, Any]] = [dict(plan_chunk(PLAN_WORKING))]
            opening += content.get("chunks", []) + [dict(c) for c in chunks or []]
            content = {"task_display_mode": "plan", "chunks": opening}
        try:
            answer = await self.client.chat_startStream(
                channel=thread.channel,
                thread_ts=thread.thread_ts,
                recipient_team_id=thread.team or None,
                recipient_user_id=thread.requester,
                **content,
            )
        except SLACK_FAILURES as error:
            if self.started:  # a continuation that could not start: plain messages at the end
                log.warning("slack: the reply could not continue in a stream (%s)", _reason(error))
                self.broken = True
                return
            if isinstance(error, SlackApiError):
                thread.features.refused(error, thread.features.no_stream, thread.team)
            log.info("slack: streaming refused (%s); editing one message", _reason(error))
            self.fallback = self._fallback
            waiting, self.waiting = self.waiting, ""
            if waiting:
                await self.fallback.append(waiting)
            return
        self.ts = str(answer["ts"])
        self.started = True
        self.segments += 1
        self.streamed += self.waiting
        self.waiting = ""
        self.last_flush = self.clock()
        await self._drop_placeholder()

    async def _flush(self) -> None:
        if not self.waiting or self.ts is None:
            return
        try:
            await self.client.chat_appendStream(
                channel=self.thread.channel, ts=self.ts, **self._text(self.waiting)
            )
        except SLACK_FAILURES as error:
            # The append did not land; the message keeps what it had. Go on in a new one.
            log.info("slack: the stream ended (%s); the reply continues below", _reason(error))
            self.ts = None
            return
        self.streamed += self.waiting
        self.waiting = ""
        self.last_flush = self.clock()

    async def finish(
        self,
        text: str,
        tools: list[str],
        *,
        footer: list[Block] | None = None,
        tasks: list[TaskChunk] | None = None,
        plan: str | None = None,
        session_status: str = "active",
    ) -> bool:
        if self.fallback is not None:
            return await self.fallback.finish(text, tools, footer=footer)
        agent = self.thread.agent
        shown_tools = [] if agent and self.started else tools  # the cards said it already
        if not self.started:  # no text came (only cards, or an error before any): no stream
            await post_reply(
                self.client, self.thread, text, tools, status_ts=self.status_ts, footer=footer
            )
            return False
        fits = len(text) <= MAX_STREAMED_CHARS and text.startswith(self.streamed)
        rest = text[len(self.streamed) :] if fits else ""
        closing: list[dict[str, Any]] = []
        if agent:
            closing = self._text(rest).get("chunks", []) + [dict(c) for c in tasks or []]
            closing += [dict(plan_chunk(plan))] if plan else []
        closed = False
        if self.ts is not None and not self.broken:
            line = render.tool_line(shown_tools)
            blocks: list[Block] = []
            if line and fits:
                blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": line}]})
            if fits:
                blocks.extend(footer or [])
            for attempt in (blocks, []):  # blocks refused (not for this app): without them
                try:
                    await self.client.chat_stopStream(
                        channel=self.thread.channel,
                        ts=self.ts,
                        markdown_text=None if agent else rest or None,
                        blocks=attempt or None,
                        chunks=closing or None,
                        session_status=session_status if agent else None,
                    )
                    closed = True
                    self.streamed += rest
                    break
                except SLACK_FAILURES as error:
                    log.info("slack: the stream did not close (%s)", _reason(error))
                    if not attempt or _code_of(error) not in BLOCKS_REFUSED:
                        break
        if closed and fits:
            return agent
        tail = text[len(self.streamed) :] if text.startswith(self.streamed) else text
        if tail.strip() or footer or shown_tools:
            await post_reply(self.client, self.thread, tail, shown_tools, footer=footer)
        return closed and agent

    def _text(self, text: str) -> dict[str, Any]:
        """Text as this stream carries it: a plan stream (the agent experience) only takes
        chunks, and Slack refuses `markdown_text` beside them, or after them."""
        if not text:
            return {}
        if self.thread.agent:
            return {"chunks": [{"type": "markdown_text", "text": text}]}
        return {"markdown_text": text}

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
    footer: list[Block] | None = None,
) -> None:
    """The reply as mrkdwn, split under Slack's limits; the first part replaces the status,
    the last carries the tool line and the footer."""
    messages = render.reply_messages(text, tools)
    if footer:
        messages[-1]["blocks"].extend(footer)
    for index, message in enumerate(messages):
        if index == 0 and status_ts is not None:
            await client.chat_update(channel=thread.channel, ts=status_ts, **message)
        else:
            await client.chat_postMessage(
                channel=thread.channel, thread_ts=thread.thread_ts, **message
            )


def _code_of(error: BaseException) -> str:
    return _code(error) if isinstance(error, SlackApiError) else ""


def _code(error: SlackApiError) -> str:
    response: Any = error.response
    return str(response.get("error", "error")) if response is not None else "error"


def _reason(error: BaseException) -> str:
    return _code(error) if isinstance(error, SlackApiError) else type(error).__name__
