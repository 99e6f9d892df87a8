"""`POST /api/feedback` over real HTTP: the reply id from the JSON answer and from the
stream's `finish` metadata, a press and its replacement, the 404s that leak nothing, the
422s, the metric, and the OpenAPI entry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from coworker.channels.web.identity import mint_token
from coworker.llm.scripted import ScriptedModel
from coworker.server import create_app
from tests.agent.conftest import settings_for
from tests.support.scripted_apps import scripted_servers

S = ScriptedModel
SECRET = "test-web-secret"


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    with scripted_servers(tmp_path) as start:
        yield start


def stream_parts(http: httpx.Client, body: dict[str, Any], **headers: str) -> list[Any]:
    answer = http.post("/api/chat", json=body, headers={"Accept": "text/event-stream", **headers})
    assert answer.status_code == 200, answer.text
    data = [c.removeprefix("data: ") for c in answer.text.split("\n\n") if c.startswith("data: ")]
    return [d if d == "[DONE]" else json.loads(d) for d in data]


def feedback_counts(http: httpx.Client) -> dict[tuple[str, str], float]:
    counts = {}
    for family in text_string_to_metric_families(http.get("/metrics").text):
        for sample in family.samples:
            if sample.name == "coworker_feedback_total":
                counts[(sample.labels["rating"], sample.labels["channel"])] = sample.value
                assert set(sample.labels) == {"rating", "channel"}  # never a user
    return counts


def test_rate_a_reply_from_the_json_answer_and_from_the_stream(serve: Any) -> None:
    http = serve(
        [
            S.tool_calls(("search_leads", {"search": "jane"})),
            S.text("Jane is at Northwind."),
            S.text("Anything else?"),
        ]
    )
    body = http.post("/api/chat", json={"message": "who is jane?"}).json()
    cid, reply_id = body["conversation_id"], body["reply_id"]
    assert isinstance(reply_id, str) and body["reply"] == "Jane is at Northwind."

    pressed = http.post(
        "/api/feedback", json={"conversation_id": cid, "reply_id": reply_id, "rating": "down"}
    )
    assert pressed.status_code == 200, pressed.text
    record = pressed.json()
    assert {k: record[k] for k in ("conversation_id", "reply_id", "rating", "channel")} == {
        "conversation_id": cid,
        "reply_id": reply_id,
        "rating": "down",
        "channel": "web",
    }
    assert record["tools"] == ["search_leads"] and record["reply"] == "Jane is at Northwind."
    assert record["model"] == "scripted"
    assert "user_id" not in record and "user" not in record

    changed = http.post(
        "/api/feedback", json={"conversation_id": cid, "reply_id": reply_id, "rating": "up"}
    ).json()
    assert changed["id"] == record["id"] and changed["rating"] == "up"
    assert changed["created_at"] == record["created_at"]

    parts = stream_parts(http, {"message": "thanks", "conversation_id": cid})
    finish = [p for p in parts if isinstance(p, dict) and p["type"] == "finish"]
    assert len(finish) == 1 and parts[-1] == "[DONE]"
    streamed_id = finish[0]["messageMetadata"]["replyId"]
    assert isinstance(streamed_id, str) and streamed_id != reply_id
    assert finish[0]["messageMetadata"]["conversation_id"] == cid
    rated = http.post(
        "/api/feedback", json={"conversation_id": cid, "reply_id": streamed_id, "rating": "up"}
    ).json()
    assert rated["reply"] == "Anything else?" and rated["tools"] == []

    assert feedback_counts(http) == {("down", "web"): 1, ("up", "web"): 2}


def test_an_empty_message_has_no_reply_to_rate(serve: Any) -> None:
    http = serve([])
    parts = stream_parts(http, {"message": "  "})
    finish = [p for p in parts if isinstance(p, dict) and p["type"] == "finish"]
    assert finish[0]["messageMetadata"]["replyId"] is None
    assert http.post("/api/chat", json={"message": " "}).json()["reply_id"] is None


def test_refusals_say_nothing_about_other_peoples_replies(serve: Any) -> None:
    http = serve([S.text("Hello, Alice.")], web_secret=SECRET)
    alice = {"Authorization": f"Bearer {mint_token(SECRET, 'alice')}"}
    bob = {"Authorization": f"Bearer {mint_token(SECRET, 'bob')}"}
    alice_mcp = {"Authorization": f"Bearer {mint_token(SECRET, 'alice', audience='mcp')}"}
    body = http.post("/api/chat", json={"message": "hi"}, headers=alice).json()
    press = {"conversation_id": body["conversation_id"], "reply_id": body["reply_id"]}

    assert http.post("/api/feedback", json={**press, "rating": "up"}).status_code == 401
    theirs = http.post("/api/feedback", json={**press, "rating": "up"}, headers=bob)
    nowhere = http.post(
        "/api/feedback",
        json={"conversation_id": "no-such-conversation", "reply_id": "2", "rating": "up"},
        headers=bob,
    )
    assert theirs.status_code == nowhere.status_code == 404
    assert theirs.json()["error"].replace(press["conversation_id"], "X") == nowhere.json()[
        "error"
    ].replace("no-such-conversation", "X")  # the same answer: no existence is leaked
    refused = http.post("/api/feedback", json={**press, "rating": "up"}, headers=alice_mcp)
    assert refused.status_code == 403

    for reply_id in ("1", "3", "x", "-1"):  # the person's message, past the end, not an id
        answer = http.post(
            "/api/feedback", json={**press, "reply_id": reply_id, "rating": "up"}, headers=alice
        )
        assert answer.status_code == 404 and "no reply" in answer.json()["error"], reply_id
    for bad in (
        {**press, "rating": "meh"},
        {**press, "rating": None},
        {"conversation_id": press["conversation_id"], "rating": "up"},
        {**press, "reply_id": "", "rating": "up"},
        {**press, "reply_id": "9" * 40, "rating": "up"},
    ):
        answer = http.post("/api/feedback", json=bad, headers=alice)
        assert answer.status_code == 422 and "error" in answer.json(), bad
    assert http.post("/api/feedback", content=b"not json", headers=alice).status_code == 422

    assert feedback_counts(http) == {}
    ok = http.post("/api/feedback", json={**press, "rating": "up"}, headers=alice)
    assert ok.status_code == 200 and feedback_counts(http) == {("up", "web"): 1}


def test_the_endpoint_and_the_reply_id_are_in_the_openapi(tmp_path: Path) -> None:
    spec = create_app(settings_for(tmp_path)).openapi()
    operation = spec["paths"]["/api/feedback"]["post"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["$ref"] == "#/components/schemas/FeedbackOut"
    schemas = spec["components"]["schemas"]
    request = schemas["FeedbackRequest"]
    assert set(request["required"]) == {"conversation_id", "reply_id", "rating"}
    assert request["properties"]["rating"]["enum"] == ["up", "down"]
    assert {"reply_id", "rating", "tools", "model", "reply"} <= set(
        schemas["FeedbackOut"]["properties"]
    )
    assert "reply_id" in schemas["ChatReply"]["properties"]
