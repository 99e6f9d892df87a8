"""What the store hands out: plain frozen records, never ORM objects, so nothing outside the
store can lazy-load, mutate or hold a session by accident. Each record's fields are, in
order, the columns its repository selects (`sql.columns`), so a row becomes a record with
no mapping step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from coworker.errors import CoworkerError
from coworker.llm.base import Block, Message, Role


class StoreError(CoworkerError):
    """The store cannot do what was asked (as opposed to a database failure)."""


class RecordNotFound(StoreError):
    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: str
    external_id: str
    display_name: str | None
    dialsheet_key_encrypted: str | None
    timezone: str
    summary_enabled: bool
    summary_time: str
    summary_weekdays: str
    summary_channel: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    id: str
    user_id: str
    channel: str
    external_key: str
    title: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ActionRecord:
    id: str
    conversation_id: str
    user_id: str
    tool_use_id: str
    tool_name: str
    input: dict[str, Any]
    input_hash: str
    display: dict[str, Any] | None
    status: str
    edits: dict[str, Any] | None
    reason: str | None
    result: dict[str, Any] | None
    error: str | None
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    updated_at: datetime
    effect: dict[str, Any] | None = None  # the card's effect, bound at approval (tools/effect)
    batch_id: str | None = None  # shared by the actions one model response proposed


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str | None
    kind: str
    action_id: str | None
    conversation_id: str | None
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SummaryRunRecord:
    id: int
    user_id: str
    run_date: date
    status: str
    attempts: int
    error: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A transcript message with its place in the conversation (`seq`, from 1), which a
    page of the display hands back as the cursor for the page before it."""

    seq: int
    role: Role
    content: list[Block]

    def as_message(self) -> Message:
        return {"role": self.role, "content": self.content}
