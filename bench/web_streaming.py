"""The web API under load: many streaming conversations at once against a slow model.

`coworker serve` runs in its own process on embedded defaults with the Anthropic stub (also
its own process) as the model: every model turn waits `--model-delay` seconds (500 ms)
before streaming its text. `--conversations` clients (200) each POST /api/chat with
`Accept: text/event-stream` at the same moment and read the stream to `data: [DONE]`.

The clients are the lean HTTP/1.1 client of `bench.sse_client`, one connection per
conversation (httpx's pool put the stub-alone p50 at 0.9-1.3 s for a 0.5 s delay at this
concurrency). The same client times the stub alone, our server, and the first-token probe.

Reported:
- added latency: our end-to-end time minus the stub's own for the same request made
  directly to it, at the same concurrency (p50/p99). No target: a simultaneous burst of
  200 needs 21+ cores to be absorbed within 100 ms (the SDK alone needs more CPU than 2
  cores have), so the 200-turn target is retired for `bench.capacity`'s sustained rate.
- turns/s, errors (a non-200 status, an `error` part, a stream cut short, an exception),
  and the server's peak resident memory.
- CPU milliseconds per turn during the measured burst for the server, the stub and the load
  generator (this process), from /proc/PID/stat (utime + stime) and `time.process_time`;
  the same for the stub and the load generator during the stub-alone burst. Beside them
  `cpu_cores`, and `cores_needed_for_target`: the server's CPU-seconds for the whole burst
  / 0.1 s, the cores it would take to absorb a simultaneous burst within the 100 ms target.
- first token -> first SSE byte: the stub stamps the moment it sends its first token into
  the text; the client subtracts it from when that text arrives (same machine clock), one
  conversation at a time. Target: p50 <= 10 ms.

Run: `.venv/bin/python -m bench.web_streaming [--conversations 200]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

from bench.harness import free_port, percentile, process_cpu_s, summary_ms, wait_up
from bench.sse_client import HOST, post

TIMEOUT_S = 120.0  # per conversation
TARGET_ADDED_S = 0.1


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _cpu(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far of each named process, and of this one (the load generator)."""
    return {
        **{name: process_cpu_s(pid) for name, pid in pids.items()},
        "load_generator": time.process_time(),
    }


def _per_turn_ms(before: dict[str, float], after: dict[str, float], turns: int) -> dict[str, float]:
    return {name: round((after[name] - before[name]) * 1000 / turns, 2) for name in before}


async def _stream_ours(port: int, message: str) -> tuple[float, float | None, bool]:
    """(seconds to [DONE], seconds from the stub's first token to its arrival here, ok).

    The clock stops at `data: [DONE]`; the rest of the body (the last chunk) is still read,
    so the server sees a whole exchange rather than a client that went away."""
    started = time.perf_counter()
    elapsed = None
    first_token_lag = None
    failed = False
    headers = {"Accept": "text/event-stream"}
    async with post(port, "/api/chat", {"message": message}, headers) as (status, lines):
        async for line in lines:
            if elapsed is not None or not line.startswith("data: "):
                continue
            data = line[6:]
            if data == "[DONE]":
                elapsed = time.perf_counter() - started
                continue
            part = json.loads(data)
            if (
                part["type"] == "text-delta"
                and first_token_lag is None
                and part["delta"].startswith("@")
            ):
                sent = float(part["delta"].split("@")[1])
                first_token_lag = time.time() - sent
            if part["type"] == "error":
                failed = True
    ok = status == 200 and elapsed is not None and not failed
    return elapsed or time.perf_counter() - started, first_token_lag, ok


STUB_BODY = {
    "model": "claude-sonnet-5-5",
    "max_tokens": 256,
    "stream": True,
    "messages": [{"role": "user", "content": "hi"}],
}
STUB_HEADERS = {
    "Accept": "text/event-stream",
    "x-api-key": "sk-ant-bench",
    "anthropic-version": "2023-06-01",
}


async def _stream_stub(port: int) -> tuple[float, bool]:
    """(seconds to `event: message_stop`, or to the end of the body without one; ok)."""
    started = time.perf_counter()
    elapsed = None
    failed = False
    async with post(port, "/v1/messages", STUB_BODY, STUB_HEADERS) as (status, lines):
        async for line in lines:
            if line == "event: message_stop" and elapsed is None:
                elapsed = time.perf_counter() - started
            elif line == "event: error":
                failed = True
    ok = status == 200 and elapsed is not None and not failed
    return elapsed or time.perf_counter() - started, ok


