"""The daily summary as a Slack DM: delivered once, with buttons that work, and a thread that
continues the conversation. A cron-style run (its own runtime on the same database files)
delivers; the running app, behind signed requests, handles the buttons and replies."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from coworker.channels.slack.summary import snoozed_due
from coworker.llm.scripted import ScriptedModel
from coworker.runtime import Runtime, open_runtime
from coworker.sandbox.seed import DEMO_USERS
from coworker.server import create_app
from coworker.store.records import UserRecord
from coworker.summary.runs import SummaryService
from tests.agent.conftest import settings_for
from tests.channels.slack.conftest import BOT_TOKEN, SIGNING_SECRET, SlackClient
from tests.channels.slack.mock_slack import TEAM, MockSlack
from tests.summary.conftest import summaries_delivered
from tests.support.servers import run_asgi_server

S = ScriptedModel
JANE_TASK = "Follow up with Jane Smith about pricing"
INITECH_TASK = "Send proposal to Initech"


def _settings(tmp_path: Path, slack_url: str) -> Any:
    return settings_for(
        tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'coworker.db'}",
        sandbox_database_url=f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}",
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_base_url=slack_url + "/api/",
        scheduler_enabled=False,
    )


@pytest.fixture
def slack_app(tmp_path: Path) -> Iterator[tuple[SlackClient, str, ScriptedModel]]:
    slack = MockSlack()
    model = ScriptedModel([])
    with run_asgi_server(slack.app) as slack_url:
        app = create_app(_settings(tmp_path, slack_url), model=model)
        with run_asgi_server(app) as url:
            yield SlackClient(url, model, slack), slack_url, model


@pytest.fixture
async def cron(
    tmp_path: Path, slack_app: tuple[SlackClient, str, ScriptedModel]
) -> AsyncIterator[Runtime]:
    """A second runtime on the same files, as `coworker summary run` from cron would be."""
    runtime = await open_runtime(_settings(tmp_path, slack_app[1]))
    yield runtime
    await runtime.aclose()


async def _slack_person(runtime: Runtime) -> UserRecord:
    user = await runtime.store.ensure_user(f"slack:{TEAM}:U1")
    return await runtime.store.update_user(user.id, summary_channel="slack")


def _task_rows(posted: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Buttons under the summary, by the task or deal title they act on."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for block in posted["blocks"]:
        if block["type"] == "actions":
            title = json.loads(block["elements"][0]["value"])["title"]
            rows[title] = [{**e, "block_id": block["block_id"]} for e in block["elements"]]
    return rows


def _press(
    client: SlackClient, button: dict[str, Any], summary: dict[str, Any], user: str = "U1"
) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "trigger_id": "trigger-1",
        "channel": {"id": summary["channel"]},
        "container": {"type": "message", "channel_id": summary["channel"]},
        "message": {"ts": summary["ts"], "text": summary["text"], "blocks": summary["blocks"]},
        "actions": [
            {
                "action_id": button["action_id"],
                "block_id": button["block_id"],
                "value": button["value"],
                "type": "button",
            }
        ],
    }
    assert client.interaction(payload).status_code == 200


def _tasks(client: SlackClient) -> dict[str, dict[str, Any]]:
    answer = client.http.get(
        "/sandbox/api/v1/tasks",
        params={"limit": 100},
        headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
    )
    return {task["title"]: task for task in answer.json()["tasks"]}


async def test_summary_dm_has_working_buttons_and_a_thread_that_continues(
    slack_app: tuple[SlackClient, str, ScriptedModel], cron: Runtime
) -> None:
    client, _, model = slack_app
    slack = client.slack
    user = await _slack_person(cron)
    today = datetime.now(UTC).date()
    service = SummaryService.from_runtime(cron)
    assert [c.name for c in service.targets(user)] == ["slack"]

    result = await service.run(user, today)
    assert result.outcome == "delivered", result
    again = await service.run(user, today)
    assert again.outcome == "already_done"
    (opened,) = slack.of("conversations.open")
    assert opened["users"] == "U1"
    (posted,) = slack.of("chat.postMessage")
    assert posted["channel"] == "D1" and "thread_ts" not in posted
    assert posted["blocks"][0]["type"] == "header"
    summary = {**posted, "ts": "1700000000.000001"}  # the mock's first ts
    rows = _task_rows(posted)
    assert [b["text"]["text"] for b in rows[JANE_TASK]] == [
        "Mark done",
        "Snooze to tomorrow",
        "Draft follow-up",
    ]
    assert rows[JANE_TASK][0]["style"] == "primary"

    # Someone else pressing (were the message ever shared) is refused, and nothing changes
    _press(client, rows[JANE_TASK][0], summary, user="U2")
    (refusal,) = slack.wait_for(lambda s: s.of("chat.postEphemeral"), what="the refusal")
    assert refusal["user"] == "U2" and refusal["text"] == "Only <@U1> can act on this summary."
    assert _tasks(client)[JANE_TASK]["completed"] is False and slack.of("chat.update") == []

    # Mark done: the task is completed in the CRM; its row loses its buttons
    _press(client, rows[JANE_TASK][0], summary)
    update = slack.wait_for(lambda s: s.of("chat.update"), what="the summary updated")[0]
    assert update["ts"] == summary["ts"]
    settled = [b for b in update["blocks"] if b.get("block_id") == rows[JANE_TASK][0]["block_id"]]
    assert settled[0]["type"] == "context" and "Marked done" in str(settled[0])
    assert _tasks(client)[JANE_TASK]["completed"] is True

    # Snooze to tomorrow: the due date moves to tomorrow, same time of day
    assert INITECH_TASK in rows  # due today too
    overdue = next(t for t in rows if len(rows[t]) >= 2 and t not in (JANE_TASK, INITECH_TASK))
    before = _tasks(client)[overdue]["due_date"]
    _press(client, rows[overdue][1], summary)
    slack.wait_for(lambda s: len(s.of("chat.update")) >= 2, what="the snoozed row")
    # pressed on the summary as first sent: the row marked done before stays settled
    latest = {b.get("block_id"): b for b in slack.of("chat.update")[-1]["blocks"]}
    assert "Marked done" in str(latest[rows[JANE_TASK][0]["block_id"]])
    assert "Snoozed to" in str(latest[rows[overdue][1]["block_id"]])
    after = datetime.fromisoformat(_tasks(client)[overdue]["due_date"])
    due = datetime.fromisoformat(before)
    assert after.date() == date.fromordinal(today.toordinal() + 1)
    assert (after.hour, after.minute) == (due.hour, due.minute)

    # Draft follow-up: the agent drafts it in the summary's thread, and it waits for approval
    model._script.extend(
        [
            S.tool_calls(
                (
                    "send_email",
                    {
                        "lead_id": json.loads(rows[JANE_TASK][0]["value"])["lead"],
                        "subject": "Pricing",
                        "body_text": "Hi Jane, following up on pricing.",
                    },
                )
            ),
            S.text("Anything else?"),
        ]
    )
    _press(client, rows[JANE_TASK][2], summary)
    card = slack.wait_for(
        lambda s: [c for c in s.of("chat.postMessage") if "Approval needed" in c.get("text", "")],
        what="the follow-up's approval card",
    )[0]
    assert card["thread_ts"] == summary["ts"]
    asked = model.requests[0].messages
    assert asked[-1]["content"][0]["text"] == (
        f"Draft a follow-up email to Jane Smith about {JANE_TASK}"
    )
    assert "Daily summary for" in asked[0]["content"][0]["text"]  # the thread holds the summary
    assert asked[1]["role"] == "assistant" and "Jane Smith" in asked[1]["content"][0]["text"]

    # A reply in the thread continues the same conversation
    client.dm("thanks", ts="1700000009.000001", thread_ts=summary["ts"])
    slack.wait_for(lambda s: "Anything else?" in str(s.streams()), what="the reply in thread")
    assert len(model.requests) == 2
    assert len(model.requests[1].messages) > len(asked)


def test_snooze_is_tomorrow_in_the_persons_timezone_at_the_same_time() -> None:
    due = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)  # 10:00 in New York, before DST
    now = datetime(2026, 3, 8, 3, 30, tzinfo=UTC)  # still the 7th in New York
    snoozed = snoozed_due(due, "America/New_York", now)
    assert snoozed.isoformat() == "2026-03-08T10:00:00-04:00"  # the DST day, still 10:00


async def test_slack_summaries_only_go_to_people_slack_can_reach(cron: Runtime) -> None:
    service = SummaryService.from_runtime(cron)
    web_person = await cron.store.ensure_user("web:bob")
    web_person = await cron.store.update_user(web_person.id, summary_channel="slack")
    assert [c.name for c in service.targets(web_person)] == ["web"]  # no Slack identity
    slack_person = await cron.store.ensure_user(f"slack:{TEAM}:U7", summary_channel="slack")
    assert [c.name for c in service.targets(slack_person)] == ["slack"]
    both = await cron.store.update_user(slack_person.id, summary_channel="both")
    assert [c.name for c in service.targets(both)] == ["web", "slack"]


async def test_a_retried_both_channel_summary_reaches_the_web_once(cron: Runtime) -> None:
    """A 'both' run whose Slack half failed is retried; the web copy is not added twice."""
    user = await _slack_person(cron)
    user = await cron.store.update_user(user.id, summary_channel="both")
    service = SummaryService.from_runtime(cron)
    summary = await service.compose(user)
    web = service.channels["web"]
    await web.deliver(user, summary)
    await web.deliver(user, summary)
    assert len(await summaries_delivered(cron.store, user.id)) == 1
