"""Where a summary goes: the `SummaryChannel` seam and the web channel behind it.

A channel only puts a rendered summary in front of the person; whether to send at all (and
only once) is decided in `runs`. The Slack DM (`channels/slack/summary.py`) is the other
implementation of the same Protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from coworker.agent.service import Coworker
from coworker.store.records import UserRecord
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
        return await self.coworker.start_conversation(
            user, channel=SUMMARY_CHANNEL, external_key=summary_key(user), title=SUMMARY_TITLE
        )

    async def deliver(self, user: UserRecord, summary: RenderedSummary) -> None:
        # Once: a retry after another channel failed finds this one delivered already. A
        # card left waiting in the conversation stays pending through the new day.
        await self.coworker.seed_exchange(
            await self.conversation_id(user), opening_line(summary.local_date), summary.text
        )
