"""A stock Vercel AI SDK v7 client against the real server (issue #19 item 1).

`tests/js/sdk_client.mjs` runs the real `ai` package from npm (pinned in
tests/js/package-lock.json; `npm ci --prefix tests/js` installs it, as `.ci/run` and
`./dev test` do): `DefaultChatTransport` as useChat builds it, with only a token added,
and the SDK's own `AbstractChat`. It reports what the client shows after each step and
every request it made; this module starts the whole app (the offline model, the embedded
sandbox CRM) and checks those reports and the CRM's outbox.

Without node or the installed package the module skips, with how to install it; with
COWORKER_REQUIRE_NODE set (CI) it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.support.servers import run_asgi_server

from coworker.channels.web.identity import mint_token
from coworker.config import Settings
from coworker.sandbox.seed import DEMO_USERS, demo_id
from coworker.server import create_app

JS = Path(__file__).resolve().parents[1] / "js"
CLIENT = JS / "sdk_client.mjs"
NODE = shutil.which("node")
SECRET = "a-web-secret-for-the-ai-sdk-client-test"
JANE = demo_id("lead", "northwind:jane-smith")
EMAIL = "email Jane Smith about pricing: for 40 seats it is $38 per seat a month"
REASON = "She already has a quote from Sam"
RUN_TIMEOUT_S = 120


def _unavailable(reason: str) -> None:
    if os.environ.get("COWORKER_REQUIRE_NODE"):  # CI: a missing client is a failure
        pytest.fail(f"{reason} (COWORKER_REQUIRE_NODE is set)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


if NODE is None:
    _unavailable("node is not installed: the AI SDK client tests are skipped")
if not (JS / "node_modules" / "ai" / "package.json").exists():
    _unavailable("the `ai` package is not installed: run `npm ci --prefix tests/js`")


@dataclass
class Coworker:
    url: str
    token: str

    def api(self, path: str, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        answer = httpx.get(f"{self.url}{path}", params=params, headers=headers, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def outbox(self) -> list[dict[str, Any]]:
        """Emails to Jane, read from the sandbox CRM as Alex (whose key web users share)."""
        answer = httpx.get(
            f"{self.url}/sandbox/api/v1/emails",
            params={"lead_id": JANE},
            headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
            timeout=30,
        )
        answer.raise_for_status()
        emails: list[dict[str, Any]] = answer.json()["emails"]
        return [e for e in emails if "$38 per seat" in (e.get("body_text") or "")]

    def client(self, scenario: str, **env: str) -> dict[str, Any]:
        """Run the SDK client through one scenario; its report."""
        assert NODE is not None
        done = subprocess.run(
            [NODE, str(CLIENT), scenario],
            cwd=JS,
            env={
                **os.environ,
                "COWORKER_URL": self.url,
                "COWORKER_TOKEN": self.token,
                "COWORKER_EMAIL_REQUEST": EMAIL,
                "COWORKER_DENY_REASON": REASON,
                **env,
            },
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
        )
        assert done.returncode == 0, f"the SDK client failed:\n{done.stderr[-4000:]}"
        report: dict[str, Any] = json.loads(done.stdout)
        return report


@pytest.fixture
def coworker(tmp_path: Path) -> Iterator[Coworker]:
    """The whole app on its embedded defaults (offline model, sandbox CRM), with web tokens."""
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'coworker.db'}",
        sandbox_database_url="sqlite+aiosqlite://",
        web_secret=SECRET,
    )
    with run_asgi_server(create_app(settings)) as url:
        yield Coworker(url, mint_token(SECRET, "alex"))


def step(report: dict[str, Any], name: str) -> dict[str, Any]:
    found = next(s for s in report["steps"] if s["name"] == name)
    assert found["status"] == "ready" and found["error"] is None, found
    return found


def assistant(found: dict[str, Any], index: int = -1) -> dict[str, Any]:
    messages = [m for m in found["messages"] if m["role"] == "assistant"]
    return messages[index]


def parts(message: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [p for p in message["parts"] if p["type"] == kind]


def text(message: dict[str, Any]) -> str:
    return "\n".join(p["text"] for p in parts(message, "text"))


def conversations_in(found: dict[str, Any]) -> set[str]:
    return {
        p["data"]["conversation_id"]
        for m in found["messages"]
        for p in m["parts"]
        if p["type"] == "data-conversation"
    }


def test_the_installed_client_is_the_pinned_v7_release() -> None:
    pinned = json.loads((JS / "package.json").read_text())["dependencies"]["ai"]
    installed = json.loads((JS / "node_modules" / "ai" / "package.json").read_text())["version"]
    assert installed == pinned and pinned.startswith("7."), (installed, pinned)
    locked = json.loads((JS / "package-lock.json").read_text())["packages"]["node_modules/ai"]
    assert locked["version"] == pinned


def test_a_reply_renders_and_the_chat_stays_one_conversation(coworker: Coworker) -> None:
    report = coworker.client("reply")
    first = step(report, "reply")
    assert [m["role"] for m in first["messages"]] == ["user", "assistant"]
    answer = assistant(first)
    assert "Your day" in text(answer)  # the offline model's day, as the client holds it
    assert all(p["state"] == "output-available" for p in answer["parts"] if "toolCallId" in p)

    again = step(report, "again")
    assert [m["role"] for m in again["messages"]] == ["user", "assistant"] * 2
    assert text(assistant(again)).strip()
    (conversation,) = conversations_in(again)
    listed = coworker.api("/api/conversations")["conversations"]
    assert [c["id"] for c in listed] == [conversation]

    # The stock transport's requests: no Accept header, its own body; the stream came back.
    for request in report["requests"]:
        assert "accept" not in request["headers"]
        assert set(request["body"]) >= {"id", "messages", "trigger"}
        assert request["status"] == 200 and request["streamHeader"] == "v1"
        assert request["contentType"].startswith("text/event-stream")
    assert {r["body"]["id"] for r in report["requests"]} == {first["chatId"]}


def test_an_email_waits_for_approval_and_is_sent_exactly_once(coworker: Coworker) -> None:
    report = coworker.client("approve")

    proposed = assistant(step(report, "proposed"))
    (call,) = parts(proposed, "tool-send_email")
    assert call["state"] == "approval-requested"
    (card,) = parts(proposed, "data-action")
    assert call["approval"]["id"] == card["id"] and card["data"]["status"] == "pending"
    assert card["data"]["display"]["to"] == "jane@acme.com"
    assert "Jane Smith" in text(proposed)

    approved = step(report, "approved")
    assert [m["role"] for m in approved["messages"]] == ["user", "assistant"]  # continued
    message = assistant(approved)
    assert message["id"] == proposed["id"]
    (call,) = parts(message, "tool-send_email")
    assert call["state"] == "output-available" and call["approval"]["approved"] is True
    (card,) = parts(message, "data-action")
    assert card["data"]["status"] == "succeeded"
    assert "Sent the email" in text(message)
    (sent,) = coworker.outbox()
    assert sent["to_email"] == "jane@acme.com"

    # The same approval again (a reloaded client's stored chat): shown, not sent again.
    replayed = assistant(step(report, "replayed"))
    (call,) = parts(replayed, "tool-send_email")
    assert call["state"] == "output-available"
    assert len(coworker.outbox()) == 1

    after = step(report, "after")
    assert [m["role"] for m in after["messages"]] == ["user", "assistant"] * 2
    assert len(conversations_in(after)) == 1
    actions = coworker.api("/api/actions")["actions"]
    assert [(a["tool"], a["status"]) for a in actions] == [("send_email", "succeeded")]
    assert len(coworker.outbox()) == 1


def test_a_denial_with_a_reason_sends_nothing(coworker: Coworker) -> None:
    report = coworker.client("deny")
    denied = assistant(step(report, "denied"))
    (call,) = parts(denied, "tool-send_email")
    assert call["state"] == "output-denied"
    assert call["approval"] == {"id": call["approval"]["id"], "approved": False, "reason": REASON}
    (card,) = parts(denied, "data-action")
    assert card["data"]["status"] == "rejected" and card["data"]["reason"] == REASON
    assert REASON in text(denied)  # the coworker read why
    assert coworker.outbox() == []
    actions = coworker.api("/api/actions")["actions"]
    assert [(a["status"], a["reason"]) for a in actions] == [("rejected", REASON)]


def test_any_conversation_reopens_in_the_client_by_its_id(coworker: Coworker) -> None:
    started = httpx.post(
        f"{coworker.url}/api/chat",
        json={"message": "What's on my plate today?"},
        headers={"Authorization": f"Bearer {coworker.token}"},
        timeout=60,
    ).json()
    conversation = started["conversation_id"]
    report = coworker.client("reopen", COWORKER_CHAT_ID=conversation)
    reopened = step(report, "reopened")
    assert reopened["chatId"] == conversation
    assert conversations_in(reopened) == {conversation}
    history = coworker.api(f"/api/conversations/{conversation}")["messages"]
    asked = [m["parts"][0]["text"] for m in history if m["role"] == "user"]
    assert asked == ["What's on my plate today?", "anything else?"]

    stranger = mint_token(SECRET, "someone-else")
    refused = coworker.client("reopen", COWORKER_CHAT_ID=conversation, COWORKER_TOKEN=stranger)
    (request,) = refused["requests"]
    assert request["status"] == 404
    assert refused["steps"][0]["status"] == "error"
