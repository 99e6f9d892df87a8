"""One agent run rendered into a Slack thread: a placeholder, then the reply and any cards."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from slack_sdk.web.async_client import AsyncWebClient

from coworker.agent.events import (
    ActionView,
    Event,
    RunSummary,
)
from coworker.channels.slack import render
from coworker.channels.web.errors import public_message
from coworker.errors import CoworkerError

log = logging.getLogger("coworker.slack")


@dataclass
class Thread:
    """Where a conversation lives in Slack."""

    channel: str
    thread_ts: str
    requester: str  # the Slack user id who asked (the only one who may decide)
    tools: list[str] = field(default_factory=list)


async def placeholder(client: AsyncWebClient, thread: Thread) -> str:
    """Show that the coworker is working: a message edited in place when the reply is ready."""
    answer = await client.chat_postMessage(
        channel=thread.channel, thread_ts=thread.thread_ts, text=render.PLACEHOLDER
    )
    return str(answer["ts"])


async def render_run(
    client: AsyncWebClient,
    thread: Thread,
    events: AsyncIterator[Event],
    *,
    status_ts: str | None = None,
) -> list[ActionView]:
    """Consume one run's events and post the outcome; returns the actions decided on the way."""
    summary = RunSummary()
    final: str | None = None
    try:
        async for event in events:
            summary.add(event)
    except CoworkerError as error:
        final = f"Sorry, that did not work: {public_message(error)}"
    except Exception:  # the person still gets an answer; the details go to the log
        log.exception("slack: agent run failed")
        final = "Sorry, something went wrong on my side. Please try again."
    thread.tools.extend(summary.tools)
    cards, decided = summary.actions, summary.decided
    if final is None and summary.errors:
        final = f"Sorry, that did not work: {summary.errors[0]}"
    if final is None and summary.done_text is not None:
        final = summary.done_text or "".join(summary.text)
    text = final if final is not None else "".join(summary.text)
    if not text.strip() and cards:
        text = "This needs your approval:"
    await post_reply(client, thread, text, status_ts=status_ts)
    for action in cards:
        await client.chat_postMessage(
            channel=thread.channel,
            thread_ts=thread.thread_ts,
            text=f"Approval needed: {render.outcome_text(action)}",
            blocks=render.approval_blocks(action, thread.requester),
        )
    return decided


async def post_reply(
    client: AsyncWebClient, thread: Thread, text: str, *, status_ts: str | None = None
) -> None:
    """The reply as mrkdwn, split under Slack's limits; the first part replaces the status."""
    messages = render.reply_messages(text, thread.tools)
    thread.tools = []
    for index, message in enumerate(messages):
        if index == 0 and status_ts is not None:
            await client.chat_update(channel=thread.channel, ts=status_ts, **message)
        else:
            await client.chat_postMessage(
                channel=thread.channel, thread_ts=thread.thread_ts, **message
            )
