"""Socket Mode: no public URL; events arrive over a WebSocket and are acked on it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from coworker.llm.scripted import ScriptedModel
from coworker.server import create_app
from tests.agent.conftest import settings_for
from tests.channels.slack.conftest import BOT_TOKEN
from tests.channels.slack.mock_slack import TEAM, MockSlack
from tests.channels.slack.mock_socket import MockSocketMode
from tests.support.servers import run_asgi_server


def _envelope(envelope_id: str, text: str, ts: str) -> dict[str, Any]:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D9",
        "user": "U9",
        "text": text,
        "ts": ts,
    }
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
        "payload": {
            "type": "event_callback",
            "team_id": TEAM,
            "api_app_id": "A0APP",
            "event_id": f"Ev{envelope_id}",
            "event_time": int(time.time()),
            "event": event,
        },
    }


def test_socket_mode_acks_each_envelope_and_answers_in_the_thread(
    tmp_path: Path, mock_slack: tuple[MockSlack, str]
) -> None:
    slack, slack_url = mock_slack
    socket = MockSocketMode()
    model = ScriptedModel([ScriptedModel.text("Hello over Socket Mode.")])
    with socket.run() as ws_url:
        slack.socket_url = ws_url
        settings = settings_for(
            tmp_path,
            slack_bot_token=BOT_TOKEN,
            slack_app_token="xapp-1-test-app-token",
            slack_api_base_url=slack_url + "/api/",
            scheduler_enabled=False,
        )
        with run_asgi_server(create_app(settings, model=model)) as url:
            (opened,) = slack.wait_for(lambda s: s.of("apps.connections.open"), what="connect")
            deadline = time.monotonic() + 10
            while socket.connections < 1:
                assert time.monotonic() < deadline, "the app never opened the WebSocket"
                time.sleep(0.02)
            socket.send(_envelope("env-1", "hi there", "1700000100.000100"))
            socket.send(_envelope("env-1", "hi there", "1700000100.000100"))  # a redelivery
            assert socket.wait_for_ack("env-1") == {"envelope_id": "env-1"}
            slack.wait_for(
                lambda s: "Hello over Socket Mode." in str(s.streams()), what="the reply"
            )
            time.sleep(0.3)  # room for a second reply to show itself
            (start,) = slack.of("chat.startStream")
            assert start["channel"] == "D9" and start["thread_ts"] == "1700000100.000100"
            assert len(socket.acks("env-1")) == 2 and model.remaining == 0
            # no signing secret: no HTTP route; Socket Mode is the only way in
            assert httpx.post(f"{url}/slack/events", content=b"{}").status_code in (404, 405)


def test_socket_mode_carries_the_agent_events(
    tmp_path: Path, mock_slack: tuple[MockSlack, str]
) -> None:
    """The Messages tab, a session and its Stop arrive over the WebSocket as over HTTP."""
    slack, slack_url = mock_slack
    slack.agent_view = True
    socket = MockSocketMode()
    with socket.run() as ws_url:
        slack.socket_url = ws_url
        settings = settings_for(
            tmp_path,
            slack_bot_token=BOT_TOKEN,
            slack_app_token="xapp-1-test-app-token",
            slack_api_base_url=slack_url + "/api/",
            scheduler_enabled=False,
        )
        model = ScriptedModel([ScriptedModel.text("Hello, agent.")])
        with run_asgi_server(create_app(settings, model=model)):
            slack.wait_for(lambda s: s.of("apps.connections.open"), what="connect")
            deadline = time.monotonic() + 10
            while socket.connections < 1:
                assert time.monotonic() < deadline, "the app never opened the WebSocket"
                time.sleep(0.02)
            tab = {"type": "app_home_opened", "user": "U9", "channel": "D9", "tab": "messages"}
            socket.send(_event_envelope("env-tab", tab))
            assert socket.wait_for_ack("env-tab") == {"envelope_id": "env-tab"}
            (prompts,) = slack.wait_for(lambda s: s.of("assistant.threads.setSuggestedPrompts"))
            assert prompts["_ok"] and prompts["channel_id"] == "D9"
            socket.send(_envelope("env-dm", "hi agent", "1700000200.000100"))
            slack.wait_for(lambda s: "Hello, agent." in str(s.streams()), what="the reply")
            (stop,) = slack.of("chat.stopStream")
            assert stop["_ok"] and stop["session_status"] == "active"
            assert [c["status"] for c in slack.of("agents.sessions.setStatus")] == ["processing"]
            stopped = {
                "type": "agent_session_stopped",
                "channel": "D9",
                "thread_ts": "1700000200.000100",
                "user": "U9",
                "streaming_message_ts": [],
                "event_ts": "1700000201.000001",
            }
            socket.send(_event_envelope("env-stop", stopped))
            assert socket.wait_for_ack("env-stop") == {"envelope_id": "env-stop"}
            # nothing was running: the session is still taken out of processing
            slack.wait_for(
                lambda s: [c["status"] for c in s.of("agents.sessions.setStatus")][-1] == "active",
                what="the session moved",
            )


def _event_envelope(envelope_id: str, event: dict[str, Any]) -> dict[str, Any]:
    envelope = _envelope(envelope_id, "", "0")
    envelope["payload"]["event"] = event
    return envelope
