"""Capacity: sustained chat turns per second per core at p99 added latency <= 100 ms, ours
beside the least a server can do for the same turn.

Two servers, each in its own process, pinned to one core (`os.sched_setaffinity` before
exec, so every thread they start stays there: "per core" is measured, not assumed):

- ours: `coworker serve` on embedded defaults (embedded sandbox CRM, SQLite), the real
  `anthropic` SDK as the model, `POST /api/chat` with `Accept: text/event-stream`;
- minimal: `bench.minimal_server`, FastAPI and one SDK call streamed back as SSE, sending
  the model the same request (prompt, 24 tools) and persisting nothing (see its docstring).

Both call the Anthropic stub (`tests.support.anthropic_stub`, text mode: one model call a
turn), which waits `--model-delay` (500 ms) before it streams its reply. The stub and the
load generator (this process) share the other core(s).

Load is open loop: arrivals at a fixed rate with exponential gaps (a Poisson process,
seeded by the rate, so a rate always gets the same schedule), each a new connection
(`bench.sse_client`), for `--step` seconds (at least 40 arrivals). A turn's latency runs
from its scheduled arrival (so a late load generator is charged, not hidden) to
`data: [DONE]`; added latency is that minus the stub's model time (its configured delay).
A step passes when its p99 added latency is <= 100 ms and no turn failed (a non-200, an
`error` part, a cut stream, a turn over 10 s); a failed step is tried once more. Each
server climbs its own ladder: it starts at half the rate its warm-up CPU per turn would
saturate, multiplies the rate by 1.2 while steps pass (divides while they fail, at first),
and once it has a pass and a fail, tries their geometric middle. Its capacity is the
highest rate that passed, divided by the cores it was pinned to. The two servers' steps
alternate (ours first on odd runs), so drift in a shared machine lands on both; `--runs`
(3) repeats the whole thing (later runs start just under the last capacity) and the median
and spread are reported. Goal: ours >= 0.8x the minimal server.

Beside it, each server's CPU per turn, from a step at 20 turns/s that opens every run:
other processes move CPU time far less than they move latency, so on a busy machine it is
the steadier comparison.
The latency figures need a quiet machine: pinning keeps the servers on their core, not
other sessions' processes off it (with the kernel's autogroups, each session gets a fair
share of a core whatever its niceness), so compare runs by their load averages.

Nothing leaves loopback: every address is 127.0.0.1.

Run: `.venv/bin/python -m bench.capacity [--runs 3] [--step 4]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bench.harness import free_port, package_version, percentile, process_cpu_s, wait_up
from bench.sse_client import HOST, post

TARGET_ADDED_S = 0.1
GOAL_RATIO = 0.8
TURN_TIMEOUT_S = 10.0
FACTOR = 1.2  # the ladder's step; the middle try halves it (about 1.1)
MAX_STEPS = 10  # rates tried per server and run (a failed rate is tried twice)
MIN_TURNS = 40  # a step lasts long enough for this many arrivals, on average
WARMUP_RATE, WARMUP_S = 10.0, 2.0
REFERENCE_RATE, REFERENCE_S = 20.0, 3.0  # where CPU per turn is measured, every run


@dataclass(frozen=True)
class Target:
    name: str
    port: int
    path: str
    headers: dict[str, str]
    pid: int


@dataclass
class Ladder:
    """The rates one server is tried at: up while it passes, down while it has never
    passed, then once in the middle of its highest pass and lowest fail."""

    rate: float
    passed: float | None = None
    failed: float | None = None
    steps: int = 0
    done: bool = False
    refined: bool = False

    def record(self, ok: bool) -> None:
        self.steps += 1
        if ok:
            self.passed = max(self.passed or 0.0, self.rate)
        else:
            self.failed = min(self.failed or math.inf, self.rate)
        if self.steps >= MAX_STEPS:
            self.done = True
        elif self.failed is None:
            self.rate *= FACTOR
        elif self.passed is None:
            self.rate /= FACTOR
            self.done = self.rate < 0.5
        elif not self.refined and self.failed / self.passed > FACTOR**0.5 * 1.01:
            self.rate, self.refined = math.sqrt(self.passed * self.failed), True
        else:
            self.done = True


async def _turn(target: Target, due: float, number: int) -> tuple[float, bool]:
    """(seconds from the scheduled arrival to `[DONE]`, ok)."""
    loop = asyncio.get_running_loop()
    done_at, failed = None, False
    payload = {"message": f"Any news on lead {number}?"}
    async with post(target.port, target.path, payload, target.headers) as (status, lines):
        async for line in lines:
            if done_at is not None or not line.startswith("data: "):
                continue
            if line == "data: [DONE]":
                done_at = loop.time()
            elif '"type": "error"' in line or '"type":"error"' in line:
                failed = True
    ok = status == 200 and done_at is not None and not failed
    return (done_at or loop.time()) - due, ok


async def _step(target: Target, rate: float, seconds: float, model_delay: float) -> dict[str, Any]:
    """One open-loop step at `rate` turns/s for `seconds`, waited out to its last turn."""
    loop = asyncio.get_running_loop()
    schedule, clock = [], 0.0
    gaps = random.Random(f"{rate:.4f}")
    seconds = max(seconds, MIN_TURNS / rate)
    while (clock := clock + gaps.expovariate(rate)) < seconds:
        schedule.append(clock)

    async def one(due: float, number: int) -> tuple[float, bool]:
        try:
            async with asyncio.timeout(TURN_TIMEOUT_S):
                return await _turn(target, due, number)
        except (TimeoutError, OSError, ValueError):
            return loop.time() - due, False

    cpu_before, started = process_cpu_s(target.pid), loop.time() + 0.02
    tasks, lags = [], []
    for number, offset in enumerate(schedule):
        due = started + offset
        if (wait := due - loop.time()) > 0:
            await asyncio.sleep(wait)
        lags.append(loop.time() - due)
        tasks.append(asyncio.create_task(one(due, number)))
    results = await asyncio.gather(*tasks)
    wall = loop.time() - started
    cpu = process_cpu_s(target.pid) - cpu_before
    added = [elapsed - model_delay for elapsed, ok in results if ok]
    errors = len(results) - len(added)
    p99 = percentile(added, 99) if added else math.inf
    return {
        "rate": round(rate, 1),
        "turns": len(results),
        "added_p50_ms": round(percentile(added, 50) * 1000, 1) if added else None,
        "added_p99_ms": round(p99 * 1000, 1) if added else None,
        "errors": errors,
        "passed": errors == 0 and p99 <= TARGET_ADDED_S,
        "server_cpu_ms_per_turn": round(cpu * 1000 / max(1, len(results)), 2),
        "server_core_busy": round(cpu / wall, 2),
        "arrival_lag_p99_ms": round(percentile(lags, 99) * 1000, 1),
    }


async def _run(
    targets: list[Target],
    starts: dict[str, float],
    seconds: float,
    model_delay: float,
    deadline: float,
) -> dict[str, dict[str, Any]]:
    """One run: every server's ladder, their steps alternating, until each has its answer
    or the run's share of the time budget is spent (then the highest pass so far)."""
    reference = {
        t.name: await _step(t, REFERENCE_RATE, max(seconds, REFERENCE_S), model_delay)
        for t in targets
    }
    ladders = {t.name: Ladder(starts[t.name]) for t in targets}
    steps: dict[str, list[dict[str, Any]]] = {t.name: [] for t in targets}
    while not all(ladder.done for ladder in ladders.values()) and time.monotonic() < deadline:
        for target in targets:
            ladder = ladders[target.name]
            if ladder.done:
                continue
            passed = False
            for _ in range(2):  # a fail is tried again: a shared machine's hiccup is no verdict
                step = await _step(target, ladder.rate, seconds, model_delay)
                steps[target.name].append(step)
                print(f"   {target.name:8} {_brief(step)}", file=sys.stderr, flush=True)
                await asyncio.sleep(0.3)  # let closed connections settle
                if passed := step["passed"]:
                    break
            ladder.record(passed)
    return {name: _outcome(ladders[name], reference[name], steps[name]) for name in ladders}


