"""The bulk dev eval cases (evals/cases/bulk.yaml: approve all, leave one out, reject all,
a text to everyone met today), offline and through the Claude path: the real anthropic
SDK against the local stub, which plays a small honest model. It finds the people with the
read tools, proposes one send per person in ONE response (so the gate makes one batch),
and reports each outcome it is given. A case passes only on the outbox's end state."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from rich.console import Console

from coworker.config import Settings
from coworker.evals.command import EvalOptions, evaluate
from tests.support.anthropic_stub import AnthropicStub, StubReply

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "evals" / "cases" / "bulk.yaml"
API_KEY = "sk-ant-test-not-real-1818"


def _results(body: dict[str, Any]) -> list[dict[str, Any]]:
    last = body["messages"][-1]["content"]
    return [b for b in last if isinstance(b, dict) and b.get("type") == "tool_result"]


def _asked(body: dict[str, Any]) -> str:
    first = body["messages"][0]["content"]
    texts = [first] if isinstance(first, str) else [b.get("text", "") for b in first]
    return " ".join(texts).lower()


def honest_model(body: dict[str, Any]) -> StubReply:
    results = _results(body)
    asked = _asked(body)
    if not results:
        if "email all new leads at acme" in asked:
            return StubReply.tool_use("search_leads", {"status": "new", "search": "Acme"})
        return StubReply.tool_use("list_tasks", {"completed": False, "limit": 100})
    content = str(results[0]["content"])
    if content.startswith("{") and '"leads"' in content:
        leads = [x for x in json.loads(content)["leads"] if "Acme" in str(x.get("company"))]
        calls: list[Any] = [
            {
                "type": "tool_use",
                "name": "send_email",
                "input": {
                    "lead_id": lead["id"],
                    "subject": "A quick hello",
                    "body_text": f"Hi {lead['name'].split()[0]}, just a quick hello.",
                },
            }
            for lead in leads
        ]
        return StubReply(content=calls)
    if content.startswith("{") and '"tasks"' in content:
        today = re.search(r"\((\d{4}-\d{2}-\d{2})\)", str(body.get("system")))
        assert today, "the system prompt states today's date"
        due = [
            t for t in json.loads(content)["tasks"] if str(t.get("due_date")).startswith(today[1])
        ]
        leads = list(dict.fromkeys(t["lead_id"] for t in due if t.get("lead_id")))
        calls = [
            {
                "type": "tool_use",
                "name": "send_sms",
                "input": {"lead_id": lead, "message": "I'm running late"},
            }
            for lead in leads
        ]
        return StubReply(content=calls)
    outcomes = [str(r["content"])[:60] for r in results]
    return StubReply.text("Done: " + " | ".join(outcomes))


async def _run(settings: Settings, model: str | None) -> dict[str, Any]:
    quiet = Console(file=io.StringIO())
    summary, code = await evaluate(
        EvalOptions(cases=CASES, model=model, trials=1, concurrency=2),
        settings,
        console=quiet,
        progress_console=quiet,
    )
    results = json.dumps(summary["case_results"], indent=1)[:3000]
    assert code == 0 and summary["passed_trials"] == 4, results
    assert summary["confirmation_violations"] == []
    return summary


async def test_the_bulk_cases_pass_offline(tmp_path: Path) -> None:
    await _run(Settings(data_dir=tmp_path), "offline")


async def test_the_bulk_cases_pass_through_the_claude_path_on_the_stub(tmp_path: Path) -> None:
    stub = AnthropicStub(responder=honest_model, echo=False)
    async with stub.serve() as base_url:
        settings = Settings(
            data_dir=tmp_path, anthropic_api_key=API_KEY, anthropic_base_url=base_url
        )
        await _run(settings, None)
    batches = [
        request
        for request in stub.requests
        if sum(1 for b in request.body["messages"][-1]["content"] if b.get("type") == "tool_result")
        > 1
    ]
    assert batches, "each batch's outcomes come back together, once every item is decided"
