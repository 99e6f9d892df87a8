"""Slack's agent messaging experience, tried as a new user would: the manifest's app, the
Messages tab's prompts, a session with its title and status, tool steps as task cards, a
Stop in the middle of a long turn, feedback on a reply, and an email approved.

The mock Web API plays an app on `agent_view` (`agent_view = True`); every call it takes
is checked against the shapes Slack documents (`slack_shapes`).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from coworker.cli import app as cli
from coworker.config import get_settings
from coworker.llm.base import ModelEvent, ModelRequest, TextDelta
from coworker.llm.scripted import ScriptedModel
from tests.channels.slack.conftest import JANE, SlackClient
from tests.channels.slack.mock_slack import MockSlack

S = ScriptedModel
ROOT = Path(__file__).resolve().parents[3]
THREAD = "1699999999.000100"
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}


def _agent(serve: Any, turns: list[Any], **kw: Any) -> SlackClient:
    client: SlackClient = serve(turns, **kw)
    client.slack.agent_view = True
    return client


def _sessions(slack: MockSlack) -> list[str]:
    return [c["status"] for c in slack.of("agents.sessions.setStatus")]


def _final_stop(slack: MockSlack) -> dict[str, Any]:
    stops = slack.wait_for(
        lambda s: [c for c in s.of("chat.stopStream") if c["_ok"]], what="the end of the reply"
    )
    stop: dict[str, Any] = stops[-1]
    return stop


def test_the_manifest_declares_the_agent_experience_with_least_scopes() -> None:
    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yaml").read_text())
    features = manifest["features"]
    assert "assistant_view" not in features
    assert 0 < len(features["agent_view"]["agent_description"]) <= 300
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == {
        "app_home_opened",
        "app_context_changed",
        "message.im",
        "app_mention",
        "agent_session_stopped",
        "agent_session_title_changed",
    }
    assert "assistant_thread_started" not in events
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert scopes == {
        "assistant:write",  # sessions, suggested prompts, streams
        "chat:write",
        "app_mentions:read",
        "im:history",  # message.im
        "im:write",  # the daily summary's DM (conversations.open)
        "users:read",  # the person's timezone (users.info)
    }


def test_opening_the_messages_tab_shows_prompts_from_the_day(serve: Any) -> None:
    client = _agent(serve, [])
    opened = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages"}
    assert client.event(opened).status_code == 200
    (call,) = client.slack.wait_for(
        lambda s: s.of("assistant.threads.setSuggestedPrompts"), what="the prompts"
    )
    assert call["_ok"] and call["channel_id"] == "D1" and "thread_ts" not in call
    titles = [p["title"] for p in call["prompts"]]
    assert re.fullmatch(r"[1-9]\d* tasks? due (today|or overdue)", titles[0]), titles
    assert re.fullmatch(r"Draft follow-ups for [1-9]\d* quiet deals?", titles[1]), titles
    assert titles[2] == "Who should I call next?"
    assert client.slack.of("views.publish") == []  # the Home tab is another event


def test_a_dm_is_a_session_titled_from_the_request_with_its_steps_as_task_cards(
    serve: Any,
) -> None:
    client = _agent(
        serve,
        [S.tool_calls(("search_leads", {"search": "jane"})), S.text("**Jane** is at Acme.")],
    )
    assert client.dm("who is jane smith at acme?").status_code == 200
    slack = client.slack
    stop = _final_stop(slack)
    assert _sessions(slack)[0] == "processing"
    assert slack.of("assistant.threads.setStatus") == []  # the legacy status is not used
    (rename,) = slack.of("agents.sessions.rename")
    assert rename["title"] == "who is jane smith at acme?" and rename["thread_ts"] == THREAD
    (start,) = slack.of("chat.startStream")
    assert start["task_display_mode"] == "plan"
    assert stop["session_status"] == "active"  # the reply is written: ready for more
    (card,) = slack.tasks().values()
    assert card["title"] == "Searching leads…" and card["status"] == "complete"
    updates = [
        c["status"]
        for call in [start, *slack.of("chat.appendStream")]
        for c in call.get("chunks") or []
        if c["type"] == "task_update"
    ]
    assert updates == ["in_progress", "complete"]  # as it ran, not only at the end
    assert slack.plan_titles()[-1] == "Done"
    assert list(slack.streams().values()) == ["**Jane** is at Acme."]
    assert [b["type"] for b in stop["blocks"]] == ["context_actions"]  # no tool line here


def test_a_title_the_person_gave_is_kept(serve: Any) -> None:
    client = _agent(serve, [S.text("Hello.")])
    renamed = {
        "type": "agent_session_title_changed",
        "channel": "D1",
        "thread_ts": THREAD,
        "title": "Jane pricing",
        "user": "U1",
        "event_ts": "1700000001.000001",
    }
    assert client.event(renamed).status_code == 200
    client.slack.wait_for(lambda s: s.of("auth.test"), what="the rename to be taken")
    assert client.dm("hi there").status_code == 200
    _final_stop(client.slack)
    assert client.slack.of("agents.sessions.rename") == []


class HoldingModel(ScriptedModel):
    """Plays its script, then starts a reply and keeps thinking until it is cancelled:
    a long turn (nothing here waits on a clock; the test waits for what it observes)."""

    async def stream(self, request: ModelRequest) -> AsyncIterator[ModelEvent]:
        if self.remaining:
            async for event in super().stream(request):
                yield event
            return
        self.requests.append(request)
        yield TextDelta("Found Jane. Now checking her deals")
        await asyncio.Event().wait()  # until the turn is cancelled


def test_stop_ends_a_long_turn_cleanly_and_says_what_was_done(serve: Any) -> None:
    model = HoldingModel([S.tool_calls(("search_leads", {"search": "jane"}))])
    client = _agent(serve, [], model=model)
    slack = client.slack
    assert client.dm("research jane and her deals").status_code == 200
    slack.wait_for(lambda s: len(model.requests) == 2, what="the long turn's second step")
    stopped = slack.press_stop("D1", THREAD)  # Slack ends the streams when Stop is pressed
    event = {
        "type": "agent_session_stopped",
        "channel": "D1",
        "thread_ts": THREAD,
        "user": "U1",
        "streaming_message_ts": stopped,
        "event_ts": "1700000002.000001",
    }
    assert client.event(event).status_code == 200
    note = slack.wait_for(
        lambda s: [m for m in s.of("chat.postMessage") if "Stopped" in m.get("text", "")],
        what="the stopped note",
    )[-1]
    assert "Done before the stop: Searching leads" in note["text"]
    assert "Nothing was sent" in note["text"]
    assert not any(b["type"] == "context_actions" for b in note["blocks"])  # nothing to rate
    slack.wait_for(lambda s: _sessions(s)[-1] == "active", what="the session out of processing")
    # The conversation is whole and free: the next message gets its turn at once.
    model._script.append(S.text("Still here."))
    assert client.dm("are you there?", ts="1699999999.000300", thread_ts=THREAD).status_code == 200
    slack.wait_for(lambda s: "Still here." in str(s.streams()), what="the next reply")
    last = model.requests[-1].messages
    assert last[-1]["role"] == "user" and last[-2]["role"] == "assistant"


def test_feedback_on_a_reply_is_recorded_and_exported(serve: Any, tmp_path: Path) -> None:
    client = _agent(serve, [S.text("Jane is at Acme.")], database_url=None)
    assert client.dm("who is jane?").status_code == 200
    stop = _final_stop(client.slack)
    (buttons,) = stop["blocks"][-1]["elements"]
    assert buttons["type"] == "feedback_buttons"
    # Up, then they change their mind: the second press replaces the first.
    for count, side in enumerate(("positive_button", "negative_button"), start=1):
        assert client.interaction(_feedback_press(stop, buttons, side)).status_code == 200
        client.slack.wait_for(
            lambda s, n=count: len(s.of("chat.postEphemeral")) == n, what="the thanks"
        )
    thanks = client.slack.of("chat.postEphemeral")[-1]
    assert thanks["user"] == "U1" and thanks["thread_ts"] == THREAD
    get_settings.cache_clear()
    result = CliRunner().invoke(
        cli,
        ["feedback", "export", "--json"],
        env={"COWORKER_DATA_DIR": str(tmp_path)},
        catch_exceptions=False,
    )
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["rating"] == "down" and row["channel"] == "slack" and row["model"] == "scripted"
    assert row["reply"] == "Jane is at Acme." and row["user"].endswith(":U1")


def _feedback_press(stop: dict[str, Any], buttons: dict[str, Any], side: str) -> dict[str, Any]:
    """The block_actions payload Slack sends for a press on one of the feedback buttons."""
    return {
        "type": "block_actions",
        "user": {"id": "U1"},
        "channel": {"id": "D1"},
        "container": {"type": "message", "channel_id": "D1", "message_ts": stop["ts"]},
        "message": {"ts": stop["ts"], "thread_ts": THREAD},
        "actions": [
            {
                "type": "feedback_buttons",
                "action_id": buttons["action_id"],
                "block_id": "feedback",
                "value": buttons[side]["value"],
            }
        ],
    }


def test_a_card_suspends_the_session_and_approving_sends_the_email_once(serve: Any) -> None:
    client = _agent(serve, [S.tool_calls(("send_email", EMAIL)), S.text("Sent it.")])
    slack = client.slack
    assert client.dm("email Jane about pricing").status_code == 200
    call, block = slack.wait_for(
        lambda s: next(
            (
                (c, b)
                for c in s.of("chat.postMessage")
                for b in c.get("blocks") or []
                if b.get("type") == "actions"
            ),
            None,
        ),
        what="the approval card",
    )
    assert _sessions(slack)[-1] == "suspended" or any(
        c.get("session_status") == "suspended" for c in slack.of("chat.stopStream")
    )
    (waiting,) = [t for t in slack.tasks().values() if t.get("output")]
    assert waiting["output"] == "Waiting for your approval"
    card = {"channel": call["channel"], "ts": "1700000000.999999", "thread_ts": THREAD}
    assert client.click("approve", block["elements"][0]["value"], "U1", card).status_code == 200
    slack.wait_for(lambda s: "Sent it." in str(s.streams()), what="the reply after sending")
    assert len(client.outbox()) == 1


def test_no_key_yet_offers_to_connect_it_right_there(serve: Any) -> None:
    client = _agent(serve, [], dialsheet_base_url="http://127.0.0.1:9")
    slack = client.slack
    opened = {"type": "app_home_opened", "user": "U7", "channel": "D7", "tab": "messages"}
    assert client.event(opened).status_code == 200
    (prompts,) = slack.wait_for(lambda s: s.of("assistant.threads.setSuggestedPrompts"))
    assert "Connect your Dialsheet key" in prompts["title"]
    assert client.dm("who is jane?", user="U7").status_code == 200
    asked = slack.wait_for(
        lambda s: (
            [m for m in s.of("chat.postMessage") if "API key" in m.get("text", "")]
            + [c for c in s.of("chat.stopStream") if c.get("blocks")]
        ),
        what="the request for a key",
    )[-1]
    (button,) = [b for b in asked["blocks"] if b["type"] == "actions"][0]["elements"]
    assert button["text"]["text"] == "Connect your Dialsheet key"
    click = {
        "type": "block_actions",
        "user": {"id": "U7"},
        "trigger_id": "trigger-7",
        "channel": {"id": "D7"},
        "actions": [{"action_id": button["action_id"], "type": "button"}],
    }
    assert client.interaction(click).status_code == 200
    (modal,) = slack.wait_for(lambda s: s.of("views.open"), what="the key modal")
    assert modal["trigger_id"] == "trigger-7" and modal["view"]["callback_id"]
    assert _sessions(slack)[-1] == "active"
