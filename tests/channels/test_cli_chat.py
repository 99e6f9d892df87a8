"""`coworker chat` and `coworker actions`, as a script would use them, through Claude's SDK.

The model is the local Anthropic stub (ANTHROPIC_BASE_URL); the store and the embedded
sandbox are SQLite files in a temporary data directory, so each command is a fresh process
state, as in real use.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coworker.cli import app
from coworker.config import get_settings
from coworker.sandbox.seed import demo_id
from tests.support.anthropic_stub import AnthropicStub, StubReply

JANE = demo_id("lead", "northwind:jane-smith")


@pytest.fixture
def stub() -> Iterator[tuple[AnthropicStub, str]]:
    stub = AnthropicStub(echo=False)
    with stub.run() as url:
        yield stub, url


def invoke(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    get_settings.cache_clear()
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    return result.exit_code, result.stdout


def test_chat_drafts_an_email_and_approve_sends_it_once(
    tmp_path: Path, stub: tuple[AnthropicStub, str]
) -> None:
    model, url = stub
    env = {
        "ANTHROPIC_API_KEY": "sk-ant-test-not-real",
        "ANTHROPIC_BASE_URL": url,
        "COWORKER_DATA_DIR": str(tmp_path),
    }
    model.plan(
        StubReply.tool_use("search_leads", {"search": "jane smith"}),
        StubReply.tool_use(
            "send_email",
            {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, our pricing."},
            text="I'll email Jane Smith at jane@acme.com:",
        ),
    )
    code, out = invoke(["chat", "-m", "email Jane Smith our pricing", "--json"], env)
    assert code == 0, out
    first = json.loads(out)
    (action,) = first["actions"]
    assert action["tool"] == "send_email" and action["status"] == "pending"
    assert action["input"]["to_email"] == "jane@acme.com"
    assert "I'll email Jane Smith" in first["reply"]

    code, out = invoke(["actions", "list", "--json"], env)
    listed = json.loads(out)
    assert [a["id"] for a in listed["actions"]] == [action["id"]]
    assert listed["next_cursor"] is None

    model.plan(StubReply.text("Sent to Jane."))
    code, out = invoke(["actions", "approve", action["id"], "--set", "body=Edited.", "--json"], env)
    assert code == 0, out
    resumed = json.loads(out)
    assert resumed["reply"] == "Sent to Jane."
    assert resumed["decided"][0]["status"] == "succeeded"
    result_block = model.requests[-1].body["messages"][-1]["content"][0]
    assert "with their edits to body_text" in result_block["content"]

    code, out = invoke(["actions", "approve", action["id"]], env)
    assert code == 2, "approving twice is refused, and nothing runs"

    model.plan(StubReply.tool_use("list_emails", {"lead_id": JANE}), StubReply.text("One email."))
    code, out = invoke(
        ["chat", "-m", "what did we send?", "--conversation", first["conversation_id"], "--json"],
        env,
    )
    assert code == 0 and json.loads(out)["reply"] == "One email."
    emails = model.requests[-1].body["messages"][-1]["content"][0]["content"]
    assert emails.count('"subject":"Pricing"') == 1 and "Edited." in emails


def test_reject_with_reason_and_unknown_action(
    tmp_path: Path, stub: tuple[AnthropicStub, str]
) -> None:
    model, url = stub
    env = {"ANTHROPIC_API_KEY": "k", "ANTHROPIC_BASE_URL": url, "COWORKER_DATA_DIR": str(tmp_path)}
    model.plan(StubReply.tool_use("send_sms", {"lead_id": JANE, "message": "Running late"}))
    code, out = invoke(["chat", "-m", "text Jane I'm late", "--json"], env)
    (action,) = json.loads(out)["actions"]
    model.plan(StubReply.text("Okay, not sent."))
    code, out = invoke(["actions", "reject", action["id"], "--reason", "wrong lead", "--json"], env)
    assert code == 0 and json.loads(out)["decided"][0]["status"] == "rejected"
    assert (
        'Their reason: "wrong lead"'
        in model.requests[-1].body["messages"][-1]["content"][0]["content"]
    )
    code, _ = invoke(["actions", "approve", "no-such-action"], env)
    assert code == 1


def test_a_message_over_the_limit_is_a_clear_error(tmp_path: Path) -> None:
    env = {
        "ANTHROPIC_API_KEY": "k",
        "ANTHROPIC_BASE_URL": "http://127.0.0.1:9",
        "COWORKER_DATA_DIR": str(tmp_path),
    }
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["chat", "-m", "x" * 20_001], env=env)
    assert result.exit_code == 1
    assert "20,001 characters; the limit is 20,000" in result.output
