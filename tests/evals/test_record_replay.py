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

import httpx2
import pytest
from rich.console import Console
from typer.testing import CliRunner

from coworker.cli import app
from coworker.config import Settings, get_settings
from coworker.errors import EvalError
from coworker.evals.cassette import (
    KEPT_REQUEST_HEADERS,
    Player,
    Recorder,
    Tape,
    coalesce_sse,
    learn_ids,
)
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
        assert headers <= KEPT_REQUEST_HEADERS
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


async def _record_and_replay(
    tmp_path: Path, stub: AnthropicStub, name: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Record CASES on the stub (one trial at a time: planned replies go to the first
    requests), then replay with the stub stopped; returns both summaries and the cassette."""
    cases = write(tmp_path, CASES)
    cassette = tmp_path / f"{name}.json"
    async with stub.serve() as base_url:
        recording = Settings(
            data_dir=tmp_path, anthropic_api_key=API_KEY, anthropic_base_url=base_url
        )
        recorded = await run(EvalOptions(cases=cases, concurrency=1, record=cassette), recording)
    replayed = await run(
        EvalOptions(cases=cases, concurrency=1, replay=cassette), Settings(data_dir=tmp_path)
    )
    return recorded, replayed, json.loads(cassette.read_text())


def _statuses(cassette: dict[str, Any], key: str) -> list[int | str]:
    return [
        e["response"]["status"] if "response" in e else e["error"]["type"]
        for e in cassette["trials"][key]["exchanges"]
    ]


async def test_a_run_that_was_rate_limited_replays_identically(tmp_path: Path) -> None:
    """The recorder sits below the SDK's retries: the 429 and the 529 it retried are on the
    tape. The replay (no retries) skips them and gets what the SDK finally got."""
    stub = AnthropicStub(responder=little_model, echo=False)
    stub.plan(StubReply.error(429, "rate_limit_error", "slow down"), StubReply.overloaded())
    recorded, replayed, cassette = await _record_and_replay(tmp_path, stub, "limited")
    assert recorded["passed_trials"] == 2
    assert _statuses(cassette, "stub-email#1")[:3] == [429, 529, 200]
    attempts = [
        e["request"]["headers"].get("x-stainless-retry-count")
        for e in cassette["trials"]["stub-email#1"]["exchanges"][:3]
    ]
    assert attempts == ["0", "1", "2"]
    assert graded(replayed) == graded(recorded)


async def test_a_failure_the_sdk_gave_up_on_replays_as_a_failure(tmp_path: Path) -> None:
    """Five overloaded answers: the SDK (4 retries) gives up and the trial fails. The replay
    fails the same trial the same way."""
    stub = AnthropicStub(responder=little_model, echo=False)
    stub.plan(*(StubReply.overloaded() for _ in range(5)))
    recorded, replayed, cassette = await _record_and_replay(tmp_path, stub, "gave-up")
    assert _statuses(cassette, "stub-email#1") == [529] * 5
    [email, task] = graded(recorded)
    assert not email[2] and any("529" in problem for problem in email[3])
    assert task[2]
    assert graded(replayed) == graded(recorded)


async def test_a_replay_that_differs_from_its_recording_fails_loudly(tmp_path: Path) -> None:
    """The case's words changed since the recording: the model's recorded answers no longer
    answer what is asked, so the replay must not quietly grade them."""
    cases = write(tmp_path, CASES)
    cassette = tmp_path / "c.json"
    stub = AnthropicStub(responder=little_model, echo=False)
    async with stub.serve() as base_url:
        recording = Settings(
            data_dir=tmp_path, anthropic_api_key=API_KEY, anthropic_base_url=base_url
        )
        await run(EvalOptions(cases=cases, record=cassette), recording)
    changed = write(
        tmp_path, CASES.replace("email Jane about the pricing", "email Jane about the invoice")
    )
    with pytest.raises(EvalError) as caught:
        await evaluate(
            EvalOptions(cases=changed, replay=cassette),
            Settings(data_dir=tmp_path),
            console=Console(file=io.StringIO()),
            progress_console=Console(file=io.StringIO()),
        )
    message = caught.value.message
    assert "does not match the recording" in message
    assert "stub-email#1: request #1 differs from the recording" in message
    assert "pricing" in message and "invoice" in message
    assert "stub-task" not in message


BODY = {"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]}


def _exchange(status: int | None, attempt: int, body: Any = BODY) -> dict[str, Any]:
    request = {
        "method": "POST",
        "path": "/v1/messages",
        "headers": {"x-stainless-retry-count": str(attempt)},
        "body": body,
    }
    if status is None:
        return {"request": request, "error": {"type": "ReadTimeout"}}
    answer = {"status": status, "headers": {"content-type": "application/json"}, "body": "{}"}
    return {"request": request, "response": answer}


async def _send(player: Player, body: Any = BODY) -> httpx2.Response:
    request = httpx2.Request("POST", "http://replay/v1/messages", json=body)
    return await player.handle_async_request(request)


async def test_the_player_skips_retried_attempts_and_replays_final_failures() -> None:
    later = {**BODY, "messages": [*BODY["messages"], {"role": "user", "content": "more"}]}
    tape = Tape(
        "2026-11-26T14:00:00+00:00",
        [
            _exchange(429, 0),
            _exchange(None, 1),  # a timeout, retried
            _exchange(200, 2),
            _exchange(None, 0, later),  # a timeout, then the SDK gave up
        ],
    )
    player = Player(tape, "case#1")
    assert (await _send(player)).status_code == 200
    with pytest.raises(httpx2.ReadTimeout):
        await _send(player, later)
    assert player.unplayed() is None


async def test_the_player_names_the_trial_when_the_replay_diverges() -> None:
    tape = Tape("2026-11-26T14:00:00+00:00", [_exchange(200, 0), _exchange(200, 0)])
    short = Player(tape, "case#2")
    await _send(short)
    assert short.unplayed() == (
        "case#2: the replay stopped after request #1, but the recording goes on to #2"
    )
    other = Player(tape, "case#3")
    refused = await _send(other, {**BODY, "model": "another"})
    assert refused.status_code == 400 and refused.headers["x-should-retry"] == "false"
    assert "case#3: request #1 differs from the recording" in refused.text
    assert other.unplayed() is not None and "case#3" in (other.unplayed() or "")


def test_ids_the_crm_did_not_create_must_match() -> None:
    """Only random (uuid4) ids may differ; a stable uuid5 id that changed is a divergence."""
    recorded = "seeded 8d8ac610-566d-5ef0-9c22-186b2a5ed793"
    live = "seeded 1b671a64-40d5-591e-99b1-da5b6c0e0e7f"
    ids: dict[str, str] = {}
    learn_ids(recorded, live, ids)
    assert ids == {}


async def test_the_cassette_keeps_only_allow_listed_request_headers() -> None:
    """No credential of any gateway is stored, whatever the header is called."""
    secrets = {
        "x-api-key": "sk-ant-one",
        "authorization": "Bearer two",
        "proxy-authorization": "Basic three",
        "cookie": "session=four",
        "x-portkey-api-key": "five",
        "cf-aig-authorization": "Bearer six",
        "x-goog-api-key": "seven",
        "helicone-auth": "Bearer eight",
    }
    tape = Tape("2026-11-26T14:00:00+00:00")
    inner = httpx2.MockTransport(lambda request: httpx2.Response(200, json={"ok": True}))
    recorder = Recorder(tape, inner)
    request = httpx2.Request(
        "POST",
        "https://gateway.example/v1/messages",
        headers={**secrets, "anthropic-version": "2023-06-01", "x-stainless-retry-count": "0"},
        json=BODY,
    )
    response = await recorder.handle_async_request(request)
    assert response.status_code == 200
    [exchange] = tape.exchanges
    assert exchange["request"]["headers"] == {
        "anthropic-version": "2023-06-01",
        "x-stainless-retry-count": "0",
        "content-type": "application/json",
    }
    stored = json.dumps(tape.exchanges)
    assert not [value for value in secrets.values() if value in stored]
