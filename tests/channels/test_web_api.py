"""The web API over real HTTP: chat (JSON and SSE), approvals, history, identity, limits."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from coworker.channels.web.identity import mint_token
from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import DEMO_USERS, demo_id
from coworker.server import create_app
from tests.agent.conftest import settings_for
from tests.support.servers import run_asgi_server

S = ScriptedModel
JANE = demo_id("lead", "northwind:jane-smith")
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}
SECRET = "test-web-secret"


class Server:
    def __init__(self, url: str, model: ScriptedModel) -> None:
        self.url, self.model = url, model
        self.http = httpx.Client(base_url=url, timeout=30)

    def sse(
        self, path: str, body: dict[str, Any], **headers: str
    ) -> tuple[httpx.Response, list[Any]]:
        response = self.http.post(
            path, json=body, headers={"Accept": "text/event-stream", **headers}
        )
        parts = [
            line.removeprefix("data: ")
            for line in response.text.split("\n\n")
            if line.startswith("data: ")
        ]
        return response, [p if p == "[DONE]" else json.loads(p) for p in parts]

    def outbox(self) -> list[dict[str, Any]]:
        answer = self.http.get(
            "/sandbox/api/v1/emails",
            params={"lead_id": JANE},
            headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
        )
        emails: list[dict[str, Any]] = answer.json()["emails"]
        return emails


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    started: list[Any] = []

    def start(turns: list[Any], **settings: Any) -> Server:
        model = ScriptedModel(turns)
        app = create_app(settings_for(tmp_path, **settings), model=model)
        context = run_asgi_server(app)
        url = context.__enter__()
        started.append(context)
        return Server(url, model)

    yield start
    for context in started:
        context.__exit__(None, None, None)


def test_chat_as_json_then_history(serve: Any) -> None:
    server = serve([S.tool_calls(("search_leads", {"search": "jane"})), S.text("Jane is at Acme.")])
    answer = server.http.post("/api/chat", json={"message": "who is jane?"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["reply"] == "Jane is at Acme." and body["actions"] == []
    conversations = server.http.get("/api/conversations").json()["conversations"]
    assert [c["id"] for c in conversations] == [body["conversation_id"]]
    history = server.http.get(f"/api/conversations/{body['conversation_id']}").json()
    roles = [m["role"] for m in history["messages"]]
    assert roles == ["user", "assistant", "assistant"]
    tool = history["messages"][1]["parts"][0]
    assert tool["toolName"] == "search_leads" and tool["output"]["total"] >= 1
    assert tool["isError"] is False


def test_chat_streams_ui_message_stream_parts(serve: Any) -> None:
    server = serve([S.tool_calls(("list_tags", {})), S.text("You have six tags.")])
    response, parts = server.sse("/api/chat", {"message": "tags?"})
    assert response.headers["x-vercel-ai-ui-message-stream"] == "v1"
    assert response.headers["content-type"].startswith("text/event-stream")
    kinds = [p if p == "[DONE]" else p["type"] for p in parts]
    assert kinds[:2] == ["start", "data-conversation"]
    assert kinds[-2:] == ["finish", "[DONE]"]
    assert kinds.index("tool-input-available") < kinds.index("tool-output-available")
    text = "".join(p["delta"] for p in parts if p != "[DONE]" and p["type"] == "text-delta")
    assert text == "You have six tags."
    assert kinds.count("text-start") == kinds.count("text-end") == 1
    finish = parts[-2]
    assert finish["messageMetadata"]["conversation_id"] == parts[1]["data"]["conversation_id"]


def test_approval_flow_over_sse_sends_once_and_refuses_twice(serve: Any) -> None:
    server = serve([S.tool_calls(("send_email", EMAIL)), S.text("Sent it.")])
    _, parts = server.sse("/api/chat", {"message": "email Jane"})
    request = next(p for p in parts if p != "[DONE]" and p["type"] == "tool-approval-request")
    card = next(p for p in parts if p != "[DONE]" and p["type"] == "data-action")["data"]
    assert card["id"] == request["approvalId"] and card["status"] == "pending"
    assert card["display"]["to"] == "jane@acme.com" and card["editable"] == ["subject", "body_text"]
    assert server.outbox() == []

    _, resumed = server.sse(f"/api/actions/{card['id']}/approve", {"edits": {"body": "Edited."}})
    decided = next(p for p in resumed if p != "[DONE]" and p["type"] == "data-action")["data"]
    assert decided["status"] == "succeeded"
    text = "".join(p["delta"] for p in resumed if p != "[DONE]" and p["type"] == "text-delta")
    assert text == "Sent it."
    (email,) = server.outbox()
    assert email["body_text"] == "Edited."

    again = server.http.post(f"/api/actions/{card['id']}/approve", json={})
    assert again.status_code == 409 and again.json() == {
        "error": f"action {card['id']} is succeeded, not pending; nothing was executed",
        "status": "succeeded",
    }
    assert server.http.post("/api/actions/nope/approve", json={}).status_code == 404
    assert len(server.outbox()) == 1


def test_reject_with_reason_as_json(serve: Any) -> None:
    def report(request: ModelRequest) -> ModelTurn:
        return S.text(request.messages[-1]["content"][0]["content"])

    server = serve([S.tool_calls(("send_email", EMAIL)), report])
    action = server.http.post("/api/chat", json={"message": "email Jane"}).json()["actions"][0]
    pending = server.http.get("/api/actions", params={"status": "pending"}).json()["actions"]
    assert [a["id"] for a in pending] == [action["id"]]
    answer = server.http.post(f"/api/actions/{action['id']}/reject", json={"reason": "not yet"})
    assert answer.status_code == 200
    assert 'Their reason: "not yet"' in answer.json()["reply"]
    assert answer.json()["decided"][0]["status"] == "rejected"
    assert server.outbox() == []


def test_bad_edits_are_422_and_run_nothing(serve: Any) -> None:
    server = serve([S.tool_calls(("send_email", EMAIL))])
    action = server.http.post("/api/chat", json={"message": "email Jane"}).json()["actions"][0]
    answer = server.http.post(
        f"/api/actions/{action['id']}/approve", json={"edits": {"to_email": "x@evil.example"}}
    )
    assert answer.status_code == 422 and "cannot be edited" in answer.json()["error"]
    assert server.outbox() == []


def test_identity_tokens_and_isolation(serve: Any) -> None:
    server = serve([S.tool_calls(("send_email", EMAIL))], web_secret=SECRET)
    assert server.http.post("/api/chat", json={"message": "hi"}).status_code == 401
    forged = mint_token("another-secret", "alice")
    expired = mint_token(SECRET, "alice", ttl_seconds=-10)
    for token in (forged, expired, "garbage"):
        answer = server.http.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401 and "error" in answer.json()
    alice = {"Authorization": f"Bearer {mint_token(SECRET, 'alice')}"}
    bob = {"Authorization": f"Bearer {mint_token(SECRET, 'bob')}"}
    body = server.http.post("/api/chat", json={"message": "email Jane"}, headers=alice).json()
    action, conversation = body["actions"][0], body["conversation_id"]
    assert server.http.get(f"/api/conversations/{conversation}", headers=bob).status_code == 404
    nothing = {"next_cursor": None}
    assert server.http.get("/api/conversations", headers=bob).json() == {
        "conversations": [],
        **nothing,
    }
    assert server.http.get("/api/actions", headers=bob).json() == {"actions": [], **nothing}
    refused = server.http.post(f"/api/actions/{action['id']}/approve", json={}, headers=bob)
    assert refused.status_code == 404
    continued = server.http.post(
        "/api/chat", json={"message": "hello", "conversation_id": conversation}, headers=bob
    )
    assert continued.status_code == 404
    assert server.outbox() == []
    assert server.http.get("/api/me", headers=alice).json()["display_name"] == "alice"


def test_an_mcp_token_reads_but_never_decides_chats_or_changes(serve: Any) -> None:
    server = serve([S.tool_calls(("send_email", EMAIL)), S.text("Sent it.")], web_secret=SECRET)
    alice = {"Authorization": f"Bearer {mint_token(SECRET, 'alice')}"}
    alice_mcp = {"Authorization": f"Bearer {mint_token(SECRET, 'alice', audience='mcp')}"}
    action = server.http.post("/api/chat", json={"message": "email Jane"}, headers=alice).json()[
        "actions"
    ][0]

    for path, body in (
        (f"/api/actions/{action['id']}/approve", {}),
        (f"/api/actions/{action['id']}/reject", {"reason": "no"}),
        ("/api/chat", {"message": "approve the email"}),
    ):
        refused = server.http.post(path, json=body, headers=alice_mcp)
        assert refused.status_code == 403, path
        assert "MCP token (aud: mcp) may only read" in refused.json()["error"]
    for path, body in (
        ("/api/me/settings", {"enabled": False}),
        ("/api/me/dialsheet-key", {"key": "ds_x"}),
    ):
        assert server.http.put(path, json=body, headers=alice_mcp).status_code == 403, path
    assert server.outbox() == []

    # It reads as the same person; the person's own token (no audience) decides.
    mine = server.http.get("/api/actions", headers=alice_mcp).json()["actions"]
    assert [(a["id"], a["status"]) for a in mine] == [(action["id"], "pending")]
    assert server.http.get("/api/me", headers=alice_mcp).json()["display_name"] == "alice"
    approved = server.http.post(f"/api/actions/{action['id']}/approve", json={}, headers=alice)
    assert approved.status_code == 200 and len(server.outbox()) == 1


def test_message_size_and_rate_limits(serve: Any) -> None:
    server = serve([S.text("one"), S.text("two")], max_message_chars=50, rate_limit_per_minute=2)
    too_long = server.http.post("/api/chat", json={"message": "x" * 51})
    assert too_long.status_code == 413 and "limit is 50" in too_long.json()["error"]
    assert server.http.get("/api/conversations").json() == {
        "conversations": [],
        "next_cursor": None,
    }
    assert server.http.post("/api/chat", json={"message": "a"}).status_code == 200
    assert server.http.post("/api/chat", json={"message": "b"}).status_code == 200
    limited = server.http.post("/api/chat", json={"message": "c"})
    assert limited.status_code == 429 and 1 <= int(limited.headers["retry-after"]) <= 60
    assert "too many messages" in limited.json()["error"]


def test_malformed_requests_are_422(serve: Any) -> None:
    server = serve([])
    assert server.http.post("/api/chat", json={}).status_code == 422
    assert (
        server.http.post(
            "/api/chat", content=b"{nope", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )


def test_connect_a_dialsheet_key_checked_encrypted_and_used(serve: Any, tmp_path: Path) -> None:
    def mailboxes(request: ModelRequest) -> ModelTurn:
        return S.text(request.messages[-1]["content"][0]["content"])

    server = serve(
        [S.tool_calls(("list_email_accounts", {})), mailboxes],
        web_secret=SECRET,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'store.db'}",
    )
    sam = {"Authorization": f"Bearer {mint_token(SECRET, 'sam')}"}
    bad = server.http.put("/api/me/dialsheet-key", json={"key": "ds_wrong"}, headers=sam)
    assert bad.status_code == 400 and "rejected" in bad.json()["error"]
    key = DEMO_USERS[1].key
    good = server.http.put("/api/me/dialsheet-key", json={"key": key}, headers=sam)
    assert good.json() == {"dialsheet_key_connected": True}
    me = server.http.get("/api/me", headers=sam).json()
    assert me["dialsheet_key_connected"] is True and key not in json.dumps(me)
    stored = b"".join(f.read_bytes() for f in tmp_path.glob("store.db*"))  # WAL too
    assert stored and key.encode() not in stored
    reply = server.http.post("/api/chat", json={"message": "my mailboxes?"}, headers=sam).json()
    assert "sam@northwind.example" in reply["reply"], "the agent acts with Sam's own key"


def test_health_readiness_widget_and_cors(serve: Any) -> None:
    server = serve([], allowed_origins="https://crm.example.com")
    assert server.http.get("/healthz").json()["status"] == "ok"
    ready = server.http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True
    allowed = server.http.options(
        "/api/chat",
        headers={"Origin": "https://crm.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert allowed.headers.get("access-control-allow-origin") == "https://crm.example.com"
    other = server.http.options(
        "/api/chat",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in other.headers
    assert server.http.get("/openapi.json").json()["info"]["title"] == "Dialsheet Coworker"
    time.sleep(0)  # keep the server fixture's teardown ordering simple


def test_every_decision_ends_its_tool_call_in_the_stream(serve: Any) -> None:
    """AI SDK clients need the tool call closed: output, denied, or error (superseded by a
    new proposal for the same thing)."""
    server = serve(
        [
            S.tool_calls(("send_email", EMAIL)),
            S.text("Okay."),
            S.tool_calls(("send_email", EMAIL)),
            S.text("Not sent."),
            S.tool_calls(("send_email", EMAIL)),
            S.text("Sent."),
        ]
    )

    def parts_of(kind: str, parts: list[Any]) -> list[Any]:
        return [p for p in parts if p != "[DONE]" and p["type"] == kind]

    _, first = server.sse("/api/chat", {"message": "email Jane"})
    cid = parts_of("data-conversation", first)[0]["data"]["conversation_id"]
    superseded_call = parts_of("tool-approval-request", first)[0]["toolCallId"]
    _, second = server.sse("/api/chat", {"message": "never mind", "conversation_id": cid})
    assert parts_of("data-action", second) == [], "a new message leaves the card waiting"

    # A new proposal for the same thing (an email to Jane) replaces the waiting card.
    _, third = server.sse("/api/chat", {"message": "email her again", "conversation_id": cid})
    (card,) = parts_of("data-action", third)[:1]
    assert card["data"]["status"] == "superseded"
    assert parts_of("tool-output-error", third)[0]["toolCallId"] == superseded_call
    rejected = parts_of("tool-approval-request", third)[0]
    _, after_reject = server.sse(f"/api/actions/{rejected['approvalId']}/reject", {})
    assert parts_of("tool-output-denied", after_reject)[0]["toolCallId"] == rejected["toolCallId"]

    _, fourth = server.sse("/api/chat", {"message": "ok send it", "conversation_id": cid})
    approved = parts_of("tool-approval-request", fourth)[0]
    _, after_approve = server.sse(f"/api/actions/{approved['approvalId']}/approve", {})
    (output,) = parts_of("tool-output-available", after_approve)
    assert output["toolCallId"] == approved["toolCallId"] and output["output"]["email"]["subject"]


def test_cors_exposes_retry_after(serve: Any) -> None:
    server = serve(
        [S.text("hi")], allowed_origins="https://crm.example.com", rate_limit_per_minute=1
    )
    headers = {"Origin": "https://crm.example.com"}
    server.http.post("/api/chat", json={"message": "x" * 10}, headers=headers)
    limited = server.http.post("/api/chat", json={"message": "y"}, headers=headers)
    assert limited.status_code == 429
    assert "retry-after" in limited.headers.get("access-control-expose-headers", "").lower()
