"""`POST /api/actions/batch/{batch_id}/decide` over real HTTP (#18 item 4): one decision for
a batch card, with the answer shape of approve, and never more than the caller listed."""

from __future__ import annotations

from typing import Any

from tests.channels.test_web_api import SECRET, Server, serve  # noqa: F401 - the fixture

from coworker.channels.web.identity import mint_token
from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import DEMO_USERS, demo_id

S = ScriptedModel
ACME = ("jane-smith", "priya-shah", "luis-ortega")
LEADS = {slug: demo_id("lead", f"northwind:{slug}") for slug in ACME}
ALICE = {"Authorization": f"Bearer {mint_token(SECRET, 'alice')}"}
BOB = {"Authorization": f"Bearer {mint_token(SECRET, 'bob')}"}


def batch_turn() -> ModelTurn:
    calls = [
        ("send_email", {"lead_id": LEADS[s], "subject": "Hello", "body_text": "A quick hello"})
        for s in ACME
    ]
    return S.tool_calls(*calls, text="Three hellos to check.")


def report(request: ModelRequest) -> ModelTurn:
    return S.text(f"Decided {len(request.messages[-1]['content'])} cards.")


def outbox(server: Server) -> dict[str, int]:
    counts = {}
    for slug, lead in LEADS.items():
        answer = server.http.get(
            "/sandbox/api/v1/emails",
            params={"lead_id": lead},
            headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
        )
        counts[slug] = len(answer.json()["emails"])
    return counts


def propose(server: Server, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    body = server.http.post(
        "/api/chat", json={"message": "email all new leads at Acme a quick hello"}, headers=headers
    ).json()
    actions: list[dict[str, Any]] = body["actions"]
    assert len(actions) == 3 and len({a["batch_id"] for a in actions}) == 1
    return actions


def decide(
    server: Server, batch_id: str, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Any:
    return server.http.post(f"/api/actions/batch/{batch_id}/decide", json=body, headers=headers)


def test_approve_all_but_one_as_json_then_a_replay_is_refused(
    serve: Any,  # noqa: F811
) -> None:
    server = serve([batch_turn(), report])
    jane, priya, luis = propose(server)
    listed = server.http.get("/api/actions", params={"status": "pending"}).json()["actions"]
    assert {a["batch_id"] for a in listed} == {jane["batch_id"]}

    body = {
        "approve": [jane["id"], luis["id"]],
        "reject": [priya["id"]],
        "edits": {luis["id"]: {"body": "A quick hello, Luis"}},
    }
    answer = decide(server, jane["batch_id"], body)
    assert answer.status_code == 200, answer.text
    shown = answer.json()
    assert [(d["id"], d["status"]) for d in shown["decided"]] == [
        (jane["id"], "succeeded"),
        (priya["id"], "rejected"),
        (luis["id"], "succeeded"),
    ]
    assert shown["decided"][1]["reason"] == "Left out of the batch"
    assert shown["reply"] == "Decided 3 cards."
    assert outbox(server) == {"jane-smith": 1, "priya-shah": 0, "luis-ortega": 1}

    replay = decide(server, jane["batch_id"], body)
    assert replay.status_code == 409 and "not pending" in replay.json()["error"]
    assert outbox(server) == {"jane-smith": 1, "priya-shah": 0, "luis-ortega": 1}


def test_streams_like_approve(
    serve: Any,  # noqa: F811
) -> None:
    server = serve([batch_turn(), report])
    actions = propose(server)
    response, parts = server.sse(
        f"/api/actions/batch/{actions[0]['batch_id']}/decide",
        {"reject": [a["id"] for a in actions]},
    )
    assert response.status_code == 200 and parts[-1] == "[DONE]"
    types = [p["type"] for p in parts if isinstance(p, dict)]
    assert "text-delta" in types and "finish" in types
    assert outbox(server) == {"jane-smith": 0, "priya-shah": 0, "luis-ortega": 0}


def test_never_another_persons_items_nor_unlisted_ones(
    serve: Any,  # noqa: F811
) -> None:
    server = serve([batch_turn(), batch_turn(), report], web_secret=SECRET)
    mine = propose(server, ALICE)
    other = propose(server, ALICE)
    batch_id = mine[0]["batch_id"]
    ids = [a["id"] for a in mine]

    refusals = [
        (BOB, batch_id, {"approve": ids}),  # Alice's batch, decided by Bob
        (ALICE, batch_id, {"approve": [ids[0], other[0]["id"]]}),  # an item of another batch
        (ALICE, other[0]["batch_id"], {"approve": [ids[0]]}),  # under another batch's id
        (ALICE, batch_id, {"approve": ["no-such-action"]}),
        (ALICE, "no-such-batch", {"approve": ids}),
    ]
    for headers, batch, body in refusals:
        answer = decide(server, batch, body, headers)
        assert answer.status_code == 404, (body, answer.text)
    assert outbox(server) == {"jane-smith": 0, "priya-shah": 0, "luis-ortega": 0}

    # Approving one leaves the unlisted two pending; the other batch is untouched.
    answer = decide(server, batch_id, {"approve": [ids[0]]}, ALICE)
    assert answer.status_code == 200
    pending = server.http.get("/api/actions", params={"status": "pending"}, headers=ALICE)
    assert {a["id"] for a in pending.json()["actions"]} == {*ids[1:], *(a["id"] for a in other)}
    assert outbox(server) == {"jane-smith": 1, "priya-shah": 0, "luis-ortega": 0}


def test_bad_bodies_are_clear_4xx_never_500(serve: Any) -> None:  # noqa: F811
    server = serve([batch_turn()], web_secret=SECRET)
    actions = propose(server, ALICE)
    batch_id, first = actions[0]["batch_id"], actions[0]["id"]
    mcp = {"Authorization": f"Bearer {mint_token(SECRET, 'alice', audience='mcp')}"}
    for body, headers, status in (
        ({}, ALICE, 422),
        ({"approve": [first], "reject": [first]}, ALICE, 422),
        ({"approve": [first], "edits": {first: {"to_email": "x@evil.example"}}}, ALICE, 422),
        ({"approve": "everything"}, ALICE, 422),
        ({"approve": [first]}, mcp, 403),  # an MCP token only reads
        ({"approve": [first]}, {}, 401),
    ):
        answer = decide(server, batch_id, body, headers)
        assert answer.status_code == status, (body, answer.text)
        assert "error" in answer.json()
    assert outbox(server) == {"jane-smith": 0, "priya-shah": 0, "luis-ortega": 0}
