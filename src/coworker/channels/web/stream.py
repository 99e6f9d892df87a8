"""Agent events as the Vercel AI SDK UI message stream (v1), or as one JSON answer.

The stream's parts are the SDK's own (`start`, `text-start`/`text-delta`/`text-end`,
`tool-input-available`, `tool-output-available`, `tool-output-error`,
`tool-approval-request`, `error`, `finish`, then `[DONE]`), so useChat and assistant-ui
clients render it. Two `data-*` parts carry what the SDK has no part for: the conversation
id (`data-conversation`) and an action's full card (`data-action`: the exact payload, its
status, and which fields a person may edit).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import anyio

from coworker.agent.events import (
    ActionDecided,
    ActionView,
    ConfirmationRequired,
    ErrorEvent,
    Event,
    RunSummary,
    TextDelta,
    ToolFinished,
    ToolStarted,
    TurnDone,
)
from coworker.channels.web.parts import (
    ConversationData,
    DataActionPart,
    DataConversationPart,
    ErrorPart,
    FinishMetadata,
    FinishPart,
    Part,
    StartPart,
    TextDeltaPart,
    TextEndPart,
    TextStartPart,
    ToolApprovalRequestPart,
    ToolInputAvailablePart,
    ToolOutputAvailablePart,
    ToolOutputDeniedPart,
    ToolOutputErrorPart,
)
from coworker.guards.jsontext import storable

STREAM_HEADERS = {
    "x-vercel-ai-ui-message-stream": "v1",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
}


def _sse(part: Part | str) -> bytes:
    data = part if isinstance(part, str) else json.dumps(part, ensure_ascii=False)
    try:
        return f"data: {data}\n\n".encode()
    except UnicodeEncodeError:  # a lone surrogate from the model or the CRM: U+FFFD for it
        return f"data: {storable(data)}\n\n".encode()


def _output(content: str) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return content


def _tool_input(call: str, name: str, arguments: dict[str, Any]) -> ToolInputAvailablePart:
    return ToolInputAvailablePart(
        type="tool-input-available", toolCallId=call, toolName=name, input=arguments
    )


def _action(action: ActionView) -> DataActionPart:
    return DataActionPart(type="data-action", id=action.id, data=action.as_dict())


def _decided(action: ActionView) -> list[Part]:
    """A decision: the card's new state, and the tool call's end, as the SDK knows it."""
    parts: list[Part] = [_action(action)]
    call = action.tool_use_id
    if action.status == "succeeded":
        parts.append(
            ToolOutputAvailablePart(
                type="tool-output-available", toolCallId=call, output=action.result
            )
        )
    elif action.status == "rejected":
        parts.append(ToolOutputDeniedPart(type="tool-output-denied", toolCallId=call))
    else:
        reason = action.error or f"not executed ({action.status})"
        parts.append(
            ToolOutputErrorPart(type="tool-output-error", toolCallId=call, errorText=reason)
        )
    return parts


class StreamEncoder:
    """Turns one run's events into stream parts, opening and closing text blocks as needed."""

    def __init__(self, conversation_id: str | None, message_id: str | None = None) -> None:
        self.conversation_id = conversation_id
        self.message_id = message_id  # the client's message a continuation adds to
        self.text_id: str | None = None
        self.blocks = 0

    def start(self) -> list[Part]:
        message_id = self.message_id or f"msg_{uuid4().hex}"
        parts: list[Part] = [StartPart(type="start", messageId=message_id)]
        if self.conversation_id and not self.message_id:  # a continued message has it
            parts.append(self._conversation(self.conversation_id))
        return parts

    def _conversation(self, conversation_id: str) -> DataConversationPart:
        data = ConversationData(conversation_id=conversation_id)
        return DataConversationPart(type="data-conversation", data=data)

    def _close_text(self) -> list[Part]:
        if self.text_id is None:
            return []
        part = TextEndPart(type="text-end", id=self.text_id)
        self.text_id = None
        return [part]

    def encode(self, event: Event) -> list[Part]:
        if isinstance(event, TextDelta):
            parts: list[Part] = []
            if self.text_id is None:
                self.blocks += 1
                self.text_id = f"text_{self.blocks}"
                parts.append(TextStartPart(type="text-start", id=self.text_id))
            parts.append(TextDeltaPart(type="text-delta", id=self.text_id, delta=event.text))
            return parts
        parts = self._close_text()
        if isinstance(event, ToolStarted):
            parts.append(_tool_input(event.tool_use_id, event.name, event.input))
        elif isinstance(event, ToolFinished):
            call = event.tool_use_id
            if event.is_error:
                parts.append(
                    ToolOutputErrorPart(
                        type="tool-output-error", toolCallId=call, errorText=event.content
                    )
                )
            else:
                output = _output(event.content)
                parts.append(
                    ToolOutputAvailablePart(
                        type="tool-output-available", toolCallId=call, output=output
                    )
                )
        elif isinstance(event, ConfirmationRequired):
            action = event.action
            parts += [
                _tool_input(action.tool_use_id, action.tool, action.input),
                ToolApprovalRequestPart(
                    type="tool-approval-request",
                    approvalId=action.id,
                    toolCallId=action.tool_use_id,
                ),
                _action(action),
            ]
        elif isinstance(event, ActionDecided):
            parts += _decided(event.action)
        elif isinstance(event, ErrorEvent):
            parts.append(ErrorPart(type="error", errorText=event.message))
        elif isinstance(event, TurnDone):
            if self.conversation_id is None:
                parts.append(self._conversation(event.conversation_id))
            metadata = FinishMetadata(
                conversation_id=event.conversation_id,
                stop_reason=event.stop_reason,
                usage=event.usage.as_dict(),
                replyId=event.reply_id,
            )
            parts.append(FinishPart(type="finish", messageMetadata=metadata))
        return parts


