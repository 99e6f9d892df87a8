"""The SSE reply's chunking: parts ready together go out as one chunk, none is held back.

Over real HTTP (uvicorn on a free port) with a scripted model: the bytes are those of one
part after another, parts that were ready at once share an `http.response.body` message,
a part is sent before the run waits again, and a client that goes away stops the run.
The stream's own tests below drive `sse_stream` directly for what HTTP cannot pin down:
closing or cancelling it mid-run, and a run that fails.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.agent.conftest import settings_for
from tests.support.servers import run_asgi_server

from coworker.agent.events import Event, TextDelta
from coworker.channels.web.stream import sse_stream
from coworker.llm import base
from coworker.llm.scripted import ScriptedModel
from coworker.server import create_app

S = ScriptedModel
SSE = {"Accept": "text/event-stream"}
WAIT_S = 10.0  # the longest a test waits for the server to do something


def frame(parts: list[Any]) -> bytes:
    """The SSE body of these parts, one after another: the wire format, written out here."""
    text = "".join(
        f"data: {part if isinstance(part, str) else json.dumps(part, ensure_ascii=False)}\n\n"
        for part in parts
    )
    return text.encode()


def parse(body: bytes) -> list[Any]:
    data = [line.removeprefix("data: ") for line in body.decode().split("\n\n") if line]
    return [d if d == "[DONE]" else json.loads(d) for d in data]


def kinds(parts: list[Any]) -> list[str]:
    return [p if p == "[DONE]" else p["type"] for p in parts]


class PausingModel(base.Model):
    """Streams `first`, then waits for `go_on()` (called by the test, from its thread)
    before the rest of the reply; later calls play `then`. `cancelled` is set when the wait
    is cancelled, as the run is when its client goes away."""

    name = "pausing"

    def __init__(self, first: str, rest: str, then: list[base.ModelTurn]) -> None:
        self.first, self.rest = first, rest
        self.resumed: bool | None = None  # was go_on() called before the wait timed out
        self.cancelled = threading.Event()
        self.later = ScriptedModel(then)
        self.calls = 0
        self._resume: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None

    def go_on(self) -> None:
        assert self._resume is not None, "the model has not started"
        loop, resume = self._resume
        loop.call_soon_threadsafe(resume.set)

    async def stream(self, request: base.ModelRequest) -> AsyncIterator[base.ModelEvent]:
        self.calls += 1
        if self.calls > 1:
            async for event in self.later.stream(request):
                yield event
            return
        resume = asyncio.Event()
        self._resume = (asyncio.get_running_loop(), resume)
        yield base.TextDelta(self.first)
        try:
            await asyncio.wait_for(resume.wait(), WAIT_S)
        except TimeoutError:
            pass
        except asyncio.CancelledError:
            self.cancelled.set()
            raise
        self.resumed = resume.is_set()
        yield base.TextDelta(self.rest)
        text = self.first + self.rest
        yield base.ModelTurn([{"type": "text", "text": text}], "end_turn", model=self.name)


class Served:
    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=30)
        self.bodies: dict[str, list[bytes]] = {}  # path: its last response's body messages


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    """Start the app for a model, behind a wrapper that records each body message sent."""
    started: list[Any] = []

    def start(model: base.Model) -> Served:
        app = create_app(settings_for(tmp_path), model=model)

        async def recording(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            bodies = served.bodies[scope["path"]] = []

            async def record(message: Any) -> None:
                if message["type"] == "http.response.body" and message.get("body"):
                    bodies.append(message["body"])
                await send(message)

            await app(scope, receive, record)

        context = run_asgi_server(recording)
        served = Served(context.__enter__())
        started.append(context)
        return served

    yield start
    for context in started:
        context.__exit__(None, None, None)


def test_the_streamed_bytes_are_the_parts_one_after_another(serve: Any) -> None:
    server = serve(S([S.tool_calls(("list_tags", {})), S.text("Six tags — all yours.")]))
    response = server.http.post("/api/chat", json={"message": "tags?"}, headers=SSE)
    got = parse(response.content)
    message_id = got[0]["messageId"]
    conversation = got[1]["data"]["conversation_id"]
    call = got[2]["toolCallId"]
    output = got[3]["output"]
    assert output["tags"], "the tool's output is the sandbox's tags"
    usage = dict.fromkeys(
        ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"),
        0,
    )
    expected = [
        {"type": "start", "messageId": message_id},
        {"type": "data-conversation", "data": {"conversation_id": conversation}},
        {"type": "tool-input-available", "toolCallId": call, "toolName": "list_tags", "input": {}},
        {"type": "tool-output-available", "toolCallId": call, "output": output},
        {"type": "text-start", "id": "text_1"},
        {"type": "text-delta", "id": "text_1", "delta": "Six tag"},
        {"type": "text-delta", "id": "text_1", "delta": "s — all"},
        {"type": "text-delta", "id": "text_1", "delta": " yours."},
        {"type": "text-end", "id": "text_1"},
        {
            "type": "finish",
            "messageMetadata": {
                "conversation_id": conversation,
                "stop_reason": "end_turn",
                "usage": usage,
                "replyId": "4",  # the 4th message: question, call, result, reply
            },
        },
        "[DONE]",
    ]
    assert response.content == frame(expected)
    assert b"".join(server.bodies["/api/chat"]) == response.content


def test_parts_ready_together_share_a_chunk(serve: Any) -> None:
    server = serve(S([S.text("You have six tags, all in use.")]))
    response = server.http.post("/api/chat", json={"message": "tags?"}, headers=SSE)
    chunks = server.bodies["/api/chat"]
    parts = parse(response.content)
    assert kinds(parts) == [
        "start",
        "data-conversation",
        "text-start",
        "text-delta",
        "text-delta",
        "text-delta",
        "text-end",
        "finish",
        "[DONE]",
    ]
    assert len(chunks) < len(parts), [parse(c) for c in chunks]
    # The run had its first text before the response began: the opening parts and that
    # delta were ready at once; the first words go out then, not after the deltas that
    # came with them. A chunk only ever holds whole parts.
    assert kinds(parse(chunks[0])) == ["start", "data-conversation", "text-start", "text-delta"]
    assert all(c.startswith(b"data: ") and c.endswith(b"\n\n") for c in chunks)
    assert chunks[-1].endswith(b"data: [DONE]\n\n")


def test_a_part_goes_out_before_the_run_waits_again(serve: Any) -> None:
    model = PausingModel("Hel", "lo there.", [])
    server = serve(model)
    seen = b""
    with server.http.stream("POST", "/api/chat", json={"message": "hi"}, headers=SSE) as reply:
        chunks = reply.iter_raw()
        while b'"delta": "Hel"' not in seen:
            seen += next(chunks)  # StopIteration here: the stream ended without it
        assert model.resumed is None, "the first delta only came once the model went on"
        model.go_on()
        seen += b"".join(chunks)
    assert model.resumed is True
    parts = parse(seen)
    assert "".join(p["delta"] for p in parts if p != "[DONE]" and p["type"] == "text-delta") == (
        "Hello there."
    )
    assert kinds(parts)[-2:] == ["finish", "[DONE]"]


def test_a_client_that_goes_away_stops_the_run(serve: Any) -> None:
    model = PausingModel("Hel", "lo there.", [S.text("Still here.")])
    server = serve(model)
    seen = b""
    with server.http.stream("POST", "/api/chat", json={"message": "hi"}, headers=SSE) as reply:
        chunks = reply.iter_raw()
        while b'"delta": "Hel"' not in seen:
            seen += next(chunks)
    # Closed before the end: the connection goes, and the run is cancelled where it waits.
    assert model.cancelled.wait(WAIT_S), "the run went on after its client went away"
    assert model.resumed is None
    conversation = parse(seen)[1]["data"]["conversation_id"]
    deadline = time.monotonic() + WAIT_S
    while 'outcome="interrupted"' not in server.http.get("/metrics").text:
        assert time.monotonic() < deadline, "the run was not counted as interrupted"
        time.sleep(0.01)
    # The conversation's lock was let go and its transcript saved: it goes on.
    again = server.http.post(
        "/api/chat", json={"message": "still there?", "conversation_id": conversation}
    )
    assert again.status_code == 200 and again.json()["reply"] == "Still here."


# The stream itself, in process.


class Run:
    """Events of a run that sends some text, then waits until it is cancelled; its cleanup
    awaits too (as the agent's does: the last writes, the conversation lock)."""

    def __init__(self) -> None:
        self.cancelled = False
        self.cleaned_up = False

    async def events(self) -> AsyncIterator[Event]:
        try:
            yield TextDelta("Hi")
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        finally:
            await asyncio.sleep(0.01)
            self.cleaned_up = True


def only_this_task() -> bool:
    return asyncio.all_tasks() == {asyncio.current_task()}


async def test_closing_the_stream_stops_the_run_and_waits_for_its_cleanup() -> None:
    run = Run()
    stream = sse_stream(run.events(), "c1")
    async with asyncio.timeout(WAIT_S):
        first = await anext(stream)
    assert kinds(parse(first)) == ["start", "data-conversation", "text-start", "text-delta"]
    # At once, while the producer has stepped aside to let those first words out: the
    # cancellation still reaches the run where it next waits.
    await stream.aclose()  # a response that stops reading its body
    assert run.cancelled and run.cleaned_up
    assert only_this_task(), asyncio.all_tasks()


async def test_cancelling_the_response_stops_the_run_and_waits_for_its_cleanup() -> None:
    run = Run()
    received: list[bytes] = []

    async def respond() -> None:
        async for chunk in sse_stream(run.events(), "c1"):
            received.append(chunk)

    response = asyncio.create_task(respond())
    deadline = time.monotonic() + WAIT_S
    while not received:
        assert time.monotonic() < deadline, "no chunk came"
        await asyncio.sleep(0.001)
    response.cancel()  # what Starlette does when the client disconnects
    with pytest.raises(asyncio.CancelledError):
        await response
    assert run.cancelled and run.cleaned_up
    assert only_this_task(), asyncio.all_tasks()


async def test_a_run_that_fails_still_ends_the_stream_in_order() -> None:
    async def failing() -> AsyncIterator[Event]:
        yield TextDelta("Hi")
        await asyncio.sleep(0)
        yield TextDelta(" there")
        raise RuntimeError("boom")

    body = b"".join([chunk async for chunk in sse_stream(failing(), None)])
    message_id = parse(body)[0]["messageId"]
    assert body == frame(
        [
            {"type": "start", "messageId": message_id},
            {"type": "text-start", "id": "text_1"},
            {"type": "text-delta", "id": "text_1", "delta": "Hi"},
            {"type": "text-delta", "id": "text_1", "delta": " there"},
            {"type": "text-end", "id": "text_1"},
            {"type": "error", "errorText": "internal error; the details are in the server log"},
            {"type": "finish"},
            "[DONE]",
        ]
    )
    assert only_this_task(), asyncio.all_tasks()
