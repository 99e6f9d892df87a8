"""The agent's own cost per turn, beside pydantic-ai's agent and a bare SDK loop.

One agent turn here is what a person's message costs: a model turn that calls
`search_leads`, the call against the in-process sandbox, and a final model turn. The model
is the Anthropic stub in its own process (the real SDK over HTTP); our store is SQLite.
The same turn runs three ways, on the same stub, catalog (24 tools), system prompt and CRM:

- ours: `Coworker.chat` (store writes, lock, gate, validation, compaction, events);
- pydantic-ai: an `Agent` on its `AnthropicModel` (the same `AsyncAnthropic` client setup),
  the catalog as `Tool.from_schema` tools, streamed (`event_stream_handler`), no store;
- raw SDK: a minimal loop on `AsyncAnthropic.messages.stream`, no store.

- overhead = turn time - time inside the model call - time inside the CRM, for each (the
  model call is timed around the SDK stream, its consumption included). Ours: p50 <= 5 ms.
- ratio = turn time / the raw SDK loop's turn time (p50). Target for ours <= 1.2.

pydantic-ai is a benchmark-only dependency (`pip install -e '.[bench]'`); without it that
column is reported as missing. Nothing here leaves loopback.

Run: `.venv/bin/python -m bench.agent_overhead [--turns 200]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import anthropic
import httpx

from bench.harness import free_port, loopback_only, package_version, summary_ms
from coworker.agent.context import system_prompt
from coworker.agent.events import TurnDone
from coworker.config import Settings
from coworker.dialsheet.client import DialsheetClient
from coworker.llm.anthropic import AnthropicModel
from coworker.llm.base import Model, ModelEvent, ModelRequest
from coworker.runtime import open_runtime
from coworker.sandbox.seed import DEMO_USERS
from coworker.tools.catalog import build_catalog
from coworker.tools.compact import compact
from coworker.tools.executor import CrmCaller

QUESTION = "Any new leads at Acme?"


class Timed:
    """Adds up the seconds spent inside a wrapped part."""

    def __init__(self) -> None:
        self.seconds = 0.0


class TimedModel(Model):
    def __init__(self, inner: Model, clock: Timed) -> None:
        self.inner, self.clock, self.name = inner, clock, inner.name

    async def stream(self, request: ModelRequest) -> AsyncIterator[ModelEvent]:
        started = time.perf_counter()
        try:
            async for event in self.inner.stream(request):
                yield event
        finally:
            self.clock.seconds += time.perf_counter() - started

    async def aclose(self) -> None:
        await self.inner.aclose()


class TimedCrm:
    def __init__(self, inner: CrmCaller, clock: Timed) -> None:
        self.inner, self.clock = inner, clock

    async def call(self, operation_id: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            return await self.inner.call(operation_id, arguments)
        finally:
            self.clock.seconds += time.perf_counter() - started


def _start_stub(port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tests.support.anthropic_stub", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.post(f"http://127.0.0.1:{port}/v1/messages", json={}, timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the Anthropic stub did not start")


async def _ours(stub_url: str, turns: int, data_dir: Path) -> dict[str, Any]:
    model_clock, crm_clock = Timed(), Timed()
    model = TimedModel(
        AnthropicModel("sk-ant-bench", base_url=stub_url, max_retries=0), model_clock
    )
    settings = Settings(data_dir=data_dir, sandbox_database_url="sqlite+aiosqlite://")
    runtime = await open_runtime(settings, model=model)
    make_crm = runtime.coworker.crm_for
    runtime.coworker.crm_for = lambda user: TimedCrm(make_crm(user), crm_clock)
    user = await runtime.local_user()
    totals: list[float] = []
    overheads: list[float] = []
    try:
        for index in range(turns + 10):
            cid = await runtime.coworker.start_conversation(user, channel="bench")
            model_clock.seconds = crm_clock.seconds = 0.0
            started = time.perf_counter()
            events = [e async for e in runtime.coworker.chat(user, QUESTION, conversation_id=cid)]
            elapsed = time.perf_counter() - started
            assert isinstance(events[-1], TurnDone) and "Acme" in events[-1].text, events[-1]
            if index >= 10:  # warm-up excluded
                totals.append(elapsed)
                overheads.append(elapsed - model_clock.seconds - crm_clock.seconds)
    finally:
        await runtime.aclose()
    return {"total": totals, "overhead": overheads}


def _system() -> str:
    from datetime import UTC, datetime

    return system_prompt(user_name="Alex", timezone="UTC", now=datetime.now(UTC))


def _sandbox_crm(clock: Timed) -> tuple[TimedCrm, DialsheetClient]:
    from coworker.sandbox.app import create_sandbox_app

    transport = httpx.ASGITransport(app=create_sandbox_app())
    client = DialsheetClient("http://sandbox", DEMO_USERS[0].key, transport=transport)
    return TimedCrm(client, clock), client


async def _raw(stub_url: str, turns: int) -> dict[str, list[float]]:
    """The same conversation on the SDK alone: no store, no gate, no events."""
    model_clock, crm_clock = Timed(), Timed()
    crm, crm_client = _sandbox_crm(crm_clock)
    client = anthropic.AsyncAnthropic(api_key="sk-ant-bench", base_url=stub_url, max_retries=0)
    tools = build_catalog().definitions()
    system = _system()
    totals: list[float] = []
    overheads: list[float] = []
    for index in range(turns + 10):
        model_clock.seconds = crm_clock.seconds = 0.0
        started = time.perf_counter()
        messages: list[dict[str, Any]] = [{"role": "user", "content": QUESTION}]
        while True:
            model_started = time.perf_counter()
            async with client.messages.stream(
                model="claude-sonnet-5-5",
                max_tokens=1024,
                system=system,
                tools=tools,  # type: ignore[arg-type]
                messages=messages,  # type: ignore[arg-type]
            ) as stream:
                async for _ in stream.text_stream:
                    pass
                final = await stream.get_final_message()
            model_clock.seconds += time.perf_counter() - model_started
            content = [block.model_dump() for block in final.content]
            messages.append({"role": "assistant", "content": content})
            uses = [b for b in content if b["type"] == "tool_use"]
            if not uses:
                break
            results = []
            for use in uses:
                data = await crm.call(use["name"], use["input"])
                results.append(
                    {
                        "type": "tool_result",
                        "tool_use_id": use["id"],
                        "content": json.dumps(compact(data)),
                    }
                )
            messages.append({"role": "user", "content": results})
        elapsed = time.perf_counter() - started
        assert "Acme" in "".join(b.get("text", "") for b in messages[-1]["content"])
        if index >= 10:
            totals.append(elapsed)
            overheads.append(elapsed - model_clock.seconds - crm_clock.seconds)
    await crm_client.aclose()
    await client.close()
    return {"total": totals, "overhead": overheads}


async def _pydantic_ai(stub_url: str, turns: int) -> dict[str, list[float]]:
    """The same conversation on pydantic-ai's Agent: its loop, its Anthropic adapter."""
    from pydantic_ai import Agent, Tool
    from pydantic_ai.models.anthropic import AnthropicModel as PydanticAnthropicModel
    from pydantic_ai.providers.anthropic import AnthropicProvider

    from bench.pydantic_timing import TimedPydanticModel

    model_clock, crm_clock = Timed(), Timed()
    crm, crm_client = _sandbox_crm(crm_clock)
    client = anthropic.AsyncAnthropic(api_key="sk-ant-bench", base_url=stub_url, max_retries=0)
    provider = AnthropicProvider(anthropic_client=client)
    model = TimedPydanticModel(
        PydanticAnthropicModel("claude-sonnet-5-5", provider=provider), model_clock
    )

    def crm_tool(name: str) -> Any:
        async def call(**arguments: Any) -> str:
            return json.dumps(compact(await crm.call(name, arguments)))

        return call

    tools = [
        Tool.from_schema(
            crm_tool(d["name"]),
            name=d["name"],
            description=d["description"],
            json_schema=d["input_schema"],
        )
        for d in build_catalog().definitions()
    ]
    agent = Agent(model, instructions=_system(), tools=tools, model_settings={"max_tokens": 1024})

    async def drain(_: Any, events: Any) -> None:  # stream every response, as the others do
        async for _event in events:
            pass

    totals: list[float] = []
    overheads: list[float] = []
    for index in range(turns + 10):
        model_clock.seconds = crm_clock.seconds = 0.0
        started = time.perf_counter()
        result = await agent.run(QUESTION, event_stream_handler=drain)
        elapsed = time.perf_counter() - started
        assert "Acme" in result.output, result.output
        if index >= 10:
            totals.append(elapsed)
            overheads.append(elapsed - model_clock.seconds - crm_clock.seconds)
    await crm_client.aclose()
    await client.close()
    return {"total": totals, "overhead": overheads}


