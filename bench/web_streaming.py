"""The web API under load: many streaming conversations at once against a slow model.

`coworker serve` runs in its own process on embedded defaults with the Anthropic stub (also
its own process) as the model: every model turn waits `--model-delay` seconds (500 ms)
before streaming its text. `--conversations` clients (200) each POST /api/chat with
`Accept: text/event-stream` at the same moment and read the stream to `data: [DONE]`.

The clients are a lean HTTP/1.1 client on raw asyncio streams, one connection per
conversation (a POST with Content-Length; the body read as chunked or Content-Length; SSE
lines split by hand). A general client measures itself at this concurrency: httpx's
AsyncClient with 200 connections spent 6-9 ms of CPU per request (its pool's bookkeeping
grows with the pool), which put the stub-alone p50 at 0.9-1.3 s for a 0.5 s delay. The
same lean client times the stub alone, our server, and the first-token probe.

Reported:
- added latency: our end-to-end time minus the stub's own for the same request made
  directly to it, at the same concurrency (p50/p99). Target: p99 <= 100 ms.
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
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx

from bench.harness import free_port, percentile, summary_ms

HOST = "127.0.0.1"
TIMEOUT_S = 120.0  # per conversation
TARGET_ADDED_S = 0.1


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


def _cpu_s(pid: int) -> float:
    """utime + stime of a process, in seconds (fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        text = stat.read()
    fields = text[text.rindex(")") + 2 :].split()  # the name may hold spaces; skip past it
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far of each named process, and of this one (the load generator)."""
    return {
        **{name: _cpu_s(pid) for name, pid in pids.items()},
        "load_generator": time.process_time(),
    }


def _per_turn_ms(before: dict[str, float], after: dict[str, float], turns: int) -> dict[str, float]:
    return {name: round((after[name] - before[name]) * 1000 / turns, 2) for name in before}


# The lean client: one connection per conversation, HTTP/1.1, nothing pooled.


async def _head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    """The status code and headers (names lower-cased) of a response."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the connection closed before a status line")
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


async def _body(reader: asyncio.StreamReader, headers: dict[str, str]) -> AsyncIterator[bytes]:
    """The body as it arrives: chunked, by Content-Length, or to the end of the connection."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        while True:
            size_line = await reader.readline()
            if not size_line:
                raise asyncio.IncompleteReadError(b"", None)
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:  # the last chunk, then optional trailers and a blank line
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                return
            yield await reader.readexactly(size)
            if (await reader.readline()).strip():
                raise ValueError("a chunk did not end with CRLF")
    elif "content-length" in headers:
        remaining = int(headers["content-length"])
        while remaining:
            chunk = await reader.read(min(remaining, 65536))
            if not chunk:
                raise asyncio.IncompleteReadError(b"", remaining)
            remaining -= len(chunk)
            yield chunk
    else:
        while chunk := await reader.read(65536):
            yield chunk


async def _lines(chunks: AsyncIterator[bytes]) -> AsyncIterator[str]:
    buffer = b""
    async for chunk in chunks:
        *complete, buffer = (buffer + chunk).split(b"\n")
        for line in complete:
            yield line.rstrip(b"\r").decode()
    if buffer:
        yield buffer.rstrip(b"\r").decode()


@contextlib.asynccontextmanager
async def _post(
    port: int, path: str, payload: dict[str, Any], headers: dict[str, str]
) -> AsyncIterator[tuple[int, AsyncIterator[str]]]:
    """POST `payload` as JSON on a connection of its own: (status, the body's lines)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        body = json.dumps(payload).encode()
        head = [
            f"POST {path} HTTP/1.1",
            f"Host: {HOST}:{port}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
            "Connection: close",
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
        writer.write("\r\n".join(head).encode() + b"\r\n\r\n" + body)
        await writer.drain()
        status, response_headers = await _head(reader)
        yield status, _lines(_body(reader, response_headers))
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _stream_ours(port: int, message: str) -> tuple[float, float | None, bool]:
    """(seconds to [DONE], seconds from the stub's first token to its arrival here, ok).

    The clock stops at `data: [DONE]`; the rest of the body (the last chunk) is still read,
    so the server sees a whole exchange rather than a client that went away."""
    started = time.perf_counter()
    elapsed = None
    first_token_lag = None
    failed = False
    headers = {"Accept": "text/event-stream"}
    async with _post(port, "/api/chat", {"message": message}, headers) as (status, lines):
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
    async with _post(port, "/v1/messages", STUB_BODY, STUB_HEADERS) as (status, lines):
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
            _wait(f"http://{HOST}:{stub_port}/v1/messages", stub)
            _wait(f"http://{HOST}:{app_port}/healthz", server)
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
