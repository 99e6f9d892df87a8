"""The AI SDK's request form of /api/chat over real HTTP: chat id to conversation, approval
responses to decisions (once, by their owner only), the stream by default, and a clear 422
for what it cannot read. The stock `ai` client itself runs in test_ai_sdk_client.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.agent.conftest import settings_for
from tests.support.servers import run_asgi_server

from coworker.channels.web.identity import mint_token
from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import DEMO_USERS, demo_id
from coworker.server import create_app

S = ScriptedModel
JANE = demo_id("lead", "northwind:jane-smith")
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}
SMS = {"lead_id": JANE, "message": "Running late, 10 minutes."}
SECRET = "test-web-secret-of-thirty-two-bytes!"


def token(user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(SECRET, user)}"}


ALICE, BOB = token("alice"), token("bob")


def said(text: str, chat_id: str = "chat-1") -> dict[str, Any]:
    """What `DefaultChatTransport` posts for `sendMessage({text})`."""
    user = {"id": "u1", "role": "user", "parts": [{"type": "text", "text": text}]}
    return {"id": chat_id, "messages": [user], "trigger": "submit-message"}


def decided(
    parts: list[dict[str, Any]], *answers: tuple[str, bool, str | None], chat_id: str = "chat-1"
) -> dict[str, Any]:
    """The chat sent back after `addToolApprovalResponse`: the streamed assistant message
    with each answered card's tool part in state `approval-responded`."""
    answer = {action: (approved, reason) for action, approved, reason in answers}
    message: dict[str, Any] = {"id": "msg_1", "role": "assistant", "parts": []}
    calls = {
        p["approvalId"]: p["toolCallId"] for p in parts if p["type"] == "tool-approval-request"
    }
    for action, call in calls.items():
        part: dict[str, Any] = {"type": "tool-send", "toolCallId": call, "input": {}}
        part["state"] = "approval-requested"
        part["approval"] = {"id": action}
        if action in answer:
            approved, reason = answer[action]
            part["state"] = "approval-responded"
            part["approval"] = {"id": action, "approved": approved, "reason": reason}
        message["parts"].append(part)
    body = said("email Jane", chat_id)
    body["messages"].append(message)
    body["messageId"] = "msg_1"
    return body


