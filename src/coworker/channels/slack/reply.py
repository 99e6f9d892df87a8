"""One agent run rendered into a Slack thread: a status, the reply as it is written, cards."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from slack_sdk.web.async_client import AsyncWebClient

from coworker.agent.events import ActionView, Event, RunSummary, TextDelta
from coworker.channels.slack import render
from coworker.channels.slack.stream import Thread, open_writer, show_status
from coworker.channels.web.errors import public_message
from coworker.errors import CoworkerError

log = logging.getLogger("coworker.slack")

__all__ = ["Thread", "render_run"]


async def render_run(
    client: AsyncWebClient, thread: Thread, events: AsyncIterator[Event]
) -> list[ActionView]:
    """Consume one run's events and write them into the thread; returns the actions decided
    on the way. The person always gets an answer, even when the run fails."""
    status_ts = await show_status(client, thread)
    writer = open_writer(client, thread, status_ts)
    summary = RunSummary()
    final: str | None = None
    try:
        async for event in events:
            summary.add(event)
            if isinstance(event, TextDelta) and event.text:
                await writer.append(event.text)
    except CoworkerError as error:
        final = f"Sorry, that did not work: {public_message(error)}"
    except Exception:  # the details go to the log
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
    tools, thread.tools = thread.tools, []
    await writer.finish(text, tools)
    for action in cards:
        await client.chat_postMessage(
            channel=thread.channel,
            thread_ts=thread.thread_ts,
            text=f"Approval needed: {render.outcome_text(action)}",
            blocks=render.approval_blocks(action, thread.requester),
        )
    return decided
