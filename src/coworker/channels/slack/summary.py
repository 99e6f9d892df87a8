"""The daily summary as a Slack DM, with buttons that start work on what it lists.

The summary message opens a thread, and that thread is a coworker conversation holding the
summary as its first exchange: a reply in it continues from the summary, as in the web's
"Daily summary" conversation. Under the summary, each task due today or overdue gets
**Mark done**, **Snooze to tomorrow** and **Draft follow-up** (when it has a lead), and each
deal gone quiet gets **Draft follow-up**. Marking done and snoozing are the person's own
one-click writes, run at once with their key; a follow-up is drafted by the agent in the
thread and waits for approval like any other email.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from coworker.agent.service import Coworker
from coworker.channels.slack import render
from coworker.channels.slack.context import SlackContext, web_client
from coworker.channels.slack.events import (
    CHANNEL,
    conversation_key,
    slack_id_of,
    slack_user,
    team_of,
)
from coworker.channels.slack.reply import render_run
from coworker.channels.slack.stream import Thread
from coworker.config import Settings
from coworker.dialsheet.words import inline, word
from coworker.runtime import Runtime
from coworker.store.records import UserRecord
from coworker.summary.deliver import SUMMARY_TITLE, RenderedSummary, opening_line
from coworker.summary.gather import DealItem, SummaryData, TaskItem

log = logging.getLogger("coworker.slack")

MAX_TASK_ROWS = 8  # overdue first, then due today; Slack allows 50 blocks a message
MAX_DEAL_ROWS = 3
MAX_TITLE = 150  # characters of a task or deal title in a row
MAX_TEXT_SECTIONS = 10  # 10 x 2,900 characters: far beyond any summary
DONE, SNOOZE, FOLLOW_UP = "summary_done", "summary_snooze", "summary_follow_up"


def slack_identity(user: UserRecord) -> tuple[str, str] | None:
    """(team, Slack user id) for a person who came from Slack (`slack:TEAM:USER`)."""
    parts = user.external_id.split(":")
    if len(parts) != 3 or parts[0] != "slack":
        return None
    return parts[1], parts[2]


class SlackSummaryChannel:
    """Delivers a summary as a DM from the app (`SummaryChannel` for Slack)."""

    name = "slack"

    def __init__(self, client: AsyncWebClient, coworker: Coworker) -> None:
        self.client = client
        self.coworker = coworker

    @classmethod
    def from_settings(cls, settings: Settings, coworker: Coworker) -> SlackSummaryChannel:
        return cls(web_client(settings), coworker)

    def reaches(self, user: UserRecord) -> bool:
        return slack_identity(user) is not None

    async def deliver(self, user: UserRecord, summary: RenderedSummary) -> None:
        identity = slack_identity(user)
        if identity is None:
            raise ValueError("this person has no Slack identity to send a DM to")
        team, slack_user_id = identity
        opened = await self.client.conversations_open(users=slack_user_id)
        channel = str(opened["channel"]["id"])
        posted = await self.client.chat_postMessage(
            channel=channel,
            text=f"{opening_line(summary.local_date)}\n{summary.text}"[:3000],
            blocks=summary_blocks(summary),
        )
        # Delivered. From here on a failure must not make the run fail (and be retried into
        # a second DM): the thread just starts without the summary as context.
        try:
            await self._open_thread(user, team, channel, str(posted["ts"]), summary)
        except Exception:
            log.exception("slack: the summary went out but its thread was not recorded")

    async def _open_thread(
        self, user: UserRecord, team: str, channel: str, ts: str, summary: RenderedSummary
    ) -> None:
        conversation_id = await self.coworker.start_conversation(
            user,
            channel=CHANNEL,
            external_key=conversation_key(team, channel, ts),
            title=SUMMARY_TITLE,
        )
        await self.coworker.seed_exchange(
            conversation_id, opening_line(summary.local_date), summary.text, once=False
        )


def summary_blocks(summary: RenderedSummary) -> list[dict[str, Any]]:
    """The summary in mrkdwn, then one row of buttons for each thing to act on."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": opening_line(summary.local_date)},
        }
    ]
    chunks = render.split_text(render.to_mrkdwn(summary.text))[:MAX_TEXT_SECTIONS]
    blocks += [{"type": "section", "text": {"type": "mrkdwn", "text": c}} for c in chunks]
    data = summary.data
    if data is None:
        return blocks
    tasks = [*data.overdue, *data.due_today][:MAX_TASK_ROWS]
    deals = list(data.stale_deals[:MAX_DEAL_ROWS])
    if tasks or deals:
        blocks.append({"type": "divider"})
    blocks += [block for task in tasks for block in _task_row(task, data)]
    blocks += [block for deal in deals for block in _deal_row(deal)]
    return blocks


