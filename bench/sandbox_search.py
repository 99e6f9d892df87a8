"""Sandbox throughput for `GET /api/v1/leads?search=` on the demo data.

The sandbox runs as `coworker sandbox` in its own process; this process sends requests
from `--concurrency` workers and reports requests/s and latency percentiles.
Run: `.venv/bin/python -m bench.sandbox_search [--requests 3000] [--concurrency 16]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import httpx

from bench.harness import child_server, free_port, summary_ms
from coworker.sandbox.seed import DEMO_USERS

TERMS = ("acme", "smith", "jane", "initech", "555", "chris", "gmail", "a", "zzz-no-match", "parker")


async def _load(base: str, total: int, concurrency: int) -> dict[str, object]:
    headers = {"Authorization": f"Bearer {DEMO_USERS[0].key}"}
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30
    ) as client:
        for term in TERMS:  # warm-up
            await client.get("/api/v1/leads", params={"search": term})

        async def worker() -> None:
            nonlocal errors
            for i in counter:
                started = time.perf_counter()
                response = await client.get(
                    "/api/v1/leads", params={"search": TERMS[i % len(TERMS)]}
                )
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "benchmark": "sandbox GET /api/v1/leads?search=",
        "requests": total,
        "concurrency": concurrency,
        "errors": errors,
        "requests_per_s": round(total / elapsed, 1),
        **summary_ms(latencies),
    }


def run(requests: int = 3000, concurrency: int = 16) -> dict[str, object]:
    port = free_port()
    with child_server(["sandbox", "--port", str(port)], port, "/") as base:
        return asyncio.run(_load(base, requests, concurrency))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    print(json.dumps(run(args.requests, args.concurrency), indent=2))


if __name__ == "__main__":
    main()
