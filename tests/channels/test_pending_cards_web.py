"""Item 3 of #15 over real HTTP: a card waits for its decision, whatever the person says
meanwhile, and only a new proposal for the same thing replaces it."""

from __future__ import annotations

from typing import Any

from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import demo_id
from tests.channels.test_web_api import EMAIL, JANE, serve  # noqa: F401 - the fixture

S = ScriptedModel
TOM = demo_id("lead", "northwind:tom-becker")


def told(request: ModelRequest) -> ModelTurn:
    """The model after a late decision: it repeats the note it was given."""
    note = request.messages[-1]["content"][-1]
    assert note["type"] == "text" and note["text"].startswith("[Decision on an earlier request")
    return S.text("Update: " + note["text"])


def pending(server: Any) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = server.http.get(
        "/api/actions", params={"status": "pending"}
    ).json()["actions"]
    return actions


def test_thanks_leaves_the_email_pending_and_approving_it_later_sends_once(
    serve: Any,  # noqa: F811
) -> None:
    server = serve([S.tool_calls(("send_email", EMAIL)), S.text("You're welcome!"), told])
    first = server.http.post("/api/chat", json={"message": "email Jane our pricing"}).json()
    (card,) = first["actions"]
    cid = first["conversation_id"]

    thanks = server.http.post("/api/chat", json={"message": "thanks!", "conversation_id": cid})
    assert thanks.status_code == 200 and thanks.json()["decided"] == []
    assert [a["id"] for a in pending(server)] == [card["id"]], "the card still waits"
    assert server.outbox() == []

    approved = server.http.post(f"/api/actions/{card['id']}/approve").json()
    assert [d["status"] for d in approved["decided"]] == ["succeeded"]
    assert "The person approved this. It was done." in approved["reply"]
    assert len(server.outbox()) == 1
    again = server.http.post(f"/api/actions/{card['id']}/approve")
    assert again.status_code == 409 and len(server.outbox()) == 1

    shown = server.http.get(f"/api/conversations/{cid}").json()["messages"]
    texts = [p.get("text", "") for m in shown for p in m["parts"] if p["type"] == "text"]
    assert any(t.startswith("Update: [Decision on an earlier request") for t in texts)
    assert not any(t.startswith("[Decision on") for t in texts), "the note is the model's"


def test_a_second_text_to_jane_supersedes_the_first(serve: Any) -> None:  # noqa: F811
    first_sms = {"lead_id": JANE, "message": "Running 5 min late"}
    second_sms = {"lead_id": JANE, "message": "Running 10 min late"}
    server = serve([S.tool_calls(("send_sms", first_sms)), S.tool_calls(("send_sms", second_sms))])
    first = server.http.post("/api/chat", json={"message": "text Jane I'm late"}).json()
    cid = first["conversation_id"]
    second = server.http.post(
        "/api/chat", json={"message": "make it 10 minutes", "conversation_id": cid}
    ).json()
    assert [(d["id"], d["status"]) for d in second["decided"]] == [
        (first["actions"][0]["id"], "superseded")
    ]
    assert [a["id"] for a in pending(server)] == [second["actions"][0]["id"]]


def test_cards_for_two_different_leads_both_stay_pending(serve: Any) -> None:  # noqa: F811
    server = serve(
        [
            S.tool_calls(("send_sms", {"lead_id": JANE, "message": "Running late"})),
            S.tool_calls(("send_sms", {"lead_id": TOM, "message": "Running late"})),
        ]
    )
    first = server.http.post("/api/chat", json={"message": "text Jane I'm late"}).json()
    cid = first["conversation_id"]
    second = server.http.post(
        "/api/chat", json={"message": "and Tom", "conversation_id": cid}
    ).json()
    assert second["decided"] == []
    ids = {first["actions"][0]["id"], second["actions"][0]["id"]}
    assert {a["id"] for a in pending(server)} == ids
