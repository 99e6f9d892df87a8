"""Direct messages and @mentions: each message, once, through the service into its thread."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from coworker.channels.slack.reply import Thread, render_run
from coworker.channels.slack.stream import SlackFeatures
from coworker.runtime import Runtime
from coworker.store.records import UserRecord

log = logging.getLogger("coworker.slack")

CHANNEL = "slack"
_MENTION = re.compile(r"<@[A-Z0-9]+>")
IGNORED_SUBTYPES = {
    "bot_message",
    "message_changed",
    "message_deleted",
    "channel_join",
    "channel_leave",
    "thread_broadcast",
}


def slack_external_id(team: str, user: str) -> str:
    return f"slack:{team}:{user}"


def slack_id_of(user: UserRecord) -> str:
    """The Slack user id inside a store user's external id (`slack:TEAM:USER`)."""
    return user.external_id.rsplit(":", 1)[-1]


def conversation_key(team: str, channel: str, thread_ts: str) -> str:
    return f"{team}:{channel}:{thread_ts}"


async def slack_user(runtime: Runtime, team: str, user: str) -> UserRecord:
    """The store's person for a Slack user; someone met in Slack gets summaries there."""
    return await runtime.store.ensure_user(slack_external_id(team, user), summary_channel="slack")


def team_of(body: dict[str, Any]) -> str:
    team = body.get("team_id") or (body.get("team") or {}).get("id") or ""
    return str(team)


async def handle_message_event(
    runtime: Runtime,
    client: AsyncWebClient,
    body: dict[str, Any],
    event: dict[str, Any],
    features: SlackFeatures,
) -> None:
    """A DM or a mention. Slack may deliver one message several times (retries, and both
    `message` and `app_mention`); the store lets exactly one delivery through."""
    if event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES or not event.get("user"):
        return
    if event.get("type") == "message" and event.get("channel_type") != "im":
        return  # channel messages come in as app_mention
    team = team_of(body) or str(event.get("team", ""))
    channel, ts = str(event["channel"]), str(event["ts"])
    event_id = body.get("event_id")
    coworker = runtime.coworker
    if event_id and not await coworker.mark_event_handled(str(event_id), "slack"):
        return
    if not await coworker.mark_event_handled(f"message:{team}:{channel}:{ts}", "slack"):
        return
    text = _MENTION.sub("", str(event.get("text", ""))).strip()
    thread = Thread(channel, str(event.get("thread_ts") or ts), str(event["user"]), team, features)
    user = await slack_user(runtime, team, thread.requester)
    conversation_id = await runtime.coworker.start_conversation(
        user, channel=CHANNEL, external_key=conversation_key(team, channel, thread.thread_ts)
    )
    owner_id = await coworker.owner_of(conversation_id)
    if owner_id is not None and owner_id != user.id:
        owner = await runtime.store.get_user(owner_id)
        who = slack_id_of(owner) if owner else "someone else"
        await client.chat_postMessage(
            channel=channel,
            thread_ts=thread.thread_ts,
            text=f"This thread is <@{who}>'s conversation with me; send me a new message to "
            "ask me something yourself.",
        )
        return
    first = thread.thread_ts == ts  # a new thread: its session is named after this request
    await render_run(
        client,
        thread,
        runtime.coworker.chat(user, text, conversation_id=conversation_id),
        title=text if first else None,
    )
