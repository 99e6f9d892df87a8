"""The floor for `bench.capacity`: the least a web endpoint can do for one chat turn.

POST /chat `{"message": ...}` makes one call on the `anthropic` SDK and streams its text
deltas back as SSE, in the same UI-message-stream parts `/api/chat` sends (`start`,
`text-start`, `text-delta`s, `text-end`, `finish`, `[DONE]`), one write per part.

It sends the model what ours sends for a first message (the same system prompt, the same
24-tool catalog, the same model name and max_tokens, the SDK's aiohttp transport) so the
SDK's own per-call cost, more than half of a turn's CPU, is the same on both sides and the
comparison is of the server around the call. It persists nothing: a "minimal" store would
be a design choice of its own (which database, which writes, inline or in a thread) and
would move the floor arbitrarily; keeping nothing makes the floor unambiguous, and what
ours stores (the conversation, so a turn survives a restart) is part of what the 0.8x goal
budgets for. The agent benchmark's raw SDK loop keeps nothing for the same reason.

Run: `python -m bench.minimal_server --port P --anthropic-url http://127.0.0.1:S`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import anthropic
import uvicorn
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from coworker.agent.context import system_prompt
from coworker.llm.anthropic import DEFAULT_MODEL
from coworker.tools.catalog import build_catalog


class Chat(BaseModel):
    message: str


def create_app(anthropic_url: str) -> FastAPI:
    client = anthropic.AsyncAnthropic(
        api_key="sk-ant-bench",
        base_url=anthropic_url,
        http_client=anthropic.DefaultAioHttpClient(),
    )
    tools: Any = build_catalog().definitions()
    system = system_prompt(user_name="Alex", timezone="UTC", now=datetime.now(UTC))
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/chat")
    async def chat(body: Chat) -> StreamingResponse:
        async def parts() -> AsyncIterator[bytes]:
            yield _sse({"type": "start"})
            yield _sse({"type": "text-start", "id": "t"})
            async with client.messages.stream(
                model=DEFAULT_MODEL,
                max_tokens=4096,
                system=system,
                tools=tools,
                messages=[{"role": "user", "content": body.message}],
            ) as stream:
                async for text in stream.text_stream:
                    yield _sse({"type": "text-delta", "id": "t", "delta": text})
            yield _sse({"type": "text-end", "id": "t"})
            yield _sse({"type": "finish"})
            yield b"data: [DONE]\n\n"

        return StreamingResponse(parts(), media_type="text/event-stream")

    return app


def _sse(part: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(part)}\n\n".encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--anthropic-url", required=True)
    args = parser.parse_args()
    app = create_app(args.anthropic_url)
    # As `coworker serve` runs: the stdlib event loop, uvicorn's default HTTP parser, no logs.
    uvicorn.run(
        app, host="127.0.0.1", port=args.port, loop="asyncio", log_config=None, access_log=False
    )


if __name__ == "__main__":
    main()
