"""One agent run rendered into a Slack thread: a status, the reply as it is written, cards."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import suppress

from slack_sdk.web.async_client import AsyncWebClient

from coworker.agent.events import ActionView, Event, RunSummary, TextDelta
from coworker.channels.slack import render
from coworker.channels.slack.stream import (
    ReplyWriter,
    Thread,
    open_writer,
    post_reply,
    show_status,
)
from coworker.channels.web.errors import public_message
from coworker.errors import CoworkerError

log = logging.getLogger("coworker.slack")

__all__ = ["Thread", "render_run"]


async def render_run(
    client: AsyncWebClient, thread: Thread, events: AsyncIterator[Event]
) -> list[ActionView]:
    """Consume one run's events and write them into the thread; returns the actions decided
    on the way. The person always gets an answer and every approval card, even when the run
    or a Slack call fails; and the run is closed (its conversation lock released) whatever
    happens here."""
    try:
        status_ts = await show_status(client, thread)
        writer = open_writer(client, thread, status_ts)
        summary, final = await _consume(events, writer)
    finally:
        closing = getattr(events, "aclose", None)
        if closing is not None:
            await closing()
    thread.tools.extend(summary.tools)
    cards, decided = summary.actions, summary.decided
    if final is None and summary.errors:
        final = f"Sorry, that did not work: {summary.errors[0]}"
    # What was streamed is the reply (the stored text may differ in form, e.g. at max_tokens).
    text = final if final is not None else "".join(summary.text) or summary.done_text or ""
    if not text.strip() and cards:
        text = "This needs your approval:"
    tools, thread.tools = thread.tools, []
    try:
        await writer.finish(text, tools)
    except Exception:
        log.exception("slack: writing the reply failed; posting it plainly")
        with suppress(Exception):
            await post_reply(client, thread, text, tools)
    for action in cards:
        try:
            await client.chat_postMessage(
                channel=thread.channel,
                thread_ts=thread.thread_ts,
                text=f"Approval needed: {render.outcome_text(action)}",
                blocks=render.approval_blocks(action, thread.requester),
            )
        except Exception:  # the action waits in the store; the web chat and CLI list it
            log.exception("slack: an approval card could not be posted")
    return decided


async def _consume(
    events: AsyncIterator[Event], writer: ReplyWriter
) -> tuple[RunSummary, str | None]:
    """The run's events gathered up, text passed on to the writer as it comes (a writer
    that fails stops getting text; the reply is written whole at the end)."""
    summary = RunSummary()
    writing = True
    try:
        async for event in events:
            summary.add(event)
            if writing and isinstance(event, TextDelta) and event.text:
                try:
                    await writer.append(event.text)
                except Exception:
                    log.exception("slack: a reply preview failed; the reply follows whole")
                    writing = False
    except CoworkerError as error:
        return summary, f"Sorry, that did not work: {public_message(error)}"
    except Exception:  # the details go to the log
        log.exception("slack: agent run failed")
        return summary, "Sorry, something went wrong on my side. Please try again."
    return summary, None
