"""Where a summary goes: the `SummaryChannel` seam and the web channel behind it.

A channel only puts a rendered summary in front of the person; whether to send at all (and
only once) is decided in `runs`. The Slack DM (`channels/slack/summary.py`) is the other
implementation of the same Protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from coworker.agent.service import Coworker
from coworker.agent.transcript import Transcript
from coworker.store.queries import UserRecord
from coworker.summary.gather import SummaryData

SUMMARY_CHANNEL = "summary"
SUMMARY_TITLE = "Daily summary"


@dataclass(frozen=True, slots=True)
class RenderedSummary:
    local_date: date
    text: str
    data: SummaryData | None = None  # the facts behind the text, for channels with buttons


class SummaryChannel(Protocol):
    name: str

    def reaches(self, user: UserRecord) -> bool:
        """Whether this channel has a way to reach the person at all."""

    async def deliver(self, user: UserRecord, summary: RenderedSummary) -> None:
        """Show the summary to the person; raise if it could not be delivered."""


def summary_key(user: UserRecord) -> str:
    return f"{user.id}:daily"


def opening_line(local_date: date) -> str:
    return f"Daily summary for {local_date:%A, %d %B %Y}"


class WebChannel:
    """The person's "Daily summary" conversation, which the web widget lists like any other.

    Each day adds a user turn ("Daily summary for ...") and the summary as the assistant's
    reply, so the transcript stays valid for the Messages API and a reply from the person
    simply continues the conversation with the coworker.
    """

    name = "web"

    def __init__(self, coworker: Coworker) -> None:
        self.coworker = coworker

    def reaches(self, user: UserRecord) -> bool:
        return True

    async def conversation_id(self, user: UserRecord) -> str:
        record = await self.coworker.store.get_or_create_conversation(
            user.id, SUMMARY_CHANNEL, summary_key(user), title=SUMMARY_TITLE
        )
        return record.id

    async def deliver(self, user: UserRecord, summary: RenderedSummary) -> None:
        store = self.coworker.store
        conversation_id = await self.conversation_id(user)
        opening = {"type": "text", "text": opening_line(summary.local_date)}
        reply_blocks: list[dict[str, Any]] = [{"type": "text", "text": summary.text}]
        reply = {"role": "assistant", "content": reply_blocks}
        async with self.coworker.lock(conversation_id):
            # Whole: "is today's summary here already?" asks of all of it, once a day.
            transcript = await Transcript.load(store, conversation_id, whole=True)
            if _delivered(transcript.messages, opening["text"]):
                return  # a retry after another channel failed: this one already has it
            if transcript.unanswered_tool_uses():
                # An approval left waiting in this conversation is superseded by the new day,
                # exactly as a new message from the person would supersede it.
                await self.coworker.answer_open_calls(
                    transcript, because="a new daily summary arrived"
                )
            if transcript.messages and transcript.messages[-1]["role"] == "user":
                transcript.add_user_blocks([opening])
                transcript.add_assistant(reply_blocks)
                await transcript.saved()
            else:
                await transcript.saved()
                # Both turns in one transaction: a crash never leaves half a delivery.
                await store.append_messages(
                    conversation_id, [{"role": "user", "content": [opening]}, reply]
                )


def _delivered(messages: list[dict[str, Any]], opening: str) -> bool:
    """Whether the day's summary is in the conversation already (its opening turn is)."""
    return any(
        message["role"] == "user"
        and isinstance(message["content"], list)
        and any(block.get("text") == opening for block in message["content"])
        for message in messages
    )