async def _burst(port: int, count: int, ours: bool) -> tuple[list[float], int, float]:
    """`count` conversations at once: (times of those that succeeded, errors, seconds)."""

    async def one(i: int) -> tuple[float, bool]:
        async with asyncio.timeout(TIMEOUT_S):
            if ours:
                elapsed, _, ok = await _stream_ours(port, f"conversation {i}")
                return elapsed, ok
            return await _stream_stub(port)

    started = time.perf_counter()
    results = await asyncio.gather(*(one(i) for i in range(count)), return_exceptions=True)
    elapsed = time.perf_counter() - started
    times = [r[0] for r in results if not isinstance(r, BaseException) and r[1]]
    return times, count - len(times), elapsed


async def _first_token_lags(port: int, samples: int) -> list[float]:
    lags = []
    for i in range(samples):
        async with asyncio.timeout(TIMEOUT_S):
            _, lag, ok = await _stream_ours(port, f"first token {i}")
        if ok and lag is not None:
            lags.append(lag)
    return lags


def run(conversations: int = 200, model_delay: float = 0.5, samples: int = 50) -> dict[str, Any]:
    stub_port, app_port = free_port(), free_port()
    python = sys.executable
    stub = subprocess.Popen(
        [
            python,
            "-m",
            "tests.support.anthropic_stub",
            "--port",
            str(stub_port),
            "--mode",
            "text",
            "--delay",
            str(model_delay),
            "--stamp",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ,
            "ANTHROPIC_API_KEY": "sk-ant-bench",
            "ANTHROPIC_BASE_URL": f"http://{HOST}:{stub_port}",
            "COWORKER_DATA_DIR": data_dir,
            "COWORKER_RATE_LIMIT": "100000",
            "COWORKER_SANDBOX_PORT": "0",
        }
        server = subprocess.Popen(
            [
                python,
                "-c",
                "from coworker.cli import main; main()",
                "serve",
                "--port",
                str(app_port),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_up(f"http://{HOST}:{stub_port}/v1/messages", stub)
            wait_up(f"http://{HOST}:{app_port}/healthz", server)
            asyncio.run(_burst(app_port, 5, ours=True))  # warm-up
            before = _cpu({"stub": stub.pid})
            stub_times, stub_errors, _ = asyncio.run(_burst(stub_port, conversations, ours=False))
            stub_alone_cpu = _per_turn_ms(before, _cpu({"stub": stub.pid}), conversations)
            peak = [0.0]

            async def sample_memory(done: asyncio.Event) -> None:
                while not done.is_set():
                    peak[0] = max(peak[0], _rss_mb(server.pid))
                    await asyncio.sleep(0.05)

            async def measured() -> tuple[list[float], int, float]:
                done = asyncio.Event()
                watcher = asyncio.create_task(sample_memory(done))
                try:
                    return await _burst(app_port, conversations, ours=True)
                finally:
                    done.set()
                    await watcher

            pids = {"server": server.pid, "stub": stub.pid}
            before = _cpu(pids)
            times, errors, elapsed = asyncio.run(measured())
            after = _cpu(pids)
            lags = asyncio.run(_first_token_lags(app_port, samples))
        finally:
            server.terminate()
            stub.terminate()
            server.wait(timeout=15)
            stub.wait(timeout=15)
    added = {
        "p50_ms": round((percentile(times, 50) - percentile(stub_times, 50)) * 1000, 1),
        "p99_ms": round((percentile(times, 99) - percentile(stub_times, 99)) * 1000, 1),
    }
    server_cpu_s = after["server"] - before["server"]
    return {
        "benchmark": f"{conversations} concurrent streaming chats, "
        f"stub model with {model_delay * 1000:.0f} ms turns",
        "client": "lean HTTP/1.1 on asyncio streams, one connection per conversation",
        "ours": summary_ms(times),
        "stub_alone": summary_ms(stub_times),
        "added_latency": added,
        "turns_per_s": round(len(times) / elapsed, 1),
        "errors": errors,
        "stub_alone_errors": stub_errors,
        "server_peak_rss_mb": round(peak[0], 1),
        "cpu_ms_per_turn": _per_turn_ms(before, after, conversations),
        "stub_alone_cpu_ms_per_turn": stub_alone_cpu,
        "server_cpu_s": round(server_cpu_s, 3),
        "cpu_cores": os.cpu_count(),
        "cores_needed_for_target": round(server_cpu_s / TARGET_ADDED_S, 1),
        "first_token_to_first_sse_byte": summary_ms(lags),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--model-delay", type=float, default=0.5)
    parser.add_argument("--samples", type=int, default=50, help="first-token samples (>= 1)")
    args = parser.parse_args()
    print(json.dumps(run(args.conversations, args.model_delay, args.samples), indent=2))


if __name__ == "__main__":
    main()
