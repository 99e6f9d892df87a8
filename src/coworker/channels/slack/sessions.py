"""Agent sessions: a thread's working state, its title, and the Stop button.

On Slack's agent messaging experience every thread with the coworker is a session.
`agents.sessions.setStatus` puts it in `processing` while a turn runs (Slack shows its
working state and, because the app subscribes to `agent_session_stopped`, a Stop button)
and back to `active` when the reply is written, or `suspended` when a card waits for the
person. A new thread is titled from its first request (`agents.sessions.rename`), unless
the person renamed it themselves (`agent_session_title_changed`). Apps still on
`assistant_view` get the legacy thread status instead (`assistant.threads.setStatus`).

A Stop cancels the turn running in that thread the way a closed web stream does: the
service's generator is cancelled where it waits, its transcript settled and its lock
released (`agent/service.py`). Sends never run inside a turn (they wait on a card), so a
stop cannot cut one in half.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from coworker.channels.slack import render
from coworker.channels.slack.stream import SLACK_FAILURES, STATUS_TEXT, _reason
from coworker.channels.slack.thread import SlackFeatures, Thread

log = logging.getLogger("coworker.slack")

PROCESSING, ACTIVE, SUSPENDED = "processing", "active", "suspended"
TITLE_CHARS = 60


async def show_status(client: AsyncWebClient, thread: Thread) -> str | None:
    """Show that the coworker is working. Returns the placeholder message's ts when the
    status had to be a message (it is then edited into the reply), None otherwise."""
    features = thread.features
    if thread.team not in features.no_sessions:
        try:
            await client.agents_sessions_setStatus(
                channel_id=thread.channel, thread_ts=thread.thread_ts, status=PROCESSING
            )
            thread.agent = True
            return None
        except SLACK_FAILURES as error:
            if isinstance(error, SlackApiError):
                features.refused(error, features.no_sessions, thread.team)
            log.info("slack: no agent session (%s); using the thread status", _reason(error))
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


async def set_session(client: AsyncWebClient, thread: Thread, status: str) -> None:
    """Move an agent session's status (best effort: `processing` times out by itself)."""
    if not thread.agent:
        return
    try:
        await client.agents_sessions_setStatus(
            channel_id=thread.channel, thread_ts=thread.thread_ts, status=status
        )
    except SLACK_FAILURES as error:
        log.info("slack: the session status was not moved (%s)", _reason(error))


def session_title(text: str) -> str:
    """A title from the first request: its first line, whole words, under 60 characters."""
    line = " ".join(text.split())
    if len(line) <= TITLE_CHARS:
        return line
    cut = line[: TITLE_CHARS - 1].rsplit(" ", 1)[0]
    return (cut or line[: TITLE_CHARS - 1]) + "…"


async def title_session(client: AsyncWebClient, thread: Thread, first_request: str) -> None:
    """Name a new session after what was asked, unless its person named it already."""
    title = session_title(first_request)
    if not thread.agent or not title or thread.key in thread.features.sessions.titled_by_person:
        return
    try:
        await client.agents_sessions_rename(
            channel_id=thread.channel, thread_ts=thread.thread_ts, title=title
        )
    except SLACK_FAILURES as error:
        log.info("slack: the session was not titled (%s)", _reason(error))


def register(app: AsyncApp, features: SlackFeatures) -> None:
    sessions = features.sessions

    @app.event("agent_session_stopped")
    async def on_stopped(
        body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
    ) -> None:
        key = (str(event.get("channel", "")), str(event.get("thread_ts", "")))
        by = (str(body.get("team_id") or ""), str(event.get("user", "")))
        if sessions.stop(key, by):
            return  # the turn's own ending writes the note and moves the status
        if sessions.busy(key):
            log.warning("slack: a Stop from someone whose turn it is not; ignored")
            return  # someone else's turn: theirs to stop, and its status theirs
        # Nothing runs here (it just ended): still take the session out of processing.
        thread = Thread(key[0], key[1], str(event.get("user", "")), agent=True)
        await set_session(client, thread, ACTIVE)

    @app.event("agent_session_title_changed")
    async def on_title(event: dict[str, Any]) -> None:
        sessions.titled_by_person.add(
            (str(event.get("channel", "")), str(event.get("thread_ts", "")))
        )

    @app.event("app_context_changed")
    async def on_context(event: dict[str, Any]) -> None:
        """What the person is looking at in Slack; the coworker reads the CRM, not it."""
        log.debug("slack: app context changed")
