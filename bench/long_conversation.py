"""A turn, and a conversation's first page, at 10, 2,000 and 20,000 stored messages.

    PYTHONPATH=. .venv/bin/python -m bench.long_conversation [--sizes 10,2000,20000]
        [--turns 40] [--pages 40] [--postgres URL]

The model sees a window of about 60 messages however long the conversation is, so neither
a turn nor the first page the web chat shows should cost more at 20,000 messages than at
10. For each size a conversation is seeded straight into the store (exchanges of text, one
in four with a `search_leads` call and its result, as a CRM chat has), then:

- turn: `Coworker.chat` on the app's runtime, one short message, a model that answers at
  once (in process, no network); the time inside the model call is left out, as in
  `bench.agent_overhead`, so what remains is ours: load, lock, window, writes;
- first page: `GET /api/conversations/{id}` through the whole ASGI app (middleware,
  authentication as the local user, JSON), in process over `httpx.ASGITransport`.

The store is a SQLite file (the inline path production uses); with `--postgres URL` (or
COWORKER_TEST_DATABASE_URL set) the same runs on a fresh PostgreSQL database made on that
server and dropped afterwards. Each figure is a median after a few warm-up rounds; the
messages the model was sent and the page's size are reported beside them as a check.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bench.harness import loopback_only, summary_ms
from coworker.agent.events import TurnDone
from coworker.config import Settings
from coworker.llm.base import Message, Model, ModelEvent, ModelRequest, ModelTurn, Usage
from coworker.server import create_app

WARMUP = 5
QUESTION = "Anything new on the Acme deal?"
SEED_BATCH = 500


class InstantModel(Model):
    """Answers every request at once with a short text; keeps how long it took and what it
    was sent (the window), so the model's own time can be left out of a turn."""

    name = "instant"

    def __init__(self) -> None:
        self.seconds = 0.0
        self.last_messages = 0

    async def stream(self, request: ModelRequest) -> AsyncIterator[ModelEvent]:
        started = time.perf_counter()
        self.last_messages = len(request.messages)
        content = [{"type": "text", "text": "Acme moved to negotiation yesterday."}]
        turn = ModelTurn(content, "end_turn", Usage(input_tokens=900, output_tokens=12), self.name)
        self.seconds += time.perf_counter() - started
        yield turn


def _exchange(index: int) -> list[Message]:
    """One exchange of a plausible CRM chat: every fourth looks a lead up first."""
    question = {"type": "text", "text": f"Question {index}: what happened with lead {index}?"}
    answer = {"type": "text", "text": f"Lead {index} replied to your email. " * 4}
    if index % 4:
        return [
            {"role": "user", "content": [question]},
            {"role": "assistant", "content": [answer]},
        ]
    call_id = f"toolu_seed_{index}"
    found = {"leads": [{"id": f"lead_{index}", "name": f"Lead {index}", "status": "open"}] * 3}
    return [
        {"role": "user", "content": [question]},
        {
            "role": "assistant",
            "content": [
                {
                    "type": "tool_use",
                    "id": call_id,
                    "name": "search_leads",
                    "input": {"search": f"lead {index}"},
                }
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": call_id, "content": json.dumps(found)}
            ],
        },
        {"role": "assistant", "content": [answer]},
    ]


def seed_messages(count: int) -> list[Message]:
    """`count` messages (even), whole exchanges only, ending with the assistant's answer."""
    messages: list[Message] = []
    index = 0
    while len(messages) < count:
        exchange = _exchange(index)
        if len(messages) + len(exchange) > count:
            exchange = _exchange(1)  # a two-message one fills the rest
        messages.extend(exchange)
        index += 1
    return messages


@asynccontextmanager
async def _postgres_database(server_url: str) -> AsyncIterator[str]:
    """A fresh database on `server_url`'s server, dropped afterwards."""
    name = f"coworker_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()


