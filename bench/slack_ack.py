"""Slack ack latency: 50 signed events at once against the real /slack/events route.

`coworker serve` runs in its own process (embedded sandbox, SQLite in a temporary data dir,
the offline model as the stub) against the mock Slack Web API, in a process of its own too,
so that neither the server's work nor the mock's takes CPU from the measuring client.
`--events` (50) distinct DMs, each signed with the signing secret, are POSTed at the same
moment; the time to each HTTP answer is the ack latency Slack sees (target p99 <= 100 ms; Slack's
limit is 3 s). The run then waits until every event got its reply through the mock, so the
work after the ack really happened.

Run: `PYTHONPATH=. .venv/bin/python -m bench.slack_ack [--events 50]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

import httpx
from slack_sdk.signature import SignatureVerifier
from tests.channels.slack.mock_slack import TEAM

from bench.harness import child_server, free_port, summary_ms

SECRET = "bench-signing-secret"


def _signed(index: int) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": TEAM,
            "event_id": f"EvBENCH{index:06d}",
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": f"D{index}",
                "user": f"U{index}",
                "text": "hello",
                "ts": f"1700000000.{index:06d}",
            },
        }
    )
    ts = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }
    return body.encode(), headers


def _raw_request(port: int, body: bytes, headers: dict[str, str]) -> bytes:
    lines = ["POST /slack/events HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines += [f"Content-Length: {len(body)}", "", ""]
    return "\r\n".join(lines).encode() + body


async def _answer_status(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return int(head.split(b" ", 2)[1])


async def _fire(url: str, count: int) -> list[float]:
    """Connections are opened first and the signed requests built beforehand, then every
    request is written at once on its own connection (as Slack's deliveries arrive): the
    time to each answer is the server's, not a client library's."""
    port = int(url.rsplit(":", 1)[1])
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        # warm up: bolt's one auth.test, the first store writes
        body, headers = _signed(10**6 - 1)
        assert (await client.post("/slack/events", content=body, headers=headers)).is_success
    connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(count)]
    requests = [_raw_request(port, *_signed(i)) for i in range(count)]

    async def one(
        connection: tuple[asyncio.StreamReader, asyncio.StreamWriter], request: bytes
    ) -> float:
        reader, writer = connection
        started = time.perf_counter()
        writer.write(request)
        status = await _answer_status(reader)
        elapsed = time.perf_counter() - started
        assert status == 200, status
        writer.close()
        return elapsed

    return list(
        await asyncio.gather(*(one(c, r) for c, r in zip(connections, requests, strict=True)))
    )


@contextlib.contextmanager
def _process(command: list[str], ready_url: str) -> Iterator[None]:
    process = subprocess.Popen(command)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(ready_url, timeout=1).is_success:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def _replies(slack_url: str) -> int:
    """Finished replies: streams stopped (or placeholders edited, without AI features)."""
    counts = httpx.get(slack_url + "/_counts", timeout=5).json()
    return int(counts.get("chat.stopStream", 0)) + int(counts.get("chat.update", 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=50)
    args = parser.parse_args()
    port, slack_port = free_port(), free_port()
    mock = [sys.executable, "-m", "tests.channels.slack.mock_slack", str(slack_port)]
    slack_url = f"http://127.0.0.1:{slack_port}"
    with tempfile.TemporaryDirectory() as data, _process(mock, slack_url + "/_counts"):
        env = {
            "COWORKER_DATA_DIR": data,
            "COWORKER_PORT": str(port),
            "COWORKER_SANDBOX_PORT": "0",
            "COWORKER_SCHEDULER": "0",
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_BASE_URL": slack_url + "/api/",
        }
        with child_server(["serve"], port, "/healthz", env=env) as url:
            acks = asyncio.run(_fire(url, args.events))
            started = time.monotonic()
            while _replies(slack_url) < args.events + 1:  # +1: the warm-up event
                if time.monotonic() - started > 120:
                    raise RuntimeError("not every event got its reply within 120 s")
                time.sleep(0.05)
            replies_s = time.monotonic() - started
    print(
        json.dumps(
            {
                "events": args.events,
                "ack": summary_ms(acks),
                "max_ms": round(max(acks) * 1000, 2),
                "all_replies_after_s": round(replies_s, 2),
                "target_p99_ms": 100,
            }
        )
    )


if __name__ == "__main__":
    main()
