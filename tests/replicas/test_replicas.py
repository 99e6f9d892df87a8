"""Two `coworker serve` processes on two ports sharing one PostgreSQL database, as replicas
behind a load balancer would: what must happen once happens once, and one conversation's
turns run one after the other whichever replica each message reaches.

Real parts throughout: the replicas are child processes, started at the same moment; the
CRM is a `coworker sandbox` process; the model is the Anthropic stub over HTTP (answering
from the request, with a delay where a test needs a turn to last); Slack is the mock Web API.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.ext.asyncio import create_async_engine

from coworker.sandbox.seed import DEMO_USERS, demo_id
from tests.channels.slack.mock_slack import TEAM, MockSlack
from tests.support.anthropic_stub import AnthropicStub, StubReply
from tests.support.processes import child_server, coworker, free_port, start_servers
from tests.support.servers import run_asgi_server

pytestmark = pytest.mark.postgres

JANE = demo_id("lead", "northwind:jane-smith")
SIGNING_SECRET = "replica-signing-secret"
SLOW_TURN_S = 1.5


def _last_user_text(body: dict[str, Any]) -> str:
    content = body["messages"][-1]["content"]
    if isinstance(content, str):
        return content
    return " ".join(b.get("text", "") for b in content if b.get("type") == "text")


def _respond(body: dict[str, Any]) -> StubReply:
    """The model, decided by what it is asked."""
    last = body["messages"][-1]["content"]
    if isinstance(last, list) and any(b.get("type") == "tool_result" for b in last):
        return StubReply.text("Done: it went out.")
    said = _last_user_text(body)
    if said == "first":
        return StubReply.text("one", delay_s=SLOW_TURN_S)
    if said == "second":
        return StubReply.text("two")
    if said == "email jane":
        email = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, our pricing."}
        return StubReply.tool_use("send_email", email)
    if said == "slack hello":
        return StubReply.text("Hello from one replica.")
    return StubReply.text("Your day: two tasks due, one deal to chase.")  # the daily summary


@dataclass
class Replicas:
    urls: list[str]
    crm: str
    stub: AnthropicStub
    slack: MockSlack

    def requests_saying(self, text: str) -> list[dict[str, Any]]:
        return [r.body for r in self.stub.requests if _last_user_text(r.body) == text]


def _database(action: str, base: str, name: str) -> None:
    async def run() -> None:
        admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            if action == "create":
                await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            else:
                await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()

    asyncio.run(run())


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    base = os.environ.get("COWORKER_TEST_DATABASE_URL")
    if not base:
        pytest.skip("COWORKER_TEST_DATABASE_URL not set: the replica tests need PostgreSQL")
    name = f"coworker_replicas_{uuid.uuid4().hex[:10]}"
    _database("create", base, name)
    stub = AnthropicStub(responder=_respond)
    slack = MockSlack()
    crm_port = free_port()
    try:
        with ExitStack() as stack:
            stub_url = stack.enter_context(stub.run())
            slack_url = stack.enter_context(run_asgi_server(slack.app))
            crm = stack.enter_context(
                child_server(["sandbox", "--port", str(crm_port)], crm_port, "/api/v1/tags")
            )
            env = {
                "DATABASE_URL": base.rsplit("/", 1)[0] + f"/{name}",
                "COWORKER_SECRET_KEY": Fernet.generate_key().decode(),
                "ANTHROPIC_API_KEY": "sk-ant-replica-test",
                "ANTHROPIC_BASE_URL": stub_url,
                "DIALSHEET_BASE_URL": crm,
                "DIALSHEET_API_KEY": DEMO_USERS[0].key,
                "SLACK_BOT_TOKEN": "xoxb-replica-test",
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_BASE_URL": slack_url + "/api/",
                "COWORKER_SCHEDULER": "1",
            }
            # The local user's summary is due the moment the replicas start, on both.
            everyday = "mon,tue,wed,thu,fri,sat,sun"
            settings = ["--on", "--time", "00:00", "--weekdays", everyday, "--timezone", "UTC"]
            data = tmp_path_factory.mktemp("replica-setup")
            coworker(["user", "settings", *settings], {**env, "COWORKER_DATA_DIR": str(data)})
            ports = [free_port(), free_port()]
            commands = [
                (
                    ["serve", "--port", str(port)],
                    port,
                    {**env, "COWORKER_DATA_DIR": str(tmp_path_factory.mktemp("replica"))},
                )
                for port in ports
            ]
            urls = stack.enter_context(start_servers(commands, "/healthz"))
            yield Replicas(urls, crm, stub, slack)
    finally:
        _database("drop", base, name)


def _chat(url: str, message: str, conversation_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message}
    if conversation_id:
        body["conversation_id"] = conversation_id
    answer = httpx.post(f"{url}/api/chat", json=body, timeout=60)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def test_two_messages_to_one_conversation_on_two_replicas_take_turns(
    replicas: Replicas,
) -> None:
    first_replica, second_replica = replicas.urls
    conversation = _chat(first_replica, "hi")["conversation_id"]
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(_chat, first_replica, "first", conversation)
        deadline = time.monotonic() + 30
        while not replicas.requests_saying("first"):  # the first turn is at the model
            assert time.monotonic() < deadline, "the first turn never reached the model"
            time.sleep(0.02)
        second = _chat(second_replica, "second", conversation)
        first = slow.result(timeout=60)
    assert (first["reply"], second["reply"]) == ("one", "two")
    # the second turn started only once the first was complete, on the other replica
    (asked,) = replicas.requests_saying("second")
    said = [(m["role"], _last_user_text({"messages": [m]})) for m in asked["messages"][-3:]]
    assert said == [("user", "first"), ("assistant", "one"), ("user", "second")]
    shown = httpx.get(f"{second_replica}/api/conversations/{conversation}", timeout=10).json()
    roles = [m["role"] for m in shown["messages"]]
    assert roles == ["user", "assistant"] * 3


def test_concurrent_approvals_on_two_replicas_send_once(replicas: Replicas) -> None:
    (action,) = _chat(replicas.urls[0], "email jane")["actions"]

    def approve(url: str) -> int:
        answer = httpx.post(f"{url}/api/actions/{action['id']}/approve", json={}, timeout=60)
        return answer.status_code

    with ThreadPoolExecutor(10) as pool:
        codes = list(pool.map(approve, replicas.urls * 5))
    assert sorted(codes) == [200] + [409] * 9
    emails = httpx.get(
        f"{replicas.crm}/api/v1/emails",
        params={"lead_id": JANE},
        headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
        timeout=10,
    ).json()["emails"]
    assert [e["subject"] for e in emails].count("Pricing") == 1


def test_one_slack_event_on_both_replicas_gets_one_reply(replicas: Replicas) -> None:
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": TEAM,
            "event_id": "EvREPLICA0001",
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": "D42",
                "user": "U42",
                "text": "slack hello",
                "ts": "1700000042.000100",
            },
        }
    )
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(
            timestamp=stamp, body=body
        ),
    }

    def deliver(url: str) -> int:
        answer = httpx.post(f"{url}/slack/events", content=body, headers=headers, timeout=10)
        return answer.status_code

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(deliver, replicas.urls)) == [200, 200]

    def replies(slack: MockSlack) -> list[dict[str, Any]]:
        # a reply streamed, or posted (this Slack user has no Dialsheet key connected, so
        # the reply is likely "connect your key" rather than the model's)
        posted = [c for c in slack.of("chat.postMessage") if c.get("channel") == "D42"]
        return posted + [c for c in slack.of("chat.startStream") if c.get("channel") == "D42"]

    replicas.slack.wait_for(replies, what="the reply")
    time.sleep(0.5)  # room for a second reply to show itself
    assert len(replies(replicas.slack)) == 1
    statuses = replicas.slack.of("assistant.threads.setStatus")
    assert [c["channel_id"] for c in statuses] == ["D42"]
    assert len(replicas.requests_saying("slack hello")) <= 1


def test_two_schedulers_deliver_one_summary(replicas: Replicas) -> None:
    url = replicas.urls[0]
    deadline = time.monotonic() + 30
    while True:
        listed = httpx.get(f"{url}/api/conversations", timeout=10).json()["conversations"]
        daily = [c for c in listed if c.get("title") == "Daily summary"]
        if daily:
            break
        assert time.monotonic() < deadline, "no daily summary was delivered"
        time.sleep(0.1)
    time.sleep(1.0)  # both schedulers ticked at start-up; give a second delivery its chance
    shown = httpx.get(f"{url}/api/conversations/{daily[0]['id']}", timeout=10).json()
    replies = [m for m in shown["messages"] if m["role"] == "assistant"]
    assert len(replies) == 1
    summaries = [r for r in replicas.stub.requests if "daily summary" in str(r.body["system"])]
    assert len(summaries) == 1


def test_replicas_are_separate_processes_on_one_database(replicas: Replicas) -> None:
    """The premise of the tests above: two servers, one store."""
    first, second = replicas.urls
    assert first != second
    conversation = _chat(first, "hi")["conversation_id"]
    assert httpx.get(f"{second}/api/conversations/{conversation}", timeout=10).status_code == 200