class Server:
    def __init__(self, url: str, model: ScriptedModel) -> None:
        self.url, self.model = url, model
        self.http = httpx.Client(base_url=url, timeout=30)

    def post(self, body: Any, headers: dict[str, str] = ALICE) -> httpx.Response:
        return self.http.post("/api/chat", json=body, headers=headers)

    def stream(self, body: Any, headers: dict[str, str] = ALICE) -> list[Any]:
        """The parts of a streamed answer (no Accept header, as the SDK sends)."""
        response = self.post(body, headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["x-vercel-ai-ui-message-stream"] == "v1"
        events = [e.removeprefix("data: ") for e in response.text.split("\n\n") if e]
        assert events[-1] == "[DONE]"
        return [json.loads(e) for e in events[:-1]]

    def outbox(self) -> list[dict[str, Any]]:
        answer = self.http.get(
            "/sandbox/api/v1/emails",
            params={"lead_id": JANE},
            headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
        )
        return [e for e in answer.json()["emails"] if e["subject"] == "Pricing"]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    started: list[Any] = []

    def start(turns: list[Any], **settings: Any) -> Server:
        model = ScriptedModel(turns)
        app = create_app(settings_for(tmp_path, web_secret=SECRET, **settings), model=model)
        context = run_asgi_server(app)
        started.append(context)
        return Server(context.__enter__(), model)

    yield start
    for context in started:
        context.__exit__(None, None, None)


def kinds(parts: list[Any]) -> list[str]:
    return [p["type"] for p in parts]


def text_of(parts: list[Any]) -> str:
    return "".join(p["delta"] for p in parts if p["type"] == "text-delta")


def test_a_message_streams_by_default_and_json_on_request(serve: Any) -> None:
    server = serve([S.text("Hello."), S.text("Again.")])
    parts = server.stream(said("hi"))
    assert kinds(parts)[:2] == ["start", "data-conversation"] and kinds(parts)[-1] == "finish"
    assert text_of(parts) == "Hello."
    conversation = parts[1]["data"]["conversation_id"]

    answer = server.http.post(
        "/api/chat", json=said("again"), headers={**ALICE, "Accept": "application/json"}
    )
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert answer.json()["reply"] == "Again." and answer.json()["conversation_id"] == conversation
    # One chat id, one conversation: both messages are in it, and it is Alice's.
    listed = server.http.get("/api/conversations", headers=ALICE).json()["conversations"]
    assert [c["id"] for c in listed] == [conversation]
    history = server.http.get(f"/api/conversations/{conversation}", headers=ALICE).json()
    assert [m["parts"][0]["text"] for m in history["messages"] if m["role"] == "user"] == [
        "hi",
        "again",
    ]


def test_a_conversation_id_is_a_chat_id_and_only_its_owner_may_use_it(serve: Any) -> None:
    server = serve([S.text("First."), S.text("Second."), S.text("Third."), S.text("Bob's.")])
    plain = server.post({"message": "hi"}).json()  # the plain form started it
    conversation = plain["conversation_id"]
    parts = server.stream(said("and now?", chat_id=conversation))
    assert parts[1]["data"]["conversation_id"] == conversation and text_of(parts) == "Second."
    server.stream(said("mine", chat_id="alices-chat"))  # a name Alice's client chose

    refused = server.post(said("let me in", chat_id=conversation), headers=BOB)
    assert refused.status_code == 404 and "no conversation" in refused.json()["error"]
    # A name is each person's own: Bob's "alices-chat" is a conversation of his.
    his = server.stream(said("my own", chat_id="alices-chat"), headers=BOB)
    bobs = server.http.get("/api/conversations", headers=BOB).json()["conversations"]
    assert [c["id"] for c in bobs] == [his[1]["data"]["conversation_id"]]
    alices = server.http.get("/api/conversations", headers=ALICE).json()["conversations"]
    assert len(alices) == 2 and bobs[0]["id"] not in [c["id"] for c in alices]
    assert server.model.remaining == 0


def test_an_approval_response_sends_once_and_a_replay_only_shows_it(serve: Any) -> None:
    server = serve([S.tool_calls(("send_email", EMAIL)), S.text("Sent it.")])
    proposed = server.stream(said("email Jane"))
    request = next(p for p in proposed if p["type"] == "tool-approval-request")
    card = next(p for p in proposed if p["type"] == "data-action")
    assert request["approvalId"] == card["id"] and card["data"]["status"] == "pending"
    assert server.outbox() == []

    body = decided(proposed, (card["id"], True, None))
    resumed = server.stream(body)
    # The reply continues the client's message, so the card's tool part gets its output.
    assert resumed[0] == {"type": "start", "messageId": "msg_1"}
    assert "data-conversation" not in kinds(resumed)
    output = next(p for p in resumed if p["type"] == "tool-output-available")
    assert output["toolCallId"] == request["toolCallId"]
    assert text_of(resumed) == "Sent it." and len(server.outbox()) == 1

    replayed = server.stream(body)  # the same request again: shown, never sent again
    assert kinds(replayed) == ["start", "data-action", "tool-output-available", "finish"]
    assert replayed[1]["data"]["status"] == "succeeded"
    denied_late = server.stream(decided(proposed, (card["id"], False, "changed my mind")))
    assert denied_late[1]["data"]["status"] == "succeeded"  # decided is decided
    assert len(server.outbox()) == 1 and server.model.remaining == 0


def test_a_denial_with_a_reason_sends_nothing_and_the_model_reads_why(serve: Any) -> None:
    def report(request: ModelRequest) -> ModelTurn:
        return S.text(request.messages[-1]["content"][0]["content"])

    server = serve([S.tool_calls(("send_email", EMAIL)), report])
    proposed = server.stream(said("email Jane"))
    action = next(p for p in proposed if p["type"] == "data-action")["id"]
    resumed = server.stream(decided(proposed, (action, False, "  She has a quote already ")))
    assert "tool-output-denied" in kinds(resumed)
    assert 'Their reason: "She has a quote already"' in text_of(resumed)
    rejected = server.http.get("/api/actions", headers=ALICE).json()["actions"]
    assert [(a["status"], a["reason"]) for a in rejected] == [
        ("rejected", "She has a quote already")
    ]
    assert server.outbox() == []


def test_two_cards_answered_at_once_end_in_one_reply(serve: Any) -> None:
    server = serve(
        [S.tool_calls(("send_email", EMAIL), ("send_sms", SMS)), S.text("Emailed, not texted.")]
    )
    proposed = server.stream(said("email and text Jane"))
    email, sms = [p["id"] for p in proposed if p["type"] == "data-action"]
    resumed = server.stream(decided(proposed, (email, True, None), (sms, False, None)))
    statuses = [p["data"]["status"] for p in resumed if p["type"] == "data-action"]
    assert statuses == ["succeeded", "rejected"]
    assert kinds(resumed).count("finish") == 1 and text_of(resumed) == "Emailed, not texted."
    assert len(server.outbox()) == 1 and server.model.remaining == 0


def test_only_the_owner_answers_a_card_and_only_in_its_chat(serve: Any) -> None:
    server = serve([S.tool_calls(("send_email", EMAIL)), S.text("Hi.")])
    proposed = server.stream(said("email Jane"))
    action = next(p for p in proposed if p["type"] == "data-action")["id"]
    server.stream(said("hello", chat_id="chat-2"))
    unknown = decided(proposed, (action, True, None))
    unknown["messages"][-1]["parts"][0]["approval"]["id"] = "no-such-action"
    for body, headers in (
        (decided(proposed, (action, True, None), chat_id="bobs-chat"), BOB),
        (decided(proposed, (action, True, None)), BOB),  # Bob under Alice's chat name
        (decided(proposed, (action, True, None), chat_id="chat-2"), ALICE),  # not this chat's
        (unknown, ALICE),
    ):
        refused = server.post(body, headers)
        assert refused.status_code == 404, refused.text
    pending = server.http.get("/api/actions", headers=ALICE).json()["actions"]
    assert [a["status"] for a in pending] == ["pending"] and server.outbox() == []


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda b: b.update(messages=[]), "messages: List should have at least 1 item"),
        (lambda b: b.update(trigger="regenerate-message"), "send a new message instead"),
        (lambda b: b.update(id=""), "id: String should have at least 1 character"),
        (lambda b: b["messages"][0].update(role="tool"), "messages.0.role: Input should be"),
        (lambda b: b["messages"][0].update(parts=[{"type": "file"}]), "has no text part"),
        (lambda b: b["messages"][0].update(role="assistant"), "answers no approval"),
        (lambda b: b["messages"][0].update(parts="hi"), "messages.0.parts: Input should be"),
    ],
)
def test_what_cannot_be_read_is_a_clear_422(serve: Any, change: Any, error: str) -> None:
    server = serve([])
    body = said("hi")
    change(body)
    refused = server.post(body)
    assert refused.status_code == 422 and error in refused.json()["error"], refused.json()
    assert server.http.get("/api/conversations", headers=ALICE).json()["conversations"] == []


