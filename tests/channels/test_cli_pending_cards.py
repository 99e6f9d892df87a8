"""Item 3 of #15 in the terminal (`coworker chat`, `coworker actions`, each a fresh process
state over SQLite files, Claude's SDK against the local stub): a card waits for its
decision whatever the person says meanwhile; only a new proposal for the same thing
replaces it."""

from __future__ import annotations

import json
from pathlib import Path

from coworker.sandbox.seed import demo_id
from tests.channels.test_cli_chat import JANE, invoke, stub  # noqa: F401 - the fixture
from tests.support.anthropic_stub import AnthropicStub, StubReply

TOM = demo_id("lead", "northwind:tom-becker")
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, our pricing."}


def env_for(tmp_path: Path, url: str) -> dict[str, str]:
    return {"ANTHROPIC_API_KEY": "k", "ANTHROPIC_BASE_URL": url, "COWORKER_DATA_DIR": str(tmp_path)}


def pending(env: dict[str, str]) -> list[dict[str, object]]:
    code, out = invoke(["actions", "list", "--status", "pending", "--json"], env)
    assert code == 0, out
    actions: list[dict[str, object]] = json.loads(out)["actions"]
    return actions


def test_thanks_leaves_the_email_pending_and_approving_later_sends_it_once(
    tmp_path: Path,
    stub: tuple[AnthropicStub, str],  # noqa: F811
) -> None:
    model, url = stub
    env = env_for(tmp_path, url)
    model.plan(StubReply.tool_use("send_email", EMAIL, text="I'll email Jane:"))
    code, out = invoke(["chat", "-m", "email Jane our pricing", "--json"], env)
    first = json.loads(out)
    (action,) = first["actions"]
    cid = first["conversation_id"]

    model.plan(StubReply.text("You're welcome!"))
    code, out = invoke(["chat", "-m", "thanks!", "--conversation", cid, "--json"], env)
    assert code == 0 and json.loads(out)["decided"] == []
    waiting = model.requests[-1].body["messages"][-1]["content"]
    assert waiting[0]["type"] == "tool_result" and "not executed yet" in waiting[0]["content"]
    assert [a["id"] for a in pending(env)] == [action["id"]]

    model.plan(StubReply.text("Sent to Jane."))
    code, out = invoke(["actions", "approve", action["id"], "--json"], env)
    assert code == 0, out
    resumed = json.loads(out)
    assert resumed["decided"][0]["status"] == "succeeded" and resumed["reply"] == "Sent to Jane."
    (note,) = model.requests[-1].body["messages"][-1]["content"]
    assert note["text"].startswith("[Decision on an earlier request: send_email")
    assert "It was done" in note["text"]
    code, _ = invoke(["actions", "approve", action["id"]], env)
    assert code == 2, "approving twice is refused, and nothing runs"

    model.plan(StubReply.tool_use("list_emails", {"lead_id": JANE}), StubReply.text("One."))
    invoke(["chat", "-m", "what did we send?", "--conversation", cid, "--json"], env)
    emails = model.requests[-1].body["messages"][-1]["content"][0]["content"]
    assert emails.count('"subject":"Pricing"') == 1


def test_a_second_text_to_jane_supersedes_the_first_and_other_leads_stay(
    tmp_path: Path,
    stub: tuple[AnthropicStub, str],  # noqa: F811
) -> None:
    model, url = stub
    env = env_for(tmp_path, url)
    model.plan(StubReply.tool_use("send_sms", {"lead_id": JANE, "message": "5 min late"}))
    first = json.loads(invoke(["chat", "-m", "text Jane I'm late", "--json"], env)[1])
    cid = first["conversation_id"]
    model.plan(StubReply.tool_use("send_sms", {"lead_id": TOM, "message": "5 min late"}))
    tom = json.loads(invoke(["chat", "-m", "and Tom", "--conversation", cid, "--json"], env)[1])
    assert tom["decided"] == []
    model.plan(StubReply.tool_use("send_sms", {"lead_id": JANE, "message": "10 min late"}))
    code, out = invoke(["chat", "-m", "make Jane's 10", "--conversation", cid, "--json"], env)
    again = json.loads(out)
    assert [(d["id"], d["status"]) for d in again["decided"]] == [
        (first["actions"][0]["id"], "superseded")
    ]
    ids = {tom["actions"][0]["id"], again["actions"][0]["id"]}
    assert {a["id"] for a in pending(env)} == ids
