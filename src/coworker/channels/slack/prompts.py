"""The Messages tab's greeting: suggested prompts drawn from the person's day.

On the agent experience Slack sends `app_home_opened` with `tab: "messages"` when someone
opens the coworker's Messages tab (in place of `assistant_thread_started`), and the app
pins suggested prompts there with `assistant.threads.setSuggestedPrompts`, without a
`thread_ts`, as agent apps must. The prompts come from the CRM, read the way the daily
summary reads it ("3 tasks due today", "Draft follow-ups for 2 quiet deals"); when the
CRM cannot be read in time, or the person has no key yet, they are still useful prompts,
and the title says what to do first.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from coworker.channels.slack.events import slack_user
from coworker.channels.slack.stream import SLACK_FAILURES, _reason
from coworker.errors import CoworkerError, DialsheetKeyMissing, DialsheetUnauthorized
from coworker.runtime import Runtime
from coworker.store.records import UserRecord
from coworker.summary.gather import SummaryData, gather

log = logging.getLogger("coworker.slack")

READ_TIMEOUT_S = 5.0  # the greeting is not worth a long wait; the prompts work without it
MAX_PROMPTS = 4  # Slack shows up to four


@dataclass(frozen=True)
class Prompt:
    title: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "message": self.message}


def prompts_for(day: SummaryData | None) -> list[Prompt]:
    """Three prompts for the day: its tasks, its quiet deals, the next call."""
    today, overdue = (len(day.due_today), len(day.overdue)) if day else (0, 0)
    quiet = len(day.stale_deals) if day else 0
    if today or overdue:
        count = today + overdue
        title = (
            f"{count} task{_s(count)} due today"
            if not overdue
            else (f"{count} task{_s(count)} due or overdue")
        )
        tasks = Prompt(title, "Which of my tasks are due today or overdue?")
    else:
        tasks = Prompt("My tasks", "What tasks do I have coming up?")
    deals = Prompt(
        f"Draft follow-ups for {quiet} quiet deal{_s(quiet)}"
        if quiet
        else "Draft follow-ups for quiet deals",
        "Draft follow-up emails for my deals that have gone quiet.",
    )
    call = Prompt("Who should I call next?", "Who should I call next, and why?")
    return [tasks, deals, call][:MAX_PROMPTS]


def _s(count: int) -> str:
    return "" if count == 1 else "s"


async def read_day(runtime: Runtime, user: UserRecord) -> SummaryData | None:
    """The person's day from the CRM (bounded); None when it cannot be read now.
    DialsheetKeyMissing / DialsheetUnauthorized: no key, or one the CRM refuses."""
    coworker = runtime.coworker
    day = gather(
        coworker.crm_for(user),  # DialsheetKeyMissing: no key yet
        timezone=user.timezone,
        now=coworker.clock(),
        person=user.display_name,
    )
    try:
        return await asyncio.wait_for(day, READ_TIMEOUT_S)
    except DialsheetUnauthorized:
        raise  # a key the CRM no longer takes: the greeting says so
    except (CoworkerError, TimeoutError) as error:
        log.info("slack: the greeting has no day to draw on (%s)", type(error).__name__)
        return None


async def greet(
    runtime: Runtime, client: AsyncWebClient, team: str, slack_user_id: str, channel: str
) -> None:
    user = await slack_user(runtime, team, slack_user_id)
    try:
        day = await read_day(runtime, user)
    except DialsheetKeyMissing:
        day, title = None, "Connect your Dialsheet key in my Home tab, then ask me anything."
    except DialsheetUnauthorized:
        day, title = None, "Dialsheet no longer accepts your key: connect a new one in my Home tab."
    else:
        title = "Here is your day. Where shall we start?" if day else "What shall we work on?"
    try:
        await client.assistant_threads_setSuggestedPrompts(
            channel_id=channel, title=title, prompts=[p.as_dict() for p in prompts_for(day)]
        )
    except SLACK_FAILURES as error:
        log.info("slack: suggested prompts not set (%s)", _reason(error))
