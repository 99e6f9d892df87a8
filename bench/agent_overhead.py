"""The agent's own cost per turn, and the same conversation on a bare SDK loop.

One agent turn here is what a person's message costs: a model turn that calls
`search_leads`, the call against the in-process sandbox, and a final model turn. The model
is the Anthropic stub in its own process (the real SDK over HTTP); the store is SQLite.

- overhead = turn time - time inside the model - time inside the CRM (what the service adds:
  store writes, locks, validation, compaction, events). Target: p50 <= 5 ms.
- ratio = our turn time / the same turn on a minimal loop written on the SDK. Target <= 1.2.

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

from bench.harness import free_port, summary_ms
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


async def _raw(stub_url: str, turns: int) -> list[float]:
    """The same conversation on the SDK alone: no store, no gate, no events."""
    from coworker.sandbox.app import create_sandbox_app

    sandbox = create_sandbox_app()
    client = anthropic.AsyncAnthropic(api_key="sk-ant-bench", base_url=stub_url, max_retries=0)
    tools = build_catalog().definitions()
    transport = httpx.ASGITransport(app=sandbox)
    crm = DialsheetClient("http://sandbox", DEMO_USERS[0].key, transport=transport)
    from datetime import UTC, datetime

    system = system_prompt(user_name="Alex", timezone="UTC", now=datetime.now(UTC))
    times: list[float] = []
    for index in range(turns + 10):
        started = time.perf_counter()
        messages: list[dict[str, Any]] = [{"role": "user", "content": QUESTION}]
        while True:
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
        if index >= 10:
            times.append(time.perf_counter() - started)
    await crm.aclose()
    await client.close()
    return times


def run(turns: int = 200) -> dict[str, Any]:
    port = free_port()
    stub = _start_stub(port)
    url = f"http://127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            ours = asyncio.run(_ours(url, turns, Path(data_dir)))
        raw = asyncio.run(_raw(url, turns))
    finally:
        stub.terminate()
        stub.wait(timeout=10)
    ratio = statistics.median(ours["total"]) / statistics.median(raw)
    return {
        "benchmark": "agent turn (tool call + final answer), stub model over HTTP, SQLite store",
        "turns": turns,
        "overhead": summary_ms(ours["overhead"]),
        "our_turn": summary_ms(ours["total"]),
        "raw_sdk_turn": summary_ms(raw),
        "ratio_p50": round(ratio, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(run(args.turns), indent=2))


if __name__ == "__main__":
    main()
