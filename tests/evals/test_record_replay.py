"""Record a Claude run (here: the local Anthropic stub) and replay it with no server at all.

The stub plays a small, honest model: it reads the tool results it is sent and uses the ids
in them. The replayed run must grade exactly like the recorded one, although the records
the run creates get new random ids in the replayed CRM.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from coworker.cli import app
from coworker.config import Settings, get_settings
from coworker.errors import EvalError
from coworker.evals.cassette import coalesce_sse, learn_ids
from coworker.evals.command import EvalOptions, evaluate
from tests.evals.support import write
from tests.support.anthropic_stub import AnthropicStub, StubReply

API_KEY = "sk-ant-test-not-real-4242"

CASES = """
cases:
  - id: stub-email
    steps:
      - say: "email Jane about the pricing"
      - approve: send_email
    expect:
      state:
        - resource: emails
          new: true
          where: {to_email: jane@acme.com}
          fields: {subject: Pricing}
          count: 1
      unchanged: all
      confirmations: [send_email]
      tools: [search_leads, send_email]
  - id: stub-task
    steps:
      - say: "add a task to call Jane, then tick it off"
    expect:
      state:
        - resource: tasks
          new: true
          where: {title: Call Jane}
          fields: {completed: true, due_date: {day: tomorrow}}
          count: 1
      unchanged: all
      tools: [create_task, update_task]
