"""AnthropicModel through the real SDK, over real HTTP, against the local Messages API stub."""

from __future__ import annotations

import copy
import socket
import typing
from collections.abc import AsyncIterator

import anthropic
import pytest
from anthropic._data import DEPRECATED_MODELS  # the table the SDK warns from on every call

from coworker.errors import ModelError
from coworker.llm.anthropic import DEFAULT_MODEL, AnthropicModel
from coworker.llm.base import STOP_REASONS, ModelEvent, ModelRequest, ModelTurn, TextDelta, Usage
from tests.support.anthropic_stub import AnthropicStub, StubReply

API_KEY = "sk-ant-test-not-real"
EPHEMERAL = {"type": "ephemeral"}

TOOLS = [
    {
        "name": "search_leads",
        "description": "Find leads.",
        "input_schema": {"type": "object", "properties": {"search": {"type": "string"}}},
    },
    {
        "name": "create_task",
        "description": "Create a task.",
        "input_schema": {"type": "object", "properties": {"title": {"type": "string"}}},
    },
]


def conversation() -> ModelRequest:
    return ModelRequest(
        system="You are a sales coworker.",
        tools=copy.deepcopy(TOOLS),
        messages=[
            {"role": "user", "content": [{"type": "text", "text": "Find Acme"}]},
            {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": "Looking."},
                    {
                        "type": "tool_use",
                        "id": "toolu_1",
                        "name": "search_leads",
                        "input": {"search": "Acme"},
                    },
                ],
            },
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "toolu_1",
                        "content": "1 lead",
                        "is_error": False,
                    }
                ],
            },
        ],
    )


def hello() -> ModelRequest:
    return ModelRequest(
        system="Be brief.", messages=[{"role": "user", "content": [{"type": "text", "text": "hi"}]}]
    )


@pytest.fixture
async def stub() -> AsyncIterator[AnthropicStub]:
    server = AnthropicStub(echo=False)
    async with server.serve():
        yield server


@pytest.fixture
async def model(stub: AnthropicStub) -> AsyncIterator[AnthropicModel]:
    claude = AnthropicModel(API_KEY, base_url=stub.base_url, max_retries=2, timeout=10)
    yield claude
    await claude.aclose()


async def collect(model: AnthropicModel, request: ModelRequest) -> list[ModelEvent]:
    return [event async for event in model.stream(request)]