def _brief(step: dict[str, Any]) -> str:
    verdict = "pass" if step["passed"] else "fail"
    return (
        f"{step['rate']:7.1f}/s  added p99 {step['added_p99_ms']} ms, {step['errors']} errors, "
        f"core {step['server_core_busy']:.0%} busy: {verdict}"
    )


def _outcome(
    ladder: Ladder, reference: dict[str, Any], steps: list[dict[str, Any]]
) -> dict[str, Any]:
    """A server's capacity in one run, and its CPU per turn at the reference rate: CPU time
    is what other processes on a shared machine move least, and one fixed rate for every
    server and run keeps batching (more turns per wake-up at higher rates) out of it."""
    return {
        "capacity": round(ladder.passed or 0.0, 1),
        "complete": ladder.done,  # False: the time budget ran out first
        "cpu_ms_per_turn": reference["server_cpu_ms_per_turn"],
        "reference": reference,
        "steps": steps,
    }


async def _stub_floor(port: int, model_delay: float, count: int = 20) -> float:
    """The stub alone, one turn at a time: what the stub and loopback add to its delay."""
    headers = {"Accept": "text/event-stream", "x-api-key": "sk-ant-bench"}
    body = {"model": "claude-sonnet-5-5", "max_tokens": 64, "stream": True}
    body["messages"] = [{"role": "user", "content": "hi"}]
    times = []
    for _ in range(count):
        started = time.perf_counter()
        async with post(port, "/v1/messages", body, headers) as (_, lines):
            async for _line in lines:
                pass
        times.append(time.perf_counter() - started - model_delay)
    return round(percentile(times, 50) * 1000, 2)