def test_the_plain_form_reads_as_before_and_limits_hold_for_both(serve: Any) -> None:
    server = serve([], max_message_chars=50)
    missing = server.post({"conversation_id": None})
    assert missing.status_code == 422 and missing.json() == {"error": "message: Field required"}
    for body in ({"message": "x" * 51}, said("x" * 51)):
        too_long = server.post(body)
        assert too_long.status_code == 413 and "limit is 50" in too_long.json()["error"]


def test_a_card_answered_after_the_person_wrote_again(serve: Any) -> None:
    """The SDK sends `messageId` naming the earlier message whose card was answered."""
    server = serve([S.tool_calls(("send_email", EMAIL)), S.text("Hi."), S.text("Sent it.")])
    proposed = server.stream(said("email Jane"))
    action = next(p for p in proposed if p["type"] == "data-action")["id"]
    body = decided(proposed)  # the card still waits
    body["messages"].append({"id": "u2", "role": "user", "parts": [{"type": "text", "text": "hi"}]})
    del body["messageId"]
    assert text_of(server.stream(body)) == "Hi."

    answered = decided(proposed, (action, True, None))
    answered["messages"] += [
        body["messages"][-1],
        {"id": "msg_2", "role": "assistant", "parts": [{"type": "text", "text": "Hi."}]},
    ]
    resumed = server.stream(answered)
    assert resumed[0] == {"type": "start", "messageId": "msg_1"}
    assert [p["data"]["status"] for p in resumed if p["type"] == "data-action"] == ["succeeded"]
    assert text_of(resumed) == "Sent it." and len(server.outbox()) == 1