async def _measure(
    database_url: str, data_dir: Path, sizes: list[int], turns: int, pages: int
) -> dict[str, Any]:
    """Seed one conversation per size, then take turns: one turn (then one page) of each
    size per index, the first size rotating, so drift in the machine's load lands on every
    size alike (as `bench.agent_overhead` interleaves its loops)."""
    model = InstantModel()
    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        sandbox_database_url="sqlite+aiosqlite://",
        scheduler_enabled=False,
    )
    app = create_app(settings, model=model)
    async with app.router.lifespan_context(app):
        runtime = app.state.runtime
        store, coworker = runtime.store, runtime.coworker
        user = await runtime.local_user()
        conversations: dict[int, str] = {}
        for size in sizes:
            cid = await coworker.start_conversation(user, channel="bench")
            seeded = seed_messages(size)
            for first in range(0, len(seeded), SEED_BATCH):
                await store.append_messages(cid, seeded[first : first + SEED_BATCH])
            conversations[size] = cid

        async def turn(size: int) -> float:
            model.seconds = 0.0
            started = time.perf_counter()
            cid = conversations[size]
            events = [e async for e in coworker.chat(user, QUESTION, conversation_id=cid)]
            elapsed = time.perf_counter() - started - model.seconds
            assert isinstance(events[-1], TurnDone), events[-1]
            saw[size] = model.last_messages
            return elapsed

        async def first_page(size: int) -> float:
            started = time.perf_counter()
            answer = await http.get(f"/api/conversations/{conversations[size]}")
            elapsed = time.perf_counter() - started
            answer.raise_for_status()
            bodies[size] = answer.content
            return elapsed

        saw: dict[int, int] = {}
        bodies: dict[int, bytes] = {}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            turn_samples = await _interleaved(turn, sizes, turns)
            page_samples = await _interleaved(first_page, sizes, pages)
    figures: dict[str, Any] = {}
    for size in sizes:
        shown = json.loads(bodies[size])
        figures[str(size)] = {
            "turn": summary_ms(turn_samples[size]),
            "first_page": summary_ms(page_samples[size]),
            "model_saw_messages": saw[size],
            "first_page_messages": len(shown["messages"]),
            "first_page_kb": round(len(bodies[size]) / 1024, 1),
        }
    return figures


async def _interleaved(
    measure: Callable[[int], Awaitable[float]], sizes: list[int], count: int
) -> dict[int, list[float]]:
    samples: dict[int, list[float]] = {size: [] for size in sizes}
    for index in range(WARMUP + count):
        first = index % len(sizes)
        for size in sizes[first:] + sizes[:first]:
            elapsed = await measure(size)
            if index >= WARMUP:
                samples[size].append(elapsed)
    return samples


def _ratios(figures: dict[str, Any], sizes: list[int]) -> dict[str, float]:
    """p50 at the largest size / p50 at the smallest: 1.0 means it does not grow."""
    small, large = figures[str(sizes[0])], figures[str(sizes[-1])]
    return {
        what: round(large[what]["p50_ms"] / small[what]["p50_ms"], 2)
        for what in ("turn", "first_page")
    }


async def run(sizes: list[int], turns: int, pages: int, postgres: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "benchmark": "turn and first page vs conversation length (instant model, in process)",
        "sizes": sizes,
        "turns": turns,
        "pages": pages,
        "warmup": WARMUP,
    }
    with tempfile.TemporaryDirectory() as data_dir:
        url = f"sqlite+aiosqlite:///{Path(data_dir) / 'store.db'}"
        sqlite = await _measure(url, Path(data_dir), sizes, turns, pages)
    result["sqlite"] = sqlite | {"growth": _ratios(sqlite, sizes)}
    if postgres:
        with tempfile.TemporaryDirectory() as data_dir:
            async with _postgres_database(postgres) as url:
                pg = await _measure(url, Path(data_dir), sizes, turns, pages)
        result["postgres"] = pg | {"growth": _ratios(pg, sizes)}
    else:
        result["postgres"] = "not run: pass --postgres URL or set COWORKER_TEST_DATABASE_URL"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,2000,20000", help="messages, comma-separated")
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("COWORKER_TEST_DATABASE_URL") or None,
        help="a PostgreSQL server URL where a database may be created (default: "
        "COWORKER_TEST_DATABASE_URL)",
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    with loopback_only():
        result = asyncio.run(run(sizes, args.turns, args.pages, args.postgres))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
