"""Thumbs up or down under each final reply, recorded with the turn it rates.

A `feedback_buttons` element in a `context_actions` block (Slack's own feedback control
for agent replies; `render.feedback_blocks`) goes under the last message of every final
reply. Each button's value names the rating and the reply (`up:<conversation>:<reply>`),
so a press needs no lookup. The press goes to the
service (`Coworker.record_feedback`), which checks that the conversation is the presser's
and replaces an earlier rating of theirs on the same reply.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from coworker.agent.feedback import RATINGS, FeedbackInput, Rating
from coworker.channels.slack.events import CHANNEL, slack_user, team_of
from coworker.channels.slack.render import FEEDBACK_ACTION
from coworker.errors import CoworkerError
from coworker.runtime import Runtime

log = logging.getLogger("coworker.slack")

THANKS = {
    "up": "Thanks! Glad that helped.",
    "down": "Thanks for telling me. Your team can review this answer and improve it.",
}


def parse_value(value: str) -> FeedbackInput | None:
    rating, _, rest = value.partition(":")
    conversation_id, _, reply_id = rest.partition(":")
    if rating not in RATINGS or not conversation_id or not reply_id:
        return None
    return FeedbackInput(conversation_id, reply_id, cast(Rating, rating), CHANNEL)


def register(app: AsyncApp, runtime_of: Any) -> None:
    @app.action(FEEDBACK_ACTION)
    async def on_feedback(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        runtime: Runtime = runtime_of()
        action = (body.get("actions") or [{}])[0]
        entry = parse_value(str(action.get("value") or ""))
        slack_user_id = str(body["user"]["id"])
        channel = str((body.get("channel") or {}).get("id") or "")
        message = body.get("message") or {}
        thread_ts = message.get("thread_ts") or message.get("ts")
        if entry is None:
            log.warning("slack: a feedback press with a value it never had")
            return
        user = await slack_user(runtime, team_of(body), slack_user_id)
        try:
            await runtime.coworker.record_feedback(user, entry)
        except CoworkerError as error:
            log.info("slack: feedback not recorded (%s)", type(error).__name__)
            text = "I could not record that: this reply is not from your conversation with me."
        else:
            text = THANKS[entry.rating]
        if channel:
            await client.chat_postEphemeral(
                channel=channel, user=slack_user_id, text=text, thread_ts=thread_ts
            )
