"""A local, scripted stand-in for the Anthropic Messages API (`POST /v1/messages`).

It speaks the wire format the real SDK reads: a JSON `message`, or with `"stream": true`
server-sent events in the real order (`message_start`, then per block `content_block_start`,
`content_block_delta`s of `text_delta` / `input_json_delta`, `content_block_stop`, with a
`ping` after the first start; then `message_delta` with the stop reason and usage, and
`message_stop`). Errors come back as `{"type": "error", "error": {"type", "message"}}` with
their HTTP status, like the real API.

Replies are planned in order; with none planned the stub answers `fallback` (by default the
text "stub reply", `end_turn`), which suits benchmarks. Every request is recorded with its
body and headers; the headers are left out of reprs, so an assertion failure never prints
a key.

    stub = AnthropicStub()
    stub.plan(StubReply.overloaded(), StubReply.text("Hello there"))
    with stub.run() as base_url:      # or `async with stub.serve() as base_url`
        model = AnthropicModel("sk-ant-test-not-real", base_url=base_url)

Importable without pytest (bench/ uses it).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from tests.support.servers import run_asgi_server, serve_asgi

Block = dict[str, Any]

DEFAULT_USAGE = {
    "input_tokens": 10,
    "output_tokens": 5,
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 0,
}


@dataclass
class StubReply:
    """One planned answer: content blocks and a stop reason, or an error status."""

    content: list[Block] = field(default_factory=list)
    # None: "tool_use" if a tool_use block is present, else "end_turn"
    stop_reason: str | None = None
    usage: dict[str, int] = field(default_factory=dict)  # merged over DEFAULT_USAGE
    status: int = 200
    error_type: str = "api_error"
    error_message: str = "Internal server error"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # before the first byte
    chunk_delay_s: float = 0.0  # between streamed deltas
    # Benchmarks: the first text delta starts with "@<unix time>@ ", the moment it was sent,
    # so a client on the same machine can time first token -> first byte it receives.
    stamp_first_token: bool = False
    # Streamed replies only: send the error (error_type, error_message) as an `error` event
    # after the first delta, on the 200 stream, as the real API does when it fails mid-reply.
    fail_mid_stream: bool = False
    model: str | None = None  # None: echo the request's model

    @classmethod
    def text(cls, text: str, **options: Any) -> StubReply:
        return cls(content=[{"type": "text", "text": text}], **options)

    @classmethod
    def tool_use(
        cls,
        name: str,
        tool_input: dict[str, Any],
        *,
        text: str | None = None,
        tool_use_id: str | None = None,
        **options: Any,
    ) -> StubReply:
        content: list[Block] = [{"type": "text", "text": text}] if text else []
        block: Block = {"type": "tool_use", "name": name, "input": tool_input}
        if tool_use_id:
            block["id"] = tool_use_id
        content.append(block)
        return cls(content=content, **options)

    @classmethod
    def error(
        cls,
        status: int,
        error_type: str,
        message: str,
        *,
        retry_after_ms: float | None = 1,
        **options: Any,
    ) -> StubReply:
        """An error answer. `retry-after-ms` (1 ms unless told) is the header the SDK's retry
        loop obeys before its own backoff, so retried errors cost no test time; None leaves it
        out and the SDK backs off as it would with the real API."""
        headers = dict(options.pop("headers", {}))
        if retry_after_ms is not None:
            headers.setdefault("retry-after-ms", str(retry_after_ms))
        return cls(
            status=status, error_type=error_type, error_message=message, headers=headers, **options
        )

    @classmethod
    def overloaded(cls, **options: Any) -> StubReply:
        return cls.error(529, "overloaded_error", "Overloaded", **options)

    @classmethod
    def server_error(cls, **options: Any) -> StubReply:
        return cls.error(500, "api_error", "Internal server error", **options)


@dataclass
class RecordedRequest:
    body: dict[str, Any]
    headers: dict[str, str] = field(repr=False)  # holds the API key: never print it


class AnthropicStub:
    def __init__(
        self,
        *,
        fallback: StubReply | None = None,
        echo: bool = True,
        responder: Callable[[dict[str, Any]], StubReply] | None = None,
        record: bool = True,
    ) -> None:
        """`fallback` answers when nothing is planned (the text "stub reply" unless given);
        `echo=False` makes an unplanned request a 500 instead, for tests that must be exact.
        `responder` picks the reply from the request itself (stateless, for benchmarks), and
        `record=False` keeps no requests, so long runs do not grow."""
        self.responder = responder
        self.record = record
        if fallback is None and echo:
            fallback = StubReply.text("stub reply")
        self.fallback = fallback
        self.requests: list[RecordedRequest] = []
        self.base_url: str | None = None
        self._planned: deque[StubReply] = deque()
        self._ids = itertools.count(1)
        self.app = FastAPI(
            title="Anthropic API stub", openapi_url=None, docs_url=None, redoc_url=None
        )
        self.app.add_api_route("/v1/messages", self._messages, methods=["POST"])

    def plan(self, *replies: StubReply) -> None:
        self._planned.extend(replies)

    @property
    def pending(self) -> int:
        return len(self._planned)

    @contextmanager
    def run(self) -> Iterator[str]:
        """Serve on a free loopback port (in a thread); yields the base URL for the SDK."""
        with run_asgi_server(self.app) as base_url:
            self.base_url = base_url
            try:
                yield base_url
            finally:
                self.base_url = None

    @asynccontextmanager
    async def serve(self) -> AsyncIterator[str]:
        """`run()` for async code: starting and stopping do not block the event loop."""
        async with serve_asgi(self.app) as base_url:
            self.base_url = base_url
            try:
                yield base_url
            finally:
                self.base_url = None

    async def _messages(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            return _error(400, "invalid_request_error", "The request body is not valid JSON")
        if self.record:
            self.requests.append(RecordedRequest(body=body, headers=dict(request.headers)))

        if not request.headers.get("x-api-key") and not request.headers.get("authorization"):
            # anthropic 2.14 sends `Authorization: Bearer <key>`; older clients send x-api-key.
            return _error(401, "authentication_error", "an API key is required")
        if not isinstance(body, dict) or not all(
            k in body for k in ("model", "max_tokens", "messages")
        ):
            return _error(
                400, "invalid_request_error", "model, max_tokens and messages are required"
            )

        if self._planned:
            reply: StubReply | None = self._planned.popleft()
        elif self.responder is not None:
            reply = self.responder(body)
        else:
            reply = self.fallback
        if reply is None:
            return _error(
                500, "api_error", "AnthropicStub: no reply planned", {"x-should-retry": "false"}
            )
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        headers = {"request-id": f"req_stub_{next(self._ids)}", **reply.headers}
        if reply.status >= 400:
            return _error(reply.status, reply.error_type, reply.error_message, headers)

        message = self._message(reply, body)
        if body.get("stream"):
            return StreamingResponse(
                _events(message, reply),
                media_type="text/event-stream",
                headers=headers,
            )
        return JSONResponse(message, status_code=reply.status, headers=headers)

    def _message(self, reply: StubReply, body: dict[str, Any]) -> dict[str, Any]:
        content: list[Block] = []
        for block in reply.content:
            block = dict(block)
            if block["type"] == "tool_use":
                block.setdefault("id", f"toolu_stub_{next(self._ids)}")
            content.append(block)
        stop_reason = reply.stop_reason or (
            "tool_use" if any(b["type"] == "tool_use" for b in content) else "end_turn"
        )
        return {
            "id": f"msg_stub_{next(self._ids)}",
            "type": "message",
            "role": "assistant",
            "model": reply.model or body["model"],
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {**DEFAULT_USAGE, **reply.usage},
        }


def _error(
    status: int, error_type: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"type": "error", "error": {"type": error_type, "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


def _sse(event: dict[str, Any]) -> bytes:
    return f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode()


def _text_pieces(text: str) -> list[str]:
    # Words with their trailing space: the pieces join back to exactly `text`.
    return re.findall(r"\S+\s*|\s+", text)


def _json_pieces(value: dict[str, Any], parts: int = 4) -> list[str]:
    encoded = json.dumps(value)
    size = max(1, -(-len(encoded) // parts))
    # The real API opens every tool input with an empty partial_json.
    return ["", *(encoded[i : i + size] for i in range(0, len(encoded), size))]


async def _events(message: dict[str, Any], reply: StubReply) -> AsyncIterator[bytes]:
    usage = message["usage"]
    start = {**message, "content": [], "stop_reason": None, "usage": {**usage, "output_tokens": 1}}
    yield _sse({"type": "message_start", "message": start})
    for index, block in enumerate(message["content"]):
        if block["type"] == "text":
            opening: Block = {"type": "text", "text": ""}
            deltas = [{"type": "text_delta", "text": p} for p in _text_pieces(block["text"])]
        elif block["type"] == "tool_use":
            opening = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
            deltas = [
                {"type": "input_json_delta", "partial_json": p}
                for p in _json_pieces(block["input"])
            ]
        else:
            raise ValueError(f"AnthropicStub cannot stream a {block['type']!r} block")
        yield _sse({"type": "content_block_start", "index": index, "content_block": opening})
        if index == 0:
            yield _sse({"type": "ping"})
        for number, delta in enumerate(deltas):
            if reply.chunk_delay_s:
                await asyncio.sleep(reply.chunk_delay_s)
            if reply.stamp_first_token and index == 0 and number == 0 and "text" in delta:
                delta = {**delta, "text": f"@{time.time():.6f}@ {delta['text']}"}
            yield _sse({"type": "content_block_delta", "index": index, "delta": delta})
            if reply.fail_mid_stream:
                error = {"type": reply.error_type, "message": reply.error_message}
                yield _sse({"type": "error", "error": error})
                return
        yield _sse({"type": "content_block_stop", "index": index})
    yield _sse(
        {
            "type": "message_delta",
            "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
            "usage": usage,
        }
    )
    yield _sse({"type": "message_stop"})


def tool_then_text(body: dict[str, Any]) -> StubReply:
    """One tool turn (search_leads), then a final text turn once the result is back."""
    last = body["messages"][-1]["content"]
    if isinstance(last, list) and any(b.get("type") == "tool_result" for b in last):
        return StubReply.text("There are 4 new leads at Acme Corp; Jane Smith is the newest.")
    return StubReply.tool_use("search_leads", {"search": "acme", "status": "new"})


def main() -> None:
    """Serve the stub alone, for benchmarks: `python -m tests.support.anthropic_stub --port P`."""
    import argparse

    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each reply")
    parser.add_argument("--chunk-delay", type=float, default=0.0, help="seconds between deltas")
    parser.add_argument("--mode", choices=["tool", "text"], default="tool")
    parser.add_argument("--stamp", action="store_true", help="stamp the first token's time")
    args = parser.parse_args()

    def respond(body: dict[str, Any]) -> StubReply:
        if args.mode == "tool":
            reply = tool_then_text(body)
        else:
            reply = StubReply.text("Here is what I found in the CRM for you today.")
        reply.delay_s, reply.chunk_delay_s = args.delay, args.chunk_delay
        reply.stamp_first_token = args.stamp
        return reply

    stub = AnthropicStub(responder=respond, record=False)
    uvicorn.run(stub.app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
