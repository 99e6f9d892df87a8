"""Agent events as the Vercel AI SDK UI message stream (v1), or as one JSON answer.

The stream's parts are the SDK's own (`start`, `text-start`/`text-delta`/`text-end`,
`tool-input-available`, `tool-output-available`, `tool-output-error`,
`tool-approval-request`, `error`, `finish`, then `[DONE]`), so useChat and assistant-ui
clients render it. Two `data-*` parts carry what the SDK has no part for: the conversation
id (`data-conversation`) and an action's full card (`data-action`: the exact payload, its
status, and which fields a person may edit).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

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

STREAM_HEADERS = {
    "x-vercel-ai-ui-message-stream": "v1",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
}


def _sse(part: dict[str, Any] | str) -> bytes:
    data = part if isinstance(part, str) else json.dumps(part, ensure_ascii=False)
    return f"data: {data}\n\n".encode()


def _output(content: str) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return content


def _decided(action: ActionView) -> list[dict[str, Any]]:
    """A decision: the card's new state, and the tool call's end, as the SDK knows it."""
    parts: list[dict[str, Any]] = [
        {"type": "data-action", "id": action.id, "data": action.as_dict()}
    ]
    if action.status == "succeeded":
        parts.append(
            {
                "type": "tool-output-available",
                "toolCallId": action.tool_use_id,
                "output": action.result,
            }
        )
    elif action.status == "rejected":
        parts.append({"type": "tool-output-denied", "toolCallId": action.tool_use_id})
    else:
        reason = action.error or f"not executed ({action.status})"
        parts.append(
            {"type": "tool-output-error", "toolCallId": action.tool_use_id, "errorText": reason}
        )
    return parts


class StreamEncoder:
    """Turns one run's events into stream parts, opening and closing text blocks as needed."""

    def __init__(self, conversation_id: str | None) -> None:
        self.conversation_id = conversation_id
        self.text_id: str | None = None
        self.blocks = 0

    def start(self) -> list[dict[str, Any]]:
        parts: list[dict[str, Any]] = [{"type": "start", "messageId": f"msg_{uuid4().hex}"}]
        if self.conversation_id:
            parts.append(self._conversation(self.conversation_id))
        return parts

    def _conversation(self, conversation_id: str) -> dict[str, Any]:
        return {"type": "data-conversation", "data": {"conversation_id": conversation_id}}

    def _close_text(self) -> list[dict[str, Any]]:
        if self.text_id is None:
            return []
        part = {"type": "text-end", "id": self.text_id}
        self.text_id = None
        return [part]

    def encode(self, event: Event) -> list[dict[str, Any]]:
        if isinstance(event, TextDelta):
            parts: list[dict[str, Any]] = []
            if self.text_id is None:
                self.blocks += 1
                self.text_id = f"text_{self.blocks}"
                parts.append({"type": "text-start", "id": self.text_id})
            parts.append({"type": "text-delta", "id": self.text_id, "delta": event.text})
            return parts
        parts = self._close_text()
        if isinstance(event, ToolStarted):
            parts.append(
                {
                    "type": "tool-input-available",
                    "toolCallId": event.tool_use_id,
                    "toolName": event.name,
                    "input": event.input,
                }
            )
        elif isinstance(event, ToolFinished):
            if event.is_error:
                parts.append(
                    {
                        "type": "tool-output-error",
                        "toolCallId": event.tool_use_id,
                        "errorText": event.content,
                    }
                )
            else:
                parts.append(
                    {
                        "type": "tool-output-available",
                        "toolCallId": event.tool_use_id,
                        "output": _output(event.content),
                    }
                )
        elif isinstance(event, ConfirmationRequired):
            action = event.action
            parts += [
                {
                    "type": "tool-input-available",
                    "toolCallId": action.tool_use_id,
                    "toolName": action.tool,
                    "input": action.input,
                },
                {
                    "type": "tool-approval-request",
                    "approvalId": action.id,
                    "toolCallId": action.tool_use_id,
                },
                {"type": "data-action", "id": action.id, "data": action.as_dict()},
            ]
        elif isinstance(event, ActionDecided):
            parts += _decided(event.action)
        elif isinstance(event, ErrorEvent):
            parts.append({"type": "error", "errorText": event.message})
        elif isinstance(event, TurnDone):
            if self.conversation_id is None:
                parts.append(self._conversation(event.conversation_id))
            parts.append(
                {
                    "type": "finish",
                    "messageMetadata": {
                        "conversation_id": event.conversation_id,
                        "stop_reason": event.stop_reason,
                        "usage": event.usage.as_dict(),
                    },
                }
            )
        return parts


async def sse_stream(
    events: AsyncIterator[Event], conversation_id: str | None
) -> AsyncIterator[bytes]:
    """The whole SSE body of one run; an unexpected failure still ends the stream cleanly."""
    encoder = StreamEncoder(conversation_id)
    for part in encoder.start():
        yield _sse(part)
    try:
        async for event in events:
            for part in encoder.encode(event):
                yield _sse(part)
    except Exception as error:  # the response has started: say it in the stream
        from coworker.channels.web.errors import public_message

        for part in encoder._close_text():
            yield _sse(part)
        yield _sse({"type": "error", "errorText": public_message(error)})
        yield _sse({"type": "finish"})
    yield _sse("[DONE]")


async def collect(events: AsyncIterator[Event], conversation_id: str | None) -> dict[str, Any]:
    """One run as `{conversation_id, reply, actions, decided, errors}`, for clients without SSE."""
    summary = RunSummary(conversation_id)
    async for event in events:
        summary.add(event)
    return summary.as_dict()
