"""The parts of the UI message stream (Vercel AI SDK v1) this server sends, one TypedDict each.

The names and keys are the SDK's (camelCase on the wire), so useChat and assistant-ui
clients read them; two `data-*` parts carry what the SDK has no part for. Typed here so the
encoder (`stream.py`) cannot send a part a client would not know.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict


class StartPart(TypedDict):
    type: Literal["start"]
    messageId: str


class ConversationData(TypedDict):
    conversation_id: str


class DataConversationPart(TypedDict):
    """Which conversation the run belongs to (the widget keeps it for the next message)."""

    type: Literal["data-conversation"]
    data: ConversationData


class TextStartPart(TypedDict):
    type: Literal["text-start"]
    id: str


class TextDeltaPart(TypedDict):
    type: Literal["text-delta"]
    id: str
    delta: str


class TextEndPart(TypedDict):
    type: Literal["text-end"]
    id: str


class ToolInputAvailablePart(TypedDict):
    type: Literal["tool-input-available"]
    toolCallId: str
    toolName: str
    input: dict[str, Any]


class ToolOutputAvailablePart(TypedDict):
    type: Literal["tool-output-available"]
    toolCallId: str
    output: Any  # the tool's JSON, or its text when it is not JSON


class ToolOutputErrorPart(TypedDict):
    type: Literal["tool-output-error"]
    toolCallId: str
    errorText: str


class ToolOutputDeniedPart(TypedDict):
    type: Literal["tool-output-denied"]
    toolCallId: str


class ToolApprovalRequestPart(TypedDict):
    type: Literal["tool-approval-request"]
    approvalId: str
    toolCallId: str


class DataActionPart(TypedDict):
    """An action's whole card (`ActionView.as_dict()`): sent when it waits and when decided."""

    type: Literal["data-action"]
    id: str
    data: dict[str, Any]


class ErrorPart(TypedDict):
    type: Literal["error"]
    errorText: str


class FinishMetadata(TypedDict):
    conversation_id: str
    stop_reason: str
    usage: dict[str, int]
    replyId: str | None  # the reply a person rates (POST /api/feedback); null: none stored


class FinishPart(TypedDict):
    type: Literal["finish"]
    messageMetadata: NotRequired[FinishMetadata]  # absent when the run failed


Part = (
    StartPart
    | DataConversationPart
    | TextStartPart
    | TextDeltaPart
    | TextEndPart
    | ToolInputAvailablePart
    | ToolOutputAvailablePart
    | ToolOutputErrorPart
    | ToolOutputDeniedPart
    | ToolApprovalRequestPart
    | DataActionPart
    | ErrorPart
    | FinishPart
)