def _task_row(task: TaskItem, data: SummaryData) -> list[dict[str, Any]]:
    when = "overdue" if task in data.overdue else f"due {task.due:%H:%M}"
    title = _short(task.title)
    line = f":ballot_box_with_check: *{render.escape(title)}* · {when} · {inline(task.priority)}"
    value = {"task": task.id, "title": title, "lead": task.lead_id}
    buttons = [
        _button("Mark done", DONE, value, style="primary"),
        _button("Snooze to tomorrow", SNOOZE, {**value, "due": task.due.isoformat()}),
    ]
    if task.lead_id:
        buttons.append(_button("Draft follow-up", FOLLOW_UP, value))
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": line}},
        {"type": "actions", "block_id": f"summary_task:{task.id}", "elements": buttons},
    ]


def _deal_row(deal: DealItem) -> list[dict[str, Any]]:
    name = _short(deal.name)
    line = f":zzz: *{render.escape(name)}* · {word(deal.stage)} · no recent activity"
    value = {"deal": deal.id, "title": name, "lead": deal.lead_id}
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": line}},
        {
            "type": "actions",
            "block_id": f"summary_deal:{deal.id}",
            "elements": [_button("Draft follow-up", FOLLOW_UP, value)],
        },
    ]


def _short(title: str) -> str:
    """A title short enough for a row and a button's value (Slack: 2,000 characters)."""
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rstrip() + "…"


def _button(
    text: str, action_id: str, value: dict[str, Any], *, style: str | None = None
) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": json.dumps(value, separators=(",", ":"), ensure_ascii=False),
    }
    if style:
        button["style"] = style
    return button


def snoozed_due(due: datetime, timezone: str, now: datetime) -> datetime:
    """Tomorrow in the person's timezone, at the time of day the task was due."""
    zone = ZoneInfo(timezone)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    local_due = due.astimezone(zone)
    return datetime.combine(tomorrow, local_due.timetz().replace(tzinfo=None), zone)


