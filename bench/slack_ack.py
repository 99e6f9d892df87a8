"""Slack ack latency: 50 signed events at once against the real /slack/events route.

`coworker serve` runs in its own process (embedded sandbox, SQLite in a temporary data dir,
the offline model as the stub) against the mock Slack Web API (uvicorn on loopback, in a
thread of this process). `--events` (50)
distinct DMs, each signed with the signing secret, are POSTed at the same moment; the
time to each HTTP answer is the ack latency Slack sees (target p99 <= 100 ms; Slack's
limit is 3 s). The run then waits until every event got its reply through the mock, so the
work after the ack really happened.

Run: `PYTHONPATH=. .venv/bin/python -m bench.slack_ack [--events 50]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time

import httpx
from slack_sdk.signature import SignatureVerifier
from tests.channels.slack.mock_slack import TEAM, MockSlack
from tests.support.servers import run_asgi_server

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


async def _fire(url: str, count: int) -> list[float]:
    limits = httpx.Limits(max_connections=count)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        # warm up: bolt's one auth.test, the first store writes
        body, headers = _signed(10**6 - 1)
        assert (await client.post("/slack/events", content=body, headers=headers)).is_success
        requests = [_signed(i) for i in range(count)]

        async def one(body: bytes, headers: dict[str, str]) -> float:
            started = time.perf_counter()
            answer = await client.post("/slack/events", content=body, headers=headers)
            elapsed = time.perf_counter() - started
            assert answer.status_code == 200, answer.text
            return elapsed

        return list(await asyncio.gather(*(one(b, h) for b, h in requests)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=50)
    args = parser.parse_args()
    slack = MockSlack()
    port = free_port()
    with tempfile.TemporaryDirectory() as data, run_asgi_server(slack.app) as slack_url:
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
            slack.wait_for(
                lambda s: len(s.of("chat.update")) >= args.events + 1,
                timeout=120,
                what="every reply",
            )
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