def _has_pydantic_ai() -> bool:
    try:
        import pydantic_ai.models.anthropic  # noqa: F401
    except ImportError:
        return False
    return True


def _ratio(times: list[float], base: list[float]) -> float:
    return round(statistics.median(times) / statistics.median(base), 3)


def run(turns: int = 200) -> dict[str, Any]:
    port = free_port()
    stub = _start_stub(port)
    url = f"http://127.0.0.1:{port}"
    pydantic: dict[str, list[float]] | None = None
    try:
        with loopback_only():
            with tempfile.TemporaryDirectory() as data_dir:
                ours = asyncio.run(_ours(url, turns, Path(data_dir)))
            raw = asyncio.run(_raw(url, turns))
            if _has_pydantic_ai():
                pydantic = asyncio.run(_pydantic_ai(url, turns))
    finally:
        stub.terminate()
        stub.wait(timeout=10)
    result: dict[str, Any] = {
        "benchmark": "agent turn (tool call + final answer), stub model over HTTP, SQLite store",
        "turns": turns,
        "overhead": summary_ms(ours["overhead"]),
        "our_turn": summary_ms(ours["total"]),
        "raw_sdk_turn": summary_ms(raw["total"]),
        "raw_sdk_overhead": summary_ms(raw["overhead"]),
        "ratio_p50": _ratio(ours["total"], raw["total"]),
    }
    if pydantic is None:
        result["pydantic_ai"] = "not installed: pip install -e '.[bench]'"
    else:
        result |= {
            "pydantic_ai_turn": summary_ms(pydantic["total"]),
            "pydantic_ai_overhead": summary_ms(pydantic["overhead"]),
            "pydantic_ai_ratio_p50": _ratio(pydantic["total"], raw["total"]),
            "ours_vs_pydantic_ai_p50": _ratio(ours["total"], pydantic["total"]),
        }
    result["versions"] = {name: package_version(name) for name in ("anthropic", "pydantic-ai-slim")}
    result |= {"target_overhead_p50_ms": 5.0, "target_ratio_p50": 1.2}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(run(args.turns), indent=2))


if __name__ == "__main__":
    main()