async def test_text_streams_in_order_then_one_turn_holds_it_all(
    stub: AnthropicStub, model: AnthropicModel
) -> None:
    stub.plan(StubReply.text("Acme has three open deals this week."))

    events = await collect(model, hello())

    deltas = [e.text for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 3
    assert "".join(deltas) == "Acme has three open deals this week."
    assert all(isinstance(e, TextDelta) for e in events[:-1])
    turn = events[-1]
    assert isinstance(turn, ModelTurn)
    assert turn.content == [{"type": "text", "text": "Acme has three open deals this week."}]
    assert turn.stop_reason == "end_turn"
    assert turn.model == DEFAULT_MODEL
    assert stub.requests[0].body["stream"] is True


async def test_tool_use_reply_gives_parsed_input(
    stub: AnthropicStub, model: AnthropicModel
) -> None:
    tool_input = {"search": "Acme Corp", "status": "open", "limit": 5, "tags": ["hot", "q3"]}
    stub.plan(
        StubReply.tool_use("search_leads", tool_input, text="Let me look.", tool_use_id="toolu_abc")
    )

    turn = await model.complete(conversation())

    assert turn.stop_reason == "tool_use"
    assert turn.content == [
        {"type": "text", "text": "Let me look."},
        {"type": "tool_use", "id": "toolu_abc", "name": "search_leads", "input": tool_input},
    ]


async def test_cache_breakpoints_on_tools_system_and_history_and_the_key_is_sent(
    stub: AnthropicStub, model: AnthropicModel
) -> None:
    stub.plan(StubReply.text("ok"))

    await model.complete(conversation())

    sent = stub.requests[0]
    # anthropic 2.14 sends the key as a Bearer token (`_client.py::_api_key_auth`), not x-api-key.
    assert sent.headers["authorization"] == f"Bearer {API_KEY}"
    body = sent.body
    assert body["model"] == DEFAULT_MODEL
    assert "cache_control" not in body["tools"][0]
    assert body["tools"][-1]["cache_control"] == EPHEMERAL
    assert body["system"] == [
        {"type": "text", "text": "You are a sales coworker.", "cache_control": EPHEMERAL}
    ]
    assert body["messages"][-1]["content"][-1]["cache_control"] == EPHEMERAL
    marked = [
        block
        for message in body["messages"]
        for block in message["content"]
        if "cache_control" in block
    ]
    assert len(marked) == 1


async def test_the_callers_request_is_not_mutated(
    stub: AnthropicStub, model: AnthropicModel
) -> None:
    stub.plan(StubReply.text("ok"))
    request = conversation()
    before = copy.deepcopy(request)

    await model.complete(request)

    assert request == before


async def test_usage_maps_cache_fields(stub: AnthropicStub, model: AnthropicModel) -> None:
    stub.plan(
        StubReply.text(
            "ok",
            usage={
                "input_tokens": 42,
                "output_tokens": 17,
                "cache_read_input_tokens": 1800,
                "cache_creation_input_tokens": 256,
            },
        )
    )

    turn = await model.complete(hello())

    assert turn.usage == Usage(
        input_tokens=42,
        output_tokens=17,
        cache_read_input_tokens=1800,
        cache_creation_input_tokens=256,
    )


@pytest.mark.parametrize("stop_reason", STOP_REASONS)
async def test_every_stop_reason_passes_through(
    stub: AnthropicStub, model: AnthropicModel, stop_reason: str
) -> None:
    stub.plan(StubReply.text("partial", stop_reason=stop_reason))

    turn = await model.complete(hello())

    assert turn.stop_reason == stop_reason


async def test_overloaded_then_success_is_retried_by_the_sdk(
    stub: AnthropicStub, model: AnthropicModel
) -> None:
    stub.plan(StubReply.overloaded(), StubReply.text("Back again."))

    turn = await model.complete(hello())

    assert turn.content == [{"type": "text", "text": "Back again."}]
    assert len(stub.requests) == 2
    assert [r.headers["x-stainless-retry-count"] for r in stub.requests] == ["0", "1"]


async def test_persistent_server_errors_become_a_retryable_model_error(
    stub: AnthropicStub, model: AnthropicModel
) -> None:
    stub.plan(*(StubReply.server_error() for _ in range(3)))

    with pytest.raises(ModelError) as caught:
        await model.complete(hello())

    assert len(stub.requests) == 3  # the first try + max_retries=2
    assert caught.value.status == 500
    assert caught.value.retryable is True
    assert "api_error" in caught.value.message


async def test_an_error_event_mid_stream_becomes_a_model_error_with_its_status(
    stub: AnthropicStub, model: AnthropicModel
) -> None:
    stub.plan(
        StubReply.text(
            "Half a reply",
            fail_mid_stream=True,
            error_type="overloaded_error",
            error_message="Overloaded",
        )
    )

    with pytest.raises(ModelError) as caught:
        await collect(model, hello())

    assert len(stub.requests) == 1  # a stream that has begun is not retried by the SDK
    assert caught.value.status == 529
    assert caught.value.retryable is True
    assert "overloaded_error" in caught.value.message


async def test_a_bad_request_is_not_retried(stub: AnthropicStub, model: AnthropicModel) -> None:
    stub.plan(
        StubReply.error(
            400, "invalid_request_error", "messages: text content blocks must be non-empty"
        )
    )

    with pytest.raises(ModelError) as caught:
        await model.complete(hello())

    assert len(stub.requests) == 1
    assert caught.value.status == 400
    assert caught.value.retryable is False
    assert "text content blocks must be non-empty" in caught.value.message


async def test_the_api_key_never_reaches_the_error(
    stub: AnthropicStub, model: AnthropicModel
) -> None:
    stub.plan(StubReply.error(401, "authentication_error", f"invalid x-api-key: {API_KEY}"))

    with pytest.raises(ModelError) as caught:
        await model.complete(hello())

    assert caught.value.status == 401
    assert caught.value.retryable is False
    assert API_KEY not in str(caught.value)
    assert "[redacted]" in caught.value.message


async def test_a_timeout_becomes_a_retryable_model_error(stub: AnthropicStub) -> None:
    stub.plan(StubReply.text("too late", delay_s=0.5))
    model = AnthropicModel(API_KEY, base_url=stub.base_url, max_retries=0, timeout=0.1)

    with pytest.raises(ModelError) as caught:
        await model.complete(hello())
    await model.aclose()

    assert caught.value.retryable is True
    assert caught.value.status is None


async def test_an_unreachable_endpoint_becomes_a_retryable_model_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the model connects
    model = AnthropicModel(API_KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0)

    with pytest.raises(ModelError) as caught:
        await model.complete(hello())
    await model.aclose()

    assert caught.value.retryable is True
    assert "could not reach" in caught.value.message


async def test_max_tokens_is_capped_by_the_model_setting(stub: AnthropicStub) -> None:
    model = AnthropicModel(API_KEY, base_url=stub.base_url, max_tokens=1024)
    stub.plan(StubReply.text("a"), StubReply.text("b"))
    request = hello()

    await model.complete(
        ModelRequest(system=request.system, messages=request.messages, max_tokens=8000)
    )
    await model.complete(
        ModelRequest(system=request.system, messages=request.messages, max_tokens=300)
    )
    await model.aclose()

    assert [r.body["max_tokens"] for r in stub.requests] == [1024, 300]


def test_name_and_default_model_is_current() -> None:
    model = AnthropicModel(API_KEY, model="claude-sonnet-4-6")
    assert model.name == "claude:claude-sonnet-4-6"
    known = typing.get_args(typing.get_args(anthropic.types.Model)[0])
    assert DEFAULT_MODEL in known
    assert DEFAULT_MODEL not in DEPRECATED_MODELS
    assert "sonnet" in DEFAULT_MODEL


async def test_the_stub_answers_plain_json_and_echoes_when_nothing_is_planned() -> None:
    stub = AnthropicStub()
    stub.plan(StubReply.tool_use("create_task", {"title": "Call Acme"}))
    async with stub.serve() as base_url:
        client = anthropic.AsyncAnthropic(api_key=API_KEY, base_url=base_url, max_retries=0)
        planned = await client.messages.create(
            model=DEFAULT_MODEL, max_tokens=10, messages=[{"role": "user", "content": "x"}]
        )
        echoed = await client.messages.create(
            model=DEFAULT_MODEL, max_tokens=10, messages=[{"role": "user", "content": "x"}]
        )
        await client.close()

    assert planned.stop_reason == "tool_use"
    block = planned.content[0]
    assert block.type == "tool_use"
    assert block.input == {"title": "Call Acme"}
    assert echoed.stop_reason == "end_turn"
    assert echoed.content[0].type == "text"
    assert echoed.content[0].text == "stub reply"


async def test_a_connection_cut_mid_stream_becomes_a_retryable_model_error() -> None:
    """A server that sends the stream's head and first event, then drops the connection."""
    import asyncio

    async def half_a_stream(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        first = (
            b'event: message_start\ndata: {"type": "message_start", "message": {"id": "m", '
            b'"type": "message", "role": "assistant", "model": "x", "content": [], '
            b'"stop_reason": null, "stop_sequence": null, '
            b'"usage": {"input_tokens": 1, "output_tokens": 1}}}\n\n'
        )
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            b"transfer-encoding: chunked\r\n\r\n" + f"{len(first):x}\r\n".encode() + first + b"\r\n"
        )
        await writer.drain()
        writer.transport.abort()  # no closing chunk: the body is cut, not ended

    server = await asyncio.start_server(half_a_stream, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    model = AnthropicModel(API_KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0)
    try:
        with pytest.raises(ModelError) as caught:
            await collect(model, hello())
    finally:
        await model.aclose()
        server.close()
        await server.wait_closed()

    assert caught.value.retryable is True
    assert "broke off" in caught.value.message
