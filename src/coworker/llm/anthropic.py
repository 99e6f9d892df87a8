"""Claude through the `anthropic` SDK: streaming, prompt caching, and the SDK's own retries.

Caching: every request marks three prefixes with `cache_control: ephemeral`: the tool list
(on its last tool), the system prompt (sent as one text block), and the conversation so far
(on the last block of the last message). The caller's request is copied, never changed.

Retries are the SDK's (`max_retries`): `anthropic/_base_client.py::_should_retry` (2.14) retries
408, 409, 429 and every status >= 500 (so 529 "overloaded" too), connection errors and
timeouts; an `x-should-retry: true|false` header overrides it. The wait is the server's
`retry-after-ms` / `retry-after` when given, else 0.5 s * 2^n (at most 8 s) with jitter.
Whatever still fails becomes a `ModelError` whose message never holds the API key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anthropic
import httpx2  # the SDK's HTTP stack; a connection cut mid-stream surfaces as its TransportError
from anthropic.types import CacheControlEphemeralParam, MessageParam

from coworker.errors import ModelError
from coworker.llm.base import (
    Block,
    Message,
    Model,
    ModelEvent,
    ModelRequest,
    ModelTurn,
    TextDelta,
    ToolDefinition,
    Usage,
)

# The newest Sonnet in the installed SDK's model literal (`anthropic/types/model.py`, 2.14.0:
# claude-sonnet-5-5, claude-sonnet-5, claude-sonnet-4-6, claude-sonnet-4-5, ...), and absent
# from `anthropic/_data/deprecated_models.py::DEPRECATED_MODELS`, which only lists
# claude-sonnet-4-5(-20250929), claude-opus-4-5(-20251101) and claude-mythos-preview; the SDK
# warns (DeprecationWarning) on every call with one of those. tests/llm checks both facts.
DEFAULT_MODEL = "claude-sonnet-5-5"

CACHE_CONTROL: CacheControlEphemeralParam = {"type": "ephemeral"}

_RETRYABLE_STATUSES = frozenset({408, 409, 429})

# A mid-stream `error` event arrives on a 200 response; its error type says what it was.
_STATUS_BY_ERROR_TYPE = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "conflict_error": 409,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}


class AnthropicModel(Model):
    """Claude (or any Anthropic-compatible endpoint) behind the `Model` seam."""

    def __init__(
        self,
        api_key: str,
        *,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        max_retries: int = 4,
        timeout: float = 120.0,
        max_tokens: int = 4096,
        http_client: httpx2.AsyncClient | None = None,
    ) -> None:
        """`http_client` carries a custom transport (evals record and replay through it).

        By default the SDK's own aiohttp transport (`anthropic.DefaultAioHttpClient`): the
        default httpx2 pool probes every idle connection on each request event
        (pydantic/httpx2#1169), and at 200 concurrent streams a call cost 7.8-8.6 ms of CPU
        on it against 4.4-4.6 ms on aiohttp (the event loop's CPU is what bounds throughput).
        """
        self.model = model
        self.name = f"claude:{model}"
        self.max_tokens = max_tokens
        self._api_key = api_key
        self._tools_seen: list[ToolDefinition] | None = None
        self._tools_marked: list[ToolDefinition] = []
        self._client = anthropic.AsyncAnthropic(
            api_key=api_key,
            base_url=base_url,
            max_retries=max_retries,
            timeout=timeout,
            http_client=http_client
            if http_client is not None
            else anthropic.DefaultAioHttpClient(),
        )

    async def stream(self, request: ModelRequest) -> AsyncIterator[ModelEvent]:
        params = self._params(request)
        # Once the stream's head has arrived, a lost connection is a cut reply, not an
        # unreachable API. SDK releases differ in how they surface it (httpx2's TransportError
        # or their own APIConnectionError), so this flag, not the exception type, tells them apart.
        opened = False
        try:
            async with self._client.messages.stream(**params) as stream:
                opened = True
                async for event in stream:
                    if event.type == "text" and event.text:
                        yield TextDelta(event.text)
                message = await stream.get_final_message()
        except anthropic.APIStatusError as err:
            raise self._status_error(err) from err
        except anthropic.APITimeoutError as err:
            raise ModelError("the Claude API did not answer in time", retryable=True) from err
        except (anthropic.APIConnectionError, httpx2.TransportError) as err:
            if not opened:
                raise ModelError("could not reach the Claude API", retryable=True) from err
            cause = err.__cause__ if isinstance(err, anthropic.APIConnectionError) else err
            raise ModelError(
                f"the Claude API stream broke off ({type(cause or err).__name__})",
                retryable=True,
            ) from err
        except (anthropic.AnthropicError, ValueError) as err:
            # Unreadable replies: schema validation, or tool input that is not JSON. The text
            # is model output (personal data), so only the kind of failure is kept.
            raise ModelError(
                f"could not read the Claude API's reply ({type(err).__name__})", retryable=True
            ) from err

        if message.stop_reason is None:
            raise ModelError("the Claude API stream ended without a stop reason", retryable=True)
        yield ModelTurn(
            content=[_block(block) for block in message.content if not _is_empty_text(block)],
            stop_reason=str(message.stop_reason),
            usage=Usage(
                input_tokens=message.usage.input_tokens,
                output_tokens=message.usage.output_tokens,
                cache_read_input_tokens=message.usage.cache_read_input_tokens or 0,
                cache_creation_input_tokens=message.usage.cache_creation_input_tokens or 0,
            ),
            model=message.model,
        )

    def _tools_for(self, tools: list[ToolDefinition]) -> list[ToolDefinition]:
        """The catalog rarely changes between calls: mark it for caching once per list."""
        if tools is not self._tools_seen:
            self._tools_seen, self._tools_marked = tools, cached_tools(tools)
        return self._tools_marked

    async def aclose(self) -> None:
        await self._client.close()

    def _params(self, request: ModelRequest) -> dict[str, Any]:
        params: dict[str, Any] = {
            "model": self.model,
            # The constructor's max_tokens caps what any one request may ask for.
            "max_tokens": min(request.max_tokens, self.max_tokens),
            "messages": [sdk_message(m) for m in cached_messages(request.messages)],
        }
        if request.system:
            params["system"] = [
                {"type": "text", "text": request.system, "cache_control": CACHE_CONTROL}
            ]
        if request.tools:
            params["tools"] = self._tools_for(request.tools)
        return params

    def _status_error(self, err: anthropic.APIStatusError) -> ModelError:
        status: int | None = err.status_code
        if status is not None and status < 400:  # an `error` event inside a 200 stream
            status = _STATUS_BY_ERROR_TYPE.get(str(err.type), None)
        retryable = status is None or status in _RETRYABLE_STATUSES or status >= 500
        detail = f"Claude API error {status}" if status is not None else "Claude API error"
        if err.type:
            detail += f" ({err.type})"
        if err.api_message:
            detail += f": {err.api_message}"
        return ModelError(self._redact(detail), status=status, retryable=retryable)

    def _redact(self, text: str) -> str:
        return text.replace(self._api_key, "[redacted]") if self._api_key else text


def cached_tools(tools: list[ToolDefinition]) -> list[ToolDefinition]:
    """`tools` with the cache breakpoint on the last one; the caller's dicts stay untouched.

    Only the tools that change are copied: this runs on every model call, and deep copies
    of the whole catalog were a measurable part of a turn.
    """
    copied = [
        {k: v for k, v in tool.items() if k != "cache_control"} if "cache_control" in tool else tool
        for tool in tools
    ]
    if copied:
        copied[-1] = {**copied[-1], "cache_control": CACHE_CONTROL.copy()}
    return copied


def _without_markers(message: Message) -> Message:
    content = message.get("content")
    if isinstance(content, str):
        return {**message, "content": [{"type": "text", "text": content}]}
    blocks_in = content or []
    if not any("cache_control" in block for block in blocks_in):
        return message
    return {**message, "content": [_unmarked(block) for block in blocks_in]}


def _unmarked(block: Block) -> Block:
    copied = block.copy()
    copied.pop("cache_control", None)
    return copied


def sdk_message(message: Message) -> MessageParam:
    """`message` as the SDK types it: one TypedDict per role, with wider content."""
    if message["role"] == "user":
        return {"role": "user", "content": message["content"]}
    return {"role": "assistant", "content": message["content"]}


def cached_messages(messages: list[Message]) -> list[Message]:
    """`messages` with one cache breakpoint: the last block of the last message.

    Markers already present are dropped, so a request never exceeds the API's four
    breakpoints (tools + system + this one make three). Unchanged messages are shared, not
    copied; nothing the caller holds is modified.
    """
    copied = [_without_markers(message) for message in messages]
    if copied and copied[-1]["content"]:
        last = copied[-1]
        blocks = list(last["content"])
        marked = blocks[-1].copy()
        marked["cache_control"] = CACHE_CONTROL.copy()
        blocks[-1] = marked
        copied[-1] = {**last, "content": blocks}
    return copied


def _is_empty_text(block: Any) -> bool:
    # The API answers a later request holding an empty text block with a 400.
    return getattr(block, "type", None) == "text" and not block.text


def _block(block: Any) -> Block:
    if block.type == "text":
        return {"type": "text", "text": block.text}
    if block.type == "tool_use":
        return {"type": "tool_use", "id": block.id, "name": block.name, "input": dict(block.input)}
    dumped: Block = block.model_dump(mode="json", exclude_none=True)
    return dumped