def _pinned(cores: set[int] | None) -> Callable[[], None] | None:
    return None if cores is None else (lambda: os.sched_setaffinity(0, cores))


COWORKER = [sys.executable, "-c", "from coworker.cli import main; main()"]


@contextmanager
def _processes(
    model_delay: float, server_cores: set[int] | None
) -> Iterator[tuple[int, list[Target]]]:
    """The stub (on this process's cores), ours and the minimal server (on `server_cores`)."""
    stub_port, ours_port, minimal_port = free_port(), free_port(), free_port()
    stub_url = f"http://{HOST}:{stub_port}"
    stub_args = ["--port", str(stub_port), "--mode", "text", "--delay", str(model_delay)]
    commands = {
        "stub": [sys.executable, "-m", "tests.support.anthropic_stub", *stub_args],
        "ours": [*COWORKER, "serve", "--port", str(ours_port)],
        "minimal": [
            *[sys.executable, "-m", "bench.minimal_server", "--port", str(minimal_port)],
            *["--anthropic-url", stub_url],
        ],
    }
    started: dict[str, subprocess.Popen[bytes]] = {}
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ,
            "ANTHROPIC_API_KEY": "sk-ant-bench",
            "ANTHROPIC_BASE_URL": stub_url,
            "COWORKER_DATA_DIR": data_dir,
            "COWORKER_RATE_LIMIT": "1000000",
            "COWORKER_SANDBOX_PORT": "0",
        }
        try:
            for name, command in commands.items():
                started[name] = subprocess.Popen(
                    command,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    preexec_fn=None if name == "stub" else _pinned(server_cores),
                )
            wait_up(f"{stub_url}/v1/messages", started["stub"])
            wait_up(f"http://{HOST}:{ours_port}/healthz", started["ours"])
            wait_up(f"http://{HOST}:{minimal_port}/healthz", started["minimal"])
            sse = {"Accept": "text/event-stream"}
            targets = [
                Target("ours", ours_port, "/api/chat", sse, started["ours"].pid),
                Target("minimal", minimal_port, "/chat", sse, started["minimal"].pid),
            ]
            yield stub_port, targets
        finally:
            for process in started.values():
                process.terminate()
            for process in started.values():
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()


def _cores() -> tuple[set[int] | None, set[int] | None]:
    """(the servers' core, the load generator's and stub's), or (None, None) unpinned."""
    if not hasattr(os, "sched_setaffinity"):
        return None, None
    usable = sorted(os.sched_getaffinity(0))
    if len(usable) < 2:
        return None, None
    return {usable[0]}, set(usable[1:])


