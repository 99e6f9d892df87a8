"""The daily dev eval cases (evals/cases/daily.yaml) through the Claude path: the real
anthropic SDK against the local stub, which plays a small honest model. It sees the derived
tools in the catalog it is sent, calls the one a question needs, and answers only from the
tool result it gets back, so a case passes only if the tool's answer holds the facts."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from rich.console import Console

from coworker.config import Settings
from coworker.evals.command import EvalOptions, evaluate
from tests.support.anthropic_stub import AnthropicStub, StubReply

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "evals" / "cases" / "daily.yaml"
API_KEY = "sk-ant-test-not-real-1818"
DERIVED = {"next_best_actions", "prep_brief", "activity_report", "pipeline_report"}


def _reply_from(result: dict[str, Any]) -> str:
    """What a model would say, from nothing but the tool's answer."""
    report = result.get("report")
    if report == "next_best_actions":
        return "\n".join(
            f"{a['rank']}. {a.get('lead', '')}: {a['suggested_action']} ({a['reason']})"
            for a in result["actions"][:5]
        )
    if report == "prep_brief":
        tasks = "; ".join(t["title"] for t in result["open_tasks"])
        who = result["who"]
        return (
            f"{who['name']} at {who.get('company')}. Open: {tasks}. {result['suggested_next_step']}"
        )
    if report == "activity":
        counts = result["counts"]
        emails = "; ".join(result["examples"].get("emails", []))
        made = f"Yesterday you made {counts['calls']} calls"
        return f"{made} and sent {counts['emails']} emails: {emails}"
    if report == "pipeline":
        return ", ".join(f"{s['stage']}: {s['deals']} deals" for s in result["yours"]["by_stage"])
    return "I could not tell."


def honest_model(body: dict[str, Any]) -> StubReply:
    offered = {tool["name"] for tool in body.get("tools", [])}
    assert DERIVED <= offered, "the derived tools are in the catalog the model gets"
    last = body["messages"][-1]["content"]
    results = [b for b in last if b.get("type") == "tool_result"]
    if results:
        return StubReply.text(_reply_from(json.loads(str(results[-1]["content"]))))
    said = " ".join(b["text"] for b in last if b.get("type") == "text").lower()
    if "call next" in said:
        return StubReply.tool_use("next_best_actions", {})
    if "prep me" in said:
        return StubReply.tool_use("prep_brief", {"name": "Jane Smith"})
    if "yesterday" in said:
        return StubReply.tool_use("activity_report", {"period": "yesterday"})
    return StubReply.tool_use("pipeline_report", {"whose": "mine"})


async def test_the_daily_cases_pass_through_the_claude_path_on_the_stub(tmp_path: Path) -> None:
    stub = AnthropicStub(responder=honest_model, echo=False)
    async with stub.serve() as base_url:
        settings = Settings(
            data_dir=tmp_path, anthropic_api_key=API_KEY, anthropic_base_url=base_url
        )
        quiet = Console(file=io.StringIO())
        summary, code = await evaluate(
            EvalOptions(cases=CASES, trials=1, concurrency=4),
            settings,
            console=quiet,
            progress_console=quiet,
        )
    assert code == 0 and summary["passed_trials"] == 4, json.dumps(
        summary["case_results"], indent=1
    )[:3000]
    assert summary["confirmation_violations"] == []
    assert summary["hallucinated_ids"]["hallucinated"] == 0
    answered = {
        json.loads(str(block["content"]))["report"]
        for request in stub.requests
        for block in request.body["messages"][-1]["content"]
        if block.get("type") == "tool_result" and not block.get("is_error")
    }
    assert answered == {"next_best_actions", "prep_brief", "activity", "pipeline"}