"""


def little_model(body: dict[str, Any]) -> StubReply:
    """Decides from the last message alone, as a stateless model would."""
    last = body["messages"][-1]["content"]
    results = [b for b in last if b.get("type") == "tool_result"]
    said = " ".join(b["text"] for b in last if b.get("type") == "text").lower()
    if said and not results:
        if "email" in said:
            return StubReply.tool_use("search_leads", {"search": "jane smith"})
        return StubReply.tool_use(
            "create_task", {"title": "Call Jane", "due_date": _tomorrow_noon(body)}
        )
    content = str(results[-1]["content"])
    if content.startswith("The person"):
        return StubReply.text("Done: " + content[:60])
    data = json.loads(content)
    if "leads" in data:
        lead = data["leads"][0]
        return StubReply.tool_use(
            "send_email", {"lead_id": lead["id"], "subject": "Pricing", "body_text": "Hi Jane."}
        )
    task = data["task"]
    if not task["completed"]:
        return StubReply.tool_use("update_task", {"task_id": task["id"], "completed": True})
    return StubReply.text(f"Created and completed {task['title']}.")


def _tomorrow_noon(body: dict[str, Any]) -> str:
    """Noon tomorrow by the date in the system prompt (a replay keeps the recorded date)."""
    system = body["system"][0]["text"]
    today = date.fromisoformat(re.findall(r"\d{4}-\d{2}-\d{2}", system)[0])
    return f"{today + timedelta(days=1)}T12:00:00Z"


async def run(options: EvalOptions, settings: Settings) -> dict[str, Any]:
    quiet = Console(file=io.StringIO())
    summary, code = await evaluate(options, settings, console=quiet, progress_console=quiet)
    assert code == 0, json.dumps(summary["case_results"], indent=1)[:3000]
    return summary


def graded(summary: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (c["id"], t["trial"], t["passed"], tuple(t["problems"]), t["final_reply"], t["tool_f1"])
        for c in summary["case_results"]
        for t in c["trial_results"]
    ]


async def test_a_recorded_run_replays_identically_without_the_server(tmp_path: Path) -> None:
    cases = write(tmp_path, CASES)
    cassette = tmp_path / "cassettes" / "stub.json"
    stub = AnthropicStub(responder=little_model, echo=False)
    async with stub.serve() as base_url:
        recording = Settings(
            data_dir=tmp_path, anthropic_api_key=API_KEY, anthropic_base_url=base_url
        )
        recorded = await run(
            EvalOptions(cases=cases, trials=2, concurrency=4, record=cassette), recording
        )
    requests = len(stub.requests)
    assert recorded["passed_trials"] == 4
    assert recorded["model"] == "claude:claude-sonnet-5-5"
    assert recorded["tokens"]["input_tokens"] == 10 * requests  # the stub's usage per reply
    assert recorded["estimated_cost_usd"]["total"] > 0

    text = cassette.read_text()
    assert API_KEY not in text
    data = json.loads(text)
    assert sorted(data["trials"]) == ["stub-email#1", "stub-email#2", "stub-task#1", "stub-task#2"]
    exchanges = [e for t in data["trials"].values() for e in t["exchanges"]]
    assert len(exchanges) == requests
    for exchange in exchanges:
        headers = {k.lower() for k in exchange["request"]["headers"]}
        assert not headers & {"x-api-key", "authorization"}
        assert exchange["request"]["path"] == "/v1/messages"

    # The stub is gone; no key, no base URL: everything comes from the cassette.
    replaying = Settings(data_dir=tmp_path)
    replayed = await run(
        EvalOptions(cases=cases, trials=2, concurrency=4, replay=cassette), replaying
    )
    assert len(stub.requests) == requests
    assert replayed["model"] == "claude:claude-sonnet-5-5 (replay)"
    assert graded(replayed) == graded(recorded)
    assert replayed["tokens"] == recorded["tokens"]


async def test_replaying_cases_that_were_not_recorded_is_refused(tmp_path: Path) -> None:
    cases = write(tmp_path, CASES)
    cassette = tmp_path / "c.json"
    cassette.write_text(json.dumps({"version": 1, "model": "m", "trials": {}}))
    with pytest.raises(EvalError, match="has no recording of stub-email#1"):
        await evaluate(
            EvalOptions(cases=cases, replay=cassette),
            Settings(data_dir=tmp_path),
            console=Console(file=io.StringIO()),
            progress_console=Console(file=io.StringIO()),
        )


def test_ids_are_learned_from_the_same_request_replayed() -> None:
    old, new = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
    seeded = "33333333-3333-4333-8333-333333333333"
    recorded = {"messages": [{"content": [{"content": f'{{"id":"{old}","lead":"{seeded}"}}'}]}]}
    live = {"messages": [{"content": [{"content": f'{{"id":"{new}","lead":"{seeded}"}}'}]}]}
    ids: dict[str, str] = {}
    learn_ids(recorded, live, ids)
    assert ids == {old: new}


def test_split_tool_input_is_joined_so_ids_can_be_rewritten() -> None:
    events = [
        {"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use"}},
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": '{"task_id": "1111'},
        },
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {
                "type": "input_json_delta",
                "partial_json": '1111-1111-4111-8111-111111111111"}',
            },
        },
        {"type": "content_block_stop", "index": 0},
    ]
    text = "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events)
    merged = coalesce_sse(text)
    assert merged.count("content_block_delta") == 2  # "event:" line and "type" field
    assert "11111111-1111-4111-8111-111111111111" in merged


def test_with_a_key_the_cli_runs_the_suite_on_claude(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for another endpoint) switch the default
    model to Claude; COWORKER_MODEL or --model picks the model id."""
    cases = write(tmp_path, CASES)
    report = tmp_path / "report.json"
    stub = AnthropicStub(responder=little_model, echo=False)
    with stub.run() as base_url:
        monkeypatch.setenv("ANTHROPIC_API_KEY", API_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", base_url)
        monkeypatch.setenv("COWORKER_MODEL", "claude-haiku-4-5")
        monkeypatch.setenv("COWORKER_DATA_DIR", str(tmp_path / "data"))
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(app, ["eval", "--cases", str(cases), "--json", str(report)])
        finally:
            get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    summary = json.loads(report.read_text())
    assert summary["model"] == "claude:claude-haiku-4-5"
    assert summary["pass_hat_k"]["1"] == 1.0
    assert stub.requests and all(r.body["model"] == "claude-haiku-4-5" for r in stub.requests)
