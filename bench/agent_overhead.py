"""The agent's own cost per turn, beside pydantic-ai's agent and a bare SDK loop.

One agent turn here is what a person's message costs: a model turn that calls
`search_leads`, the call against the in-process sandbox, and a final model turn. The model
is the Anthropic stub in its own process (the real SDK over HTTP); our store is SQLite.
The same turn runs three ways, on the same stub, catalog (24 tools), system prompt and CRM:

- ours: `Coworker.chat` (store writes, lock, gate, validation, compaction, events);
- pydantic-ai: an `Agent` on its `AnthropicModel` (the same `AsyncAnthropic` client setup),
  the catalog as `Tool.from_schema` tools, streamed (`event_stream_handler`), no store;
- raw SDK: a minimal loop on `AsyncAnthropic.messages.stream`, no store.

All three share one event loop and take turns: for each index one turn of ours, one of the
raw loop, one of pydantic-ai's, the first of them rotated from index to index, so drift in
the machine (other load, CPU frequency) lands on all three alike and no one always runs
first. The first 10 indices are warm-up and left out. All three talk to the stub through
the same transport, the SDK's aiohttp client (`anthropic.DefaultAioHttpClient()`), passed
explicitly, so the comparison holds whatever our `AnthropicModel` defaults to.

- overhead = turn time - time inside the model call - time inside the CRM, for each (the
  model call is timed around the SDK stream, its consumption included). Ours: p50 <= 5 ms.
- ratio = our turn time / the raw SDK loop's (target <= 1.3), three ways: of the medians
  (`ratio_p50`), of the means (`ratio_of_means`), and the median of the per-index ratios
  (`ratio_p50_per_pair`), which the interleaving makes like for like.

pydantic-ai is a benchmark-only dependency (`pip install -e '.[bench]'`); without it that
column is reported as missing. Nothing here leaves loopback.

Run: `.venv/bin/python -m bench.agent_overhead [--turns 200]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import anthropic
import httpx

from bench.harness import free_port, loopback_only, package_version, summary_ms
from coworker.agent.context import system_prompt
from coworker.agent.events import TurnDone
from coworker.config import Settings
from coworker.dialsheet.client import DialsheetClient
from coworker.llm.anthropic import AnthropicModel
from coworker.llm.base import Model, ModelEvent, ModelRequest
from coworker.runtime import Runtime, open_runtime
from coworker.sandbox.seed import DEMO_USERS
from coworker.store.records import UserRecord
from coworker.tools.catalog import build_catalog
from coworker.tools.compact import compact
from coworker.tools.executor import CrmCaller

QUESTION = "Any new leads at Acme?"
WARMUP = 10
TRANSPORT = "aiohttp (anthropic.DefaultAioHttpClient)"


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


class Loop(Protocol):
    """One way of running the turn: `turn()` gives (turn seconds, overhead seconds)."""

    async def turn(self) -> tuple[float, float]: ...

    async def aclose(self) -> None: ...


def _client(stub_url: str) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(
        api_key="sk-ant-bench",
        base_url=stub_url,
        max_retries=0,
        http_client=anthropic.DefaultAioHttpClient(),
    )


class Ours:
    """`Coworker.chat` on its runtime: SQLite store, in-process sandbox CRM."""

    def __init__(self, runtime: Runtime, user: UserRecord, model: Timed, crm: Timed) -> None:
        self.runtime, self.user, self.model_clock, self.crm_clock = runtime, user, model, crm

    @classmethod
    async def open(cls, stub_url: str, data_dir: Path) -> Ours:
        model_clock, crm_clock = Timed(), Timed()
        inner = AnthropicModel(
            "sk-ant-bench",
            base_url=stub_url,
            max_retries=0,
            http_client=anthropic.DefaultAioHttpClient(),
        )
        settings = Settings(data_dir=data_dir, sandbox_database_url="sqlite+aiosqlite://")
        runtime = await open_runtime(settings, model=TimedModel(inner, model_clock))
        make_crm = runtime.coworker.crm_for
        runtime.coworker.crm_for = lambda user: TimedCrm(make_crm(user), crm_clock)
        return cls(runtime, await runtime.local_user(), model_clock, crm_clock)

    async def turn(self) -> tuple[float, float]:
        coworker = self.runtime.coworker
        cid = await coworker.start_conversation(self.user, channel="bench")
        self.model_clock.seconds = self.crm_clock.seconds = 0.0
        started = time.perf_counter()
        events = [e async for e in coworker.chat(self.user, QUESTION, conversation_id=cid)]
        elapsed = time.perf_counter() - started
        assert isinstance(events[-1], TurnDone) and "Acme" in events[-1].text, events[-1]
        return elapsed, elapsed - self.model_clock.seconds - self.crm_clock.seconds

    async def aclose(self) -> None:
        await self.runtime.aclose()


def _system() -> str:
    from datetime import UTC, datetime

    return system_prompt(user_name="Alex", timezone="UTC", now=datetime.now(UTC))


def _sandbox_crm(clock: Timed) -> tuple[TimedCrm, DialsheetClient]:
    from coworker.sandbox.app import create_sandbox_app

    transport = httpx.ASGITransport(app=create_sandbox_app())
    client = DialsheetClient("http://sandbox", DEMO_USERS[0].key, transport=transport)
    return TimedCrm(client, clock), client


class RawSdk:
    """The same conversation on the SDK alone: no store, no gate, no events."""

    def __init__(self, stub_url: str) -> None:
        self.model_clock, self.crm_clock = Timed(), Timed()
        self.crm, self.crm_client = _sandbox_crm(self.crm_clock)
        self.client = _client(stub_url)
        self.tools = build_catalog().definitions()
        self.system = _system()

    async def turn(self) -> tuple[float, float]:
        self.model_clock.seconds = self.crm_clock.seconds = 0.0
        started = time.perf_counter()
        messages: list[dict[str, Any]] = [{"role": "user", "content": QUESTION}]
        while True:
            model_started = time.perf_counter()
            async with self.client.messages.stream(
                model="claude-sonnet-5-5",
                max_tokens=1024,
                system=self.system,
                tools=self.tools,  # type: ignore[arg-type]
                messages=messages,  # type: ignore[arg-type]
            ) as stream:
                async for _ in stream.text_stream:
                    pass
                final = await stream.get_final_message()
            self.model_clock.seconds += time.perf_counter() - model_started
            content = [block.model_dump() for block in final.content]
            messages.append({"role": "assistant", "content": content})
            uses = [b for b in content if b["type"] == "tool_use"]
            if not uses:
                break
            results = []
            for use in uses:
                data = await self.crm.call(use["name"], use["input"])
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
        return elapsed, elapsed - self.model_clock.seconds - self.crm_clock.seconds

    async def aclose(self) -> None:
        await self.crm_client.aclose()
        await self.client.close()


class PydanticAi:
    """The same conversation on pydantic-ai's Agent: its loop, its Anthropic adapter."""

    def __init__(self, stub_url: str) -> None:
        from pydantic_ai import Agent, Tool
        from pydantic_ai.models.anthropic import AnthropicModel as PydanticAnthropicModel
        from pydantic_ai.providers.anthropic import AnthropicProvider

        from bench.pydantic_timing import TimedPydanticModel

        self.model_clock, self.crm_clock = Timed(), Timed()
        crm, self.crm_client = _sandbox_crm(self.crm_clock)
        self.client = _client(stub_url)
        provider = AnthropicProvider(anthropic_client=self.client)
        model = TimedPydanticModel(
            PydanticAnthropicModel("claude-sonnet-5-5", provider=provider), self.model_clock
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
        self.agent = Agent(
            model, instructions=_system(), tools=tools, model_settings={"max_tokens": 1024}
        )

    @staticmethod
    async def _drain(_: Any, events: Any) -> None:  # stream every response, as the others do
        async for _event in events:
            pass

    async def turn(self) -> tuple[float, float]:
        self.model_clock.seconds = self.crm_clock.seconds = 0.0
        started = time.perf_counter()
        result = await self.agent.run(QUESTION, event_stream_handler=self._drain)
        elapsed = time.perf_counter() - started
        assert "Acme" in result.output, result.output
        return elapsed, elapsed - self.model_clock.seconds - self.crm_clock.seconds

    async def aclose(self) -> None:
        await self.crm_client.aclose()
        await self.client.close()


def _has_pydantic_ai() -> bool:
    try:
        import pydantic_ai.models.anthropic  # noqa: F401
    except ImportError:
        return False
    return True


async def _interleaved(
    stub_url: str, turns: int, data_dir: Path, with_pydantic_ai: bool
) -> dict[str, dict[str, list[float]]]:
    """Every loop in this one event loop, one turn each per index, the first one rotating."""
    async with contextlib.AsyncExitStack() as stack:
        loops: dict[str, Loop] = {}
        loops["ours"] = await Ours.open(stub_url, data_dir)
        stack.push_async_callback(loops["ours"].aclose)
        loops["raw"] = RawSdk(stub_url)
        stack.push_async_callback(loops["raw"].aclose)
        if with_pydantic_ai:
            loops["pydantic_ai"] = PydanticAi(stub_url)
            stack.push_async_callback(loops["pydantic_ai"].aclose)
        names = list(loops)
        samples: dict[str, dict[str, list[float]]] = {
            name: {"total": [], "overhead": []} for name in names
        }
        for index in range(WARMUP + turns):
            first = index % len(names)
            for name in names[first:] + names[:first]:
                total, overhead = await loops[name].turn()
                if index >= WARMUP:
                    samples[name]["total"].append(total)
                    samples[name]["overhead"].append(overhead)
    return samples


def _ratio(times: list[float], base: list[float]) -> float:
    return round(statistics.median(times) / statistics.median(base), 3)


def _ratio_of_means(times: list[float], base: list[float]) -> float:
    return round(statistics.fmean(times) / statistics.fmean(base), 3)


def _ratio_per_pair(times: list[float], base: list[float]) -> float:
    """The median of time_i / base_i over the same index (turns run side by side)."""
    return round(statistics.median(t / b for t, b in zip(times, base, strict=True)), 3)


def run(turns: int = 200) -> dict[str, Any]:
    port = free_port()
    stub = _start_stub(port)
    url = f"http://127.0.0.1:{port}"
    try:
        with loopback_only(), tempfile.TemporaryDirectory() as data_dir:
            samples = asyncio.run(_interleaved(url, turns, Path(data_dir), _has_pydantic_ai()))
    finally:
        stub.terminate()
        stub.wait(timeout=10)
    ours, raw = samples["ours"], samples["raw"]
    pydantic = samples.get("pydantic_ai")
    result: dict[str, Any] = {
        "benchmark": "agent turn (tool call + final answer), stub model over HTTP, SQLite store",
        "turns": turns,
        "schedule": f"interleaved in one event loop, first runner rotated; {WARMUP} warm-up",
        "transport": TRANSPORT,
        "overhead": summary_ms(ours["overhead"]),
        "our_turn": summary_ms(ours["total"]),
        "raw_sdk_turn": summary_ms(raw["total"]),
        "raw_sdk_overhead": summary_ms(raw["overhead"]),
        "ratio_p50": _ratio(ours["total"], raw["total"]),
        "ratio_of_means": _ratio_of_means(ours["total"], raw["total"]),
        "ratio_p50_per_pair": _ratio_per_pair(ours["total"], raw["total"]),
    }
    if pydantic is None:
        result["pydantic_ai"] = "not installed: pip install -e '.[bench]'"
    else:
        result |= {
            "pydantic_ai_turn": summary_ms(pydantic["total"]),
            "pydantic_ai_overhead": summary_ms(pydantic["overhead"]),
            "pydantic_ai_ratio_p50": _ratio(pydantic["total"], raw["total"]),
            "pydantic_ai_ratio_of_means": _ratio_of_means(pydantic["total"], raw["total"]),
            "pydantic_ai_ratio_p50_per_pair": _ratio_per_pair(pydantic["total"], raw["total"]),
            "ours_vs_pydantic_ai_p50": _ratio(ours["total"], pydantic["total"]),
        }
    result["versions"] = {
        name: package_version(name) for name in ("anthropic", "pydantic-ai-slim", "aiohttp")
    }
    result |= {"target_overhead_p50_ms": 5.0, "target_ratio_p50": 1.3}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(run(args.turns), indent=2))


if __name__ == "__main__":
    main()
