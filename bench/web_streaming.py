"""The web API under load: many streaming conversations at once against a slow model.

`coworker serve` runs in its own process on embedded defaults with the Anthropic stub (also
its own process) as the model: every model turn waits `--model-delay` seconds (500 ms)
before streaming its text. `--conversations` clients (200) each POST /api/chat with
`Accept: text/event-stream` at the same moment and read the stream to [DONE].

Reported:
- added latency: our end-to-end time minus the stub's own for the same request made
  directly to it, at the same concurrency (p50/p99). Target: p99 <= 100 ms.
- turns/s, errors, and the server's peak resident memory.
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

import httpx

from bench.harness import free_port, percentile, summary_ms


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def _stream_ours(client: httpx.AsyncClient, message: str) -> tuple[float, float | None, bool]:
    """(seconds to [DONE], seconds from the stub's first token to its arrival here, ok)."""
    started = time.perf_counter()
    first_token_lag = None
    ok = False
    headers = {"Accept": "text/event-stream"}
    async with client.stream("POST", "/api/chat", json={"message": message}, headers=headers) as r:
        async for line in r.aiter_lines():
            if not line.startswith("data: "):
                continue
            data = line[6:]
            if data == "[DONE]":
                ok = r.status_code == 200
                break
            part = json.loads(data)
            if (
                part["type"] == "text-delta"
                and first_token_lag is None
                and part["delta"].startswith("@")
            ):
                sent = float(part["delta"].split("@")[1])
                first_token_lag = time.time() - sent
            if part["type"] == "error":
                ok = False
    return time.perf_counter() - started, first_token_lag, ok


async def _stream_stub(client: httpx.AsyncClient) -> float:
    body = {
        "model": "claude-sonnet-5-5",
        "max_tokens": 256,
        "stream": True,
        "messages": [{"role": "user", "content": "hi"}],
    }
    started = time.perf_counter()
    headers = {"x-api-key": "sk-ant-bench", "anthropic-version": "2023-06-01"}
    async with client.stream("POST", "/v1/messages", json=body, headers=headers) as response:
        async for _ in response.aiter_lines():
            pass
    return time.perf_counter() - started


async def _burst(base: str, count: int, ours: bool) -> tuple[list[float], int, float]:
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        started = time.perf_counter()
        if ours:
            results = await asyncio.gather(
                *(_stream_ours(client, f"conversation {i}") for i in range(count)),
                return_exceptions=True,
            )
            times = [r[0] for r in results if not isinstance(r, BaseException) and r[2]]
        else:
            stub = await asyncio.gather(
                *(_stream_stub(client) for _ in range(count)), return_exceptions=True
            )
            times = [t for t in stub if not isinstance(t, BaseException)]
        elapsed = time.perf_counter() - started
    return times, count - len(times), elapsed


async def _first_token_lags(base: str, samples: int) -> list[float]:
    lags = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for i in range(samples):
            _, lag, ok = await _stream_ours(client, f"first token {i}")
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
            "ANTHROPIC_BASE_URL": f"http://127.0.0.1:{stub_port}",
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
            _wait(f"http://127.0.0.1:{stub_port}/v1/messages", stub)
            _wait(f"http://127.0.0.1:{app_port}/healthz", server)
            base = f"http://127.0.0.1:{app_port}"
            asyncio.run(_burst(base, 5, ours=True))  # warm-up
            stub_times, _, _ = asyncio.run(
                _burst(f"http://127.0.0.1:{stub_port}", conversations, ours=False)
            )
            peak = [0.0]

            async def sample_memory(done: asyncio.Event) -> None:
                while not done.is_set():
                    peak[0] = max(peak[0], _rss_mb(server.pid))
                    await asyncio.sleep(0.05)

            async def measured() -> tuple[list[float], int, float]:
                done = asyncio.Event()
                watcher = asyncio.create_task(sample_memory(done))
                try:
                    return await _burst(base, conversations, ours=True)
                finally:
                    done.set()
                    await watcher

            times, errors, elapsed = asyncio.run(measured())
            lags = asyncio.run(_first_token_lags(base, samples))
        finally:
            server.terminate()
            stub.terminate()
            server.wait(timeout=15)
            stub.wait(timeout=15)
    added = {
        "p50_ms": round((percentile(times, 50) - percentile(stub_times, 50)) * 1000, 1),
        "p99_ms": round((percentile(times, 99) - percentile(stub_times, 99)) * 1000, 1),
    }
    return {
        "benchmark": f"{conversations} concurrent streaming chats, "
        f"stub model with {model_delay * 1000:.0f} ms turns",
        "ours": summary_ms(times),
        "stub_alone": summary_ms(stub_times),
        "added_latency": added,
        "turns_per_s": round(len(times) / elapsed, 1),
        "errors": errors,
        "server_peak_rss_mb": round(peak[0], 1),
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