def register(
    app: AsyncApp,
    shared: SlackContext,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> None:
    """The summary's buttons. Each acks first, then works (tracked, so a shutdown lets it
    finish), then says what happened. Only the person the summary was for may press them:
    the DM is theirs, and the summary's thread (its conversation) is checked all the same.
    A press is that person's explicit go-ahead for exactly that change, so it runs at once
    (whatever COWORKER_CONFIRM says for writes) and is recorded as an audit event."""
    features = shared.features
    settled = SettledRows()

    async def clicked(
        body: dict[str, Any], client: AsyncWebClient
    ) -> tuple[Runtime, UserRecord, dict[str, Any]] | None:
        runtime = shared.runtime_of()
        team, presser = team_of(body), str(body["user"]["id"])
        user = await slack_user(runtime, team, presser)
        channel, ts = _summary_message(body)
        conversation_id = await runtime.coworker.start_conversation(
            user,
            channel=CHANNEL,
            external_key=conversation_key(team, channel, ts),
            title=SUMMARY_TITLE,
        )
        owner_id = await runtime.coworker.owner_of(conversation_id)
        if owner_id != user.id:
            owner = await runtime.store.get_user(owner_id) if owner_id else None
            who = f"<@{slack_id_of(owner)}>" if owner else "the person it was for"
            await client.chat_postEphemeral(
                channel=channel, user=presser, text=f"Only {who} can act on this summary."
            )
            return None
        value = json.loads(body["actions"][0]["value"])
        await runtime.store.add_audit(
            "summary_button",
            actor=user.id,
            conversation_id=conversation_id,
            data={"button": body["actions"][0]["action_id"], **value},
        )
        return runtime, user, value

    @app.action(DONE)
    async def on_done(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        async with shared.inflight.track():
            if (pressed := await clicked(body, client)) is None:
                return
            runtime, user, value = pressed
            outcome = await runtime.coworker.executor(user).call_tool(
                "update_task", {"task_id": value["task"], "completed": True}
            )
            await _settle_row(
                client, body, outcome.is_error, outcome.content, "Marked done", settled
            )

    @app.action(SNOOZE)
    async def on_snooze(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        async with shared.inflight.track():
            if (pressed := await clicked(body, client)) is None:
                return
            runtime, user, value = pressed
            due = snoozed_due(datetime.fromisoformat(value["due"]), user.timezone, clock())
            outcome = await runtime.coworker.executor(user).call_tool(
                "update_task", {"task_id": value["task"], "due_date": due.isoformat()}
            )
            done = f"Snoozed to {due:%A %H:%M}"
            await _settle_row(client, body, outcome.is_error, outcome.content, done, settled)

    @app.action(FOLLOW_UP)
    async def on_follow_up(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        async with shared.inflight.track():
            if (pressed := await clicked(body, client)) is None:
                return
            await _follow_up(client, body, *pressed)

    async def _follow_up(
        client: AsyncWebClient,
        body: dict[str, Any],
        runtime: Runtime,
        user: UserRecord,
        value: dict[str, Any],
    ) -> None:
        who = await _lead_name(runtime, user, value.get("lead"))
        topic = value["title"] if "task" in value else f"the {value['title']} deal"
        request = f"Draft a follow-up email to {who} about {topic}"
        team = team_of(body)
        channel, summary_ts = _summary_message(body)
        coworker = runtime.coworker
        conversation_id = await coworker.start_conversation(
            user, channel=CHANNEL, external_key=conversation_key(team, channel, summary_ts)
        )
        thread = Thread(channel, summary_ts, str(body["user"]["id"]), team, features)
        await client.chat_postMessage(
            channel=channel, thread_ts=summary_ts, text=f"_{render.escape(request)}_"
        )
        await render_run(
            client, thread, coworker.chat(user, request, conversation_id=conversation_id)
        )


def _summary_message(body: dict[str, Any]) -> tuple[str, str]:
    """The channel and ts of the summary message a button sits on."""
    channel = str((body.get("channel") or {}).get("id", ""))
    return channel, str((body.get("message") or {}).get("ts", ""))


async def _lead_name(runtime: Runtime, user: UserRecord, lead_id: str | None) -> str:
    """The lead's name for the request (what a person would type), else its id."""
    if not lead_id:
        return "the lead"
    outcome = await runtime.coworker.executor(user).call_tool("get_lead", {"lead_id": lead_id})
    lead = (outcome.data or {}).get("lead") or {}
    return str(lead.get("name") or f"lead {lead_id}")


class SettledRows:
    """The latest blocks of each summary message this process changed. Slack sends the
    message as it was when a button was pressed; two quick presses on two rows must not
    undo each other, so each change builds on the latest, one at a time per message."""

    def __init__(self, keep: int = 500) -> None:
        self.keep = keep
        self.blocks: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        self.locks: dict[str, asyncio.Lock] = {}

    def lock(self, ts: str) -> asyncio.Lock:
        return self.locks.setdefault(ts, asyncio.Lock())

    def latest(self, ts: str, pressed_on: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self.blocks.get(ts, pressed_on)

    def remember(self, ts: str, blocks: list[dict[str, Any]]) -> None:
        self.blocks[ts] = blocks
        self.blocks.move_to_end(ts)
        while len(self.blocks) > self.keep:
            old, _ = self.blocks.popitem(last=False)
            self.locks.pop(old, None)


async def _settle_row(
    client: AsyncWebClient,
    body: dict[str, Any],
    failed: bool,
    detail: str,
    done: str,
    settled: SettledRows,
) -> None:
    """A done row loses its buttons and says what happened; a failure is told privately."""
    channel = str((body.get("channel") or {}).get("id", ""))
    user = str(body["user"]["id"])
    message = body.get("message") or {}
    if failed:
        try:
            await client.chat_postEphemeral(
                channel=channel, user=user, text=f"That did not work: {detail[:500]}"
            )
        except SlackApiError as error:
            log.warning("slack: could not report a failed summary button: %s", error)
        return
    block_id = str(body["actions"][0].get("block_id", ""))
    ts = str(message.get("ts", ""))
    async with settled.lock(ts):
        blocks = [
            {
                "type": "context",
                "block_id": block_id,
                "elements": [{"type": "mrkdwn", "text": f":white_check_mark: {done}"}],
            }
            if block.get("block_id") == block_id
            else block
            for block in settled.latest(ts, message.get("blocks") or [])
        ]
        await client.chat_update(
            channel=channel, ts=ts, text=message.get("text", ""), blocks=blocks
        )
        settled.remember(ts, blocks)
