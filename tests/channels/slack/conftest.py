"""The coworker app with Slack on, against a mock Slack Web API, with signed requests."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier

from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import DEMO_USERS, demo_id
from coworker.server import create_app
from tests.agent.conftest import settings_for
from tests.channels.slack.mock_slack import TEAM, MockSlack
from tests.support.servers import run_asgi_server

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
JANE = demo_id("lead", "northwind:jane-smith")


class SlackClient:
    """Signed requests to the coworker's /slack/events, as Slack would send them."""

    def __init__(self, url: str, model: ScriptedModel, slack: MockSlack) -> None:
        self.url, self.model, self.slack = url, model, slack
        self.http = httpx.Client(base_url=url, timeout=30)
        self._events = 0

    def signed(
        self, body: str, content_type: str, *, timestamp: int | None = None, secret: str = ""
    ) -> httpx.Response:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        signature = SignatureVerifier(secret or SIGNING_SECRET).generate_signature(
            timestamp=ts, body=body
        )
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
        }
        return self.http.post("/slack/events", content=body, headers=headers)

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        self._events += 1
        body = {
            "type": "event_callback",
            "team_id": TEAM,
            "api_app_id": "A0APP",
            "event": event,
            "event_id": event_id or f"Ev{self._events:08d}",
            "event_time": int(time.time()),
        }
        return self.signed(json.dumps(body), "application/json", **kwargs)

    def dm(
        self,
        text: str,
        user: str = "U1",
        ts: str = "1699999999.000100",
        thread_ts: str | None = None,
        **kw: Any,
    ) -> Any:
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": "D1",
            "user": user,
            "text": text,
            "ts": ts,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event, **kw)

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        payload = {"team": {"id": TEAM}, "api_app_id": "A0APP", **payload}
        body = urlencode({"payload": json.dumps(payload)})
        return self.signed(body, "application/x-www-form-urlencoded")

    def click(self, verb: str, action_id: str, user: str, card: dict[str, Any]) -> httpx.Response:
        return self.interaction(
            {
                "type": "block_actions",
                "user": {"id": user},
                "trigger_id": "trigger-1",
                "channel": {"id": card["channel"]},
                "container": {"type": "message", "channel_id": card["channel"]},
                "message": {"ts": card["ts"], "thread_ts": card["thread_ts"]},
                "actions": [
                    {"action_id": f"coworker_{verb}", "value": action_id, "type": "button"}
                ],
            }
        )

    def submit(self, view: dict[str, Any], user: str, values: dict[str, Any]) -> httpx.Response:
        return self.interaction(
            {
                "type": "view_submission",
                "user": {"id": user},
                "view": {**view, "state": {"values": values}},
            }
        )

    def outbox(self) -> list[dict[str, Any]]:
        answer = self.http.get(
            "/sandbox/api/v1/emails",
            params={"lead_id": JANE},
            headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
        )
        emails: list[dict[str, Any]] = answer.json()["emails"]
        return emails


@pytest.fixture
def mock_slack() -> Iterator[tuple[MockSlack, str]]:
    slack = MockSlack()
    with run_asgi_server(slack.app) as url:
        yield slack, url


@pytest.fixture
def serve(tmp_path: Path, mock_slack: tuple[MockSlack, str]) -> Iterator[Any]:
    slack, slack_url = mock_slack
    started: list[Any] = []

    def start(turns: list[Any], *, model: Any = None, **overrides: Any) -> SlackClient:
        """The app against the mock; `model` replaces the scripted one, `overrides` are
        Settings fields (a CRM, a database file...)."""
        model = model if model is not None else ScriptedModel(turns)
        settings = settings_for(
            tmp_path,
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_base_url=slack_url + "/api/",
            scheduler_enabled=False,
            **overrides,
        )
        context = run_asgi_server(create_app(settings, model=model))
        url = context.__enter__()
        started.append(context)
        return SlackClient(url, model, slack)

    yield start
    for context in started:
        context.__exit__(None, None, None)
