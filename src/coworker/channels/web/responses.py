"""What the web API answers, as pydantic models, so `/docs` shows each endpoint's shape.

The routes still build plain values; FastAPI validates them against these and writes them in
this field order. Timestamps stay the ISO strings the routes make. Models that carry records
another part owns (an action, `GET /api/me`'s description of the runtime) allow extra fields,
so a field added there reaches clients without a change here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ConversationOut(BaseModel):
    id: str
    title: str | None
    channel: str
    created_at: str = Field(description="ISO 8601.")
    updated_at: str = Field(description="ISO 8601.")


class ConversationsPage(BaseModel):
    conversations: list[ConversationOut]
    next_cursor: str | None = Field(description="Pass it back for the next page; null: the last.")


class CardFieldOut(BaseModel):
    key: str = Field(description="The input field an edit sets.")
    label: str
    value: str
    editable: bool
    multiline: bool


class ActionOut(BaseModel):
    """An action as a person sees it (agent/events.py `ActionView`): the exact payload, in
    names, with the card to render and how it ended."""

    model_config = ConfigDict(extra="allow")

    id: str
    conversation_id: str
    tool_use_id: str
    tool: str
    risk: str
    input: dict[str, Any]
    display: dict[str, str]
    status: str = Field(description="pending, executing, succeeded, failed, unknown, ...")
    editable: list[str]
    edits: dict[str, Any] | None
    reason: str | None
    result: dict[str, Any] | None
    error: str | None
    label: str = Field(description='What it does, for a person: "Send an email".')
    card: list[CardFieldOut] = Field(description="The card's lines, in display order.")
    outcome: str | None = Field(description="How its end reads; null while it waits.")
    batch_id: str | None = Field(
        None,
        description="Shared by the actions one reply proposed together (one card, decided "
        "with POST /api/actions/batch/{batch_id}/decide); null for a card on its own.",
    )
    created_at: str
    expires_at: str


class MessageOut(BaseModel):
    role: str
    parts: list[dict[str, Any]] = Field(
        description='`{"type": "text", "text"}` or `{"type": "tool", "toolCallId", "toolName", '
        '"input"}` with `output` and `isError` once it has a result.'
    )


class ConversationPage(BaseModel):
    id: str
    messages: list[MessageOut]
    actions: list[ActionOut] = Field(
        description="The actions of the calls on this page, and every one still waiting."
    )
    next_before: int | None = Field(description="Pass it as `before` for older messages.")


class ActionsPage(BaseModel):
    actions: list[ActionOut]
    next_cursor: str | None


class ChatReply(BaseModel):
    """A run's answer for clients that ask for JSON (`Accept` without text/event-stream)."""

    conversation_id: str | None
    reply: str
    reply_id: str | None = Field(
        description="The reply's id, for feedback (POST /api/feedback); null: none stored."
    )
    actions: list[ActionOut] = Field(description="Actions that now wait for approval.")
    decided: list[ActionOut] = Field(description="Actions this run decided and carried out.")
    errors: list[str]


class MeOut(BaseModel):
    model_config = ConfigDict(extra="allow")  # the runtime's description: crm, database, model

    id: str
    display_name: str | None
    dialsheet_key_connected: bool


class KeyConnected(BaseModel):
    dialsheet_key_connected: bool


class SummarySettingsOut(BaseModel):
    enabled: bool
    time: str
    weekdays: list[str]
    timezone: str
    channel: str


# The answer of an endpoint that streams when asked: JSON, or the UI message stream.
STREAMED: dict[int | str, dict[str, Any]] = {
    200: {
        "model": ChatReply,
        "description": "JSON, or with `Accept: text/event-stream` the UI message stream "
        "(channels/web/parts.py).",
        "content": {"text/event-stream": {}},
    }
}