def _spread(values: list[float]) -> dict[str, float | str]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "range": f"{min(values):.3g}-{max(values):.3g}",
    }


def run(
    runs: int = 3, step_s: float = 4.0, model_delay: float = 0.5, budget_s: float = 600
) -> dict[str, Any]:
    server_cores, load_cores = _cores()
    if load_cores is not None:
        os.sched_setaffinity(0, load_cores)  # this process, and the stub it starts
    cores_used = len(server_cores) if server_cores else (os.cpu_count() or 1)
    load_start = os.getloadavg()
    with _processes(model_delay, server_cores) as (stub_port, targets):
        floor_ms = asyncio.run(_stub_floor(stub_port, model_delay))
        starts = {}
        for target in targets:  # warm-up; its CPU per turn says where the ladder starts
            warm = asyncio.run(_step(target, WARMUP_RATE, WARMUP_S, model_delay))
            saturating = 1000 / max(0.5, warm["server_cpu_ms_per_turn"]) * cores_used
            starts[target.name] = max(1.0, round(saturating * 0.5, 1))
        results: list[dict[str, Any]] = []
        for index in range(runs):
            order = targets if index % 2 == 0 else targets[::-1]
            if results:  # start just under the last capacity: fewer steps, the same verdict
                last = results[-1]
                starts = {
                    name: last[name]["capacity"] / FACTOR or start for name, start in starts.items()
                }
            deadline = time.monotonic() + budget_s / runs
            result: dict[str, Any] = asyncio.run(_run(order, starts, step_s, model_delay, deadline))
            result["load_average"] = [round(v, 2) for v in os.getloadavg()]
            results.append(result)
    per_core = {
        name: [r[name]["capacity"] / cores_used for r in results] for name in ("ours", "minimal")
    }
    ratios = [
        round(o / m, 3) for o, m in zip(per_core["ours"], per_core["minimal"], strict=True) if m
    ]
    cpu = {name: [r[name]["cpu_ms_per_turn"] for r in results] for name in ("ours", "minimal")}
    ours, minimal = statistics.median(per_core["ours"]), statistics.median(per_core["minimal"])
    return {
        "benchmark": "sustained chat turns/s per core at p99 added latency <= 100 ms, "
        "open-loop Poisson arrivals, ours vs a minimal FastAPI + anthropic SSE server",
        "model_delay_ms": model_delay * 1000,
        "step_s": step_s,
        "runs": runs,
        "budget_s": budget_s,
        "pinning": {
            "server_cores": sorted(server_cores) if server_cores else "unpinned",
            "load_generator_and_stub_cores": sorted(load_cores) if load_cores else "unpinned",
            "server_cores_used": cores_used,
        },
        "stub_floor_added_ms": floor_ms,
        "ours_per_core": _spread(per_core["ours"]),
        "minimal_per_core": _spread(per_core["minimal"]),
        "ratio": round(ours / minimal, 3) if minimal else None,
        "ratio_per_run": _spread(ratios) if ratios else None,
        "cpu_ms_per_turn": {name: _spread(values) for name, values in cpu.items()},
        "cpu_ratio": round(statistics.median(cpu["minimal"]) / statistics.median(cpu["ours"]), 3),
        "load_average": {
            "start_1min": round(load_start[0], 2),
            "end_1min": round(os.getloadavg()[0], 2),
            "start": [round(v, 2) for v in load_start],
            "end": [round(v, 2) for v in os.getloadavg()],
        },
        "per_run": results,
        "versions": {n: package_version(n) for n in ("anthropic", "fastapi", "uvicorn")},
        "target_added_p99_ms": TARGET_ADDED_S * 1000,
        "goal_ratio": GOAL_RATIO,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--step", type=float, default=4.0, help="seconds per ladder step")
    parser.add_argument("--model-delay", type=float, default=0.5)
    parser.add_argument(
        "--budget", type=float, default=600, help="seconds for all the runs' ladders together"
    )
    args = parser.parse_args()
    # A terminated benchmark still stops its servers (the `finally` runs).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(json.dumps(run(args.runs, args.step, args.model_delay, args.budget), indent=2))


if __name__ == "__main__":
    main()