_END = b""  # the producer's last item (no part encodes to nothing): the run is over


async def sse_stream(
    events: AsyncIterator[Event], conversation_id: str | None, message_id: str | None = None
) -> AsyncIterator[bytes]:
    """The whole SSE body of one run, each chunk every part that was ready at once.

    A chunk per part cost a `send` (and an ASGI message through every middleware) per
    part: about 21 a turn. So a task pulls the events and queues their encoded parts, and
    each chunk takes whatever is queued when the previous one has gone; the producer hands
    over as soon as it waits (for the model, a tool, the store), so no part is held back.
    The queue is unbounded: a turn's parts are few and small, so the run need not wait
    for a slow client's socket.
    """
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    encoder = StreamEncoder(conversation_id, message_id)
    producer = asyncio.create_task(_produce(events, encoder, queue))
    try:
        ended = False
        while not ended:
            ready = [await queue.get()]
            while not queue.empty():
                ready.append(queue.get_nowait())
            ended = ready[-1] == _END
            if chunk := b"".join(ready):
                yield chunk
    finally:
        await _stopped(producer)


async def _produce(
    events: AsyncIterator[Event], encoder: StreamEncoder, queue: asyncio.Queue[bytes]
) -> None:
    """Every part of the run, in order, then `_END`; an unexpected failure still ends the
    stream cleanly."""
    try:
        for part in encoder.start():
            queue.put_nowait(_sse(part))
        try:
            first_text = True
            async for event in events:
                for part in encoder.encode(event):
                    queue.put_nowait(_sse(part))
                if first_text and isinstance(event, TextDelta):
                    first_text = False
                    await _let_out()
        except Exception as error:  # the response has started: say it in the stream
            from coworker.channels.web.errors import public_message

            for part in encoder._close_text():
                queue.put_nowait(_sse(part))
            queue.put_nowait(_sse(ErrorPart(type="error", errorText=public_message(error))))
            queue.put_nowait(_sse(FinishPart(type="finish")))
        queue.put_nowait(_sse("[DONE]"))
    finally:
        queue.put_nowait(_END)


async def _let_out() -> None:
    """Let the response send what is queued: the reply's first words, which the person is
    waiting for, go out before the parts that arrived with them are encoded (a model's
    first read often holds many deltas).

    A cancellation here is handed on to the run's next await, where the run stops as it
    would anywhere else, rather than leaving the run suspended between events.
    """
    try:
        await asyncio.sleep(0)
    except asyncio.CancelledError:
        task = asyncio.current_task()
        assert task is not None
        task.uncancel()
        task.cancel()


async def _stopped(producer: asyncio.Task[None]) -> None:
    """End the producer before the response ends, and raise what it raised.

    When the client goes away the response is cancelled (or closed) mid-stream: the
    producer is cancelled, so the run stops at whatever it awaits, as when the response
    pulled the events itself, and its own cleanup (the last transcript writes, the
    conversation lock) is waited for; a cancellation of this wait is held until then.
    """
    producer.cancel()  # a no-op once it has finished
    cancelled = False
    while not producer.done():
        try:
            # Shielded from Starlette's cancel scope, which would otherwise cancel this
            # wait again on every pass of the loop (a busy spin for the whole cleanup).
            with anyio.CancelScope(shield=True):
                await asyncio.wait({producer})  # never cancels or raises the producer
        except asyncio.CancelledError:
            cancelled = True
    if cancelled:
        raise asyncio.CancelledError
    if not producer.cancelled():
        producer.result()  # a failure outside the run's own (a bug): not lost in the task


async def collect(events: AsyncIterator[Event], conversation_id: str | None) -> dict[str, Any]:
    """One run as `{conversation_id, reply, actions, decided, errors}`, for clients without SSE."""
    summary = RunSummary(conversation_id)
    async for event in events:
        summary.add(event)
    shown: dict[str, Any] = storable(summary.as_dict())  # no text that cannot be encoded
    return shown
