"""One agent run rendered into a Slack thread: a status, the reply as it is written, its
tool steps as task cards, cards, and the feedback buttons under the final reply."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import suppress
from dataclasses import dataclass, field

from slack_sdk.web.async_client import AsyncWebClient

from coworker.agent.events import (
    ActionView,
    ConfirmationRequired,
    Event,
    RunSummary,
    TextDelta,
    ToolFinished,
    ToolStarted,
)
from coworker.channels import batched
from coworker.channels.slack import batch_card, render
from coworker.channels.slack.sessions import (
    ACTIVE,
    SUSPENDED,
    set_session,
    show_status,
    title_session,
)
from coworker.channels.slack.stream import Block, ReplyWriter, open_writer, post_reply
from coworker.channels.slack.tables import figure_from, post_figures
from coworker.channels.slack.tasks import (
    PLAN_DONE,
    PLAN_STOPPED,
    Progress,
    TaskChunk,
    stopped_note,
    task_chunk,
)
from coworker.channels.slack.thread import Thread
from coworker.channels.web.errors import public_message
from coworker.errors import CoworkerError, DialsheetKeyMissing
from coworker.tools.derived.figures import Figure

log = logging.getLogger("coworker.slack")

__all__ = ["Thread", "render_run"]

CONNECT_KEY_ACTION = "coworker_home_key"  # home.py opens the key modal on it


@dataclass
class _Turn:
    summary: RunSummary = field(default_factory=RunSummary)
    progress: Progress = field(default_factory=Progress)
    final: str | None = None
    key_missing: bool = False
    stopped: bool = False
    figures: list[Figure] = field(default_factory=list)  # reports shown as tables (tables.py)


async def render_run(
    client: AsyncWebClient,
    thread: Thread,
    events: AsyncIterator[Event],
    *,
    title: str | None = None,
) -> list[ActionView]:
    """Consume one run's events and write them into the thread; returns the actions decided
    on the way. The person always gets an answer and every approval card, even when the run
    or a Slack call fails, or they pressed Stop; and the run is closed (its conversation
    lock released) whatever happens here."""
    turn = _Turn()
    try:
        status_ts = await show_status(client, thread)
        if title:
            await title_session(client, thread, title)
        writer = open_writer(client, thread, status_ts)
        await _run_stoppable(thread, _consume(events, writer, turn), turn)
    finally:
        closing = getattr(events, "aclose", None)
        if closing is not None:
            await closing()
    summary = turn.summary
    thread.tools.extend(summary.tools)
    cards, decided = summary.actions, summary.decided
    final = turn.final
    if final is None and summary.errors:
        final = f"Sorry, that did not work: {summary.errors[0]}"
    # What was streamed is the reply (the stored text may differ in form, e.g. at max_tokens).
    text = final if final is not None else "".join(summary.text) or summary.done_text or ""
    if turn.stopped:
        text = (text.rstrip() + "\n\n" if text.strip() else "") + stopped_note(turn.progress)
    if not text.strip() and cards:
        text = "This needs your approval:"
    tools, thread.tools = thread.tools, []
    footer: list[Block] = []
    if turn.key_missing:
        footer = _connect_key_blocks()
    elif not turn.stopped and summary.conversation_id:
        footer = render.feedback_blocks(summary.conversation_id, summary.reply_id)
    status = SUSPENDED if cards else ACTIVE
    try:
        moved = await writer.finish(
            text,
            tools,
            footer=footer,
            tasks=_closing_tasks(turn),
            plan=PLAN_STOPPED if turn.stopped else PLAN_DONE,
            session_status=status,
        )
    except Exception:
        moved = False
        log.exception("slack: writing the reply failed; posting it plainly")
        with suppress(Exception):  # plainly: without the footer, in case it was refused
            await post_reply(client, thread, text, tools)
    if not moved:
        await set_session(client, thread, status)
    await post_figures(client, thread, turn.figures)
    for group in batched.groups(cards):  # a batch's cards are one message
        action = group[0]
        try:
            if len(group) > 1:
                await batch_card.post(client, thread, group)
                continue
            await client.chat_postMessage(
                channel=thread.channel,
                thread_ts=thread.thread_ts,
                text=f"Approval needed: {render.outcome_text(action)}",
                blocks=render.approval_blocks(action, thread.requester),
            )
        except Exception:  # the action waits in the store; the web chat and CLI list it
            log.exception("slack: an approval card could not be posted")
    return decided


async def _run_stoppable(
    thread: Thread, consuming: Coroutine[object, object, None], turn: _Turn
) -> None:
    """Consume in a task of its own that a Stop in this thread cancels. A stop ends the
    run where it waits, as a closed web stream does; a cancellation of this task itself
    (shutdown) is passed on to the run and raised."""
    sessions = thread.features.sessions
    task = asyncio.ensure_future(consuming)
    sessions.add(thread.key, task, (thread.team, thread.requester))
    try:
        try:
            await asyncio.wait({task})
        except asyncio.CancelledError:
            task.cancel()
            await asyncio.wait({task})
            raise
    finally:
        stopped = sessions.discard(thread.key, task)
    if task.cancelled():
        if not stopped:
            raise asyncio.CancelledError
        turn.stopped = True
        return
    task.result()


def _connect_key_blocks() -> list[Block]:
    """Where to connect a key, right under the message that asks for it: a button that
    opens the key modal here (the same one App Home opens)."""
    return [
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Connect your Dialsheet key"},
                    "style": "primary",
                    "action_id": CONNECT_KEY_ACTION,
                }
            ],
        }
    ]


def _closing_tasks(turn: _Turn) -> list[TaskChunk]:
    """Every step still open when the turn ended, closed: stopped, or failed with it."""
    return [
        task_chunk(step.id, step.title, "error", "Stopped" if turn.stopped else "Not finished")
        for step in turn.progress.open_steps()
    ]


async def _consume(events: AsyncIterator[Event], writer: ReplyWriter, turn: _Turn) -> None:
    """The run's events gathered up, text and steps passed on to the writer as they come
    (a writer that fails stops getting them; the reply is written whole at the end)."""
    writing = True
    try:
        async for event in events:
            turn.summary.add(event)
            if figure := figure_from(event):
                turn.figures.append(figure)
            if not writing:
                continue
            try:
                await _show(event, writer, turn.progress)
            except Exception:
                log.exception("slack: a reply preview failed; the reply follows whole")
                writing = False
    except DialsheetKeyMissing:
        turn.key_missing = True
        turn.final = (
            "I need your Dialsheet API key before I can work in your CRM. Create one in "
            "Dialsheet under Settings → API Keys, then connect it here."
        )
    except CoworkerError as error:
        turn.final = f"Sorry, that did not work: {public_message(error)}"
    except Exception:  # the details go to the log
        log.exception("slack: agent run failed")
        turn.final = "Sorry, something went wrong on my side. Please try again."


async def _show(event: Event, writer: ReplyWriter, progress: Progress) -> None:
    if isinstance(event, TextDelta) and event.text:
        await writer.append(event.text)
    elif isinstance(event, ToolStarted):
        step = progress.start(event.tool_use_id, event.name)
        await writer.task(task_chunk(step.id, step.title, step.status))
    elif isinstance(event, ToolFinished):
        step = progress.end(event.tool_use_id, event.name, error=event.is_error)
        await writer.task(task_chunk(step.id, step.title, step.status))
    elif isinstance(event, ConfirmationRequired):
        action = event.action
        step = progress.start(action.tool_use_id, action.tool, action.label or None)
        step.status = "complete"
        await writer.task(task_chunk(step.id, step.title, "complete", "Waiting for your approval"))
