"""Channel-neutral events of one agent run; each channel renders them its own way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# A PendingAction's states are declared in agent/statuses.py (light, for the CLI's help).
from coworker.agent.statuses import ACTION_STATUSES as ACTION_STATUSES
from coworker.agent.statuses import ActionStatus as ActionStatus
from coworker.llm.base import Usage


@dataclass(frozen=True)
class CardField:
    """One line of an action's card, in display order: a name a person recognises (never a
    raw id) and the value that will be acted on. `key` is the input field an edit sets."""

    key: str
    label: str
    value: str
    editable: bool = False
    multiline: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "editable": self.editable,
            "multiline": self.multiline,
        }


@dataclass(frozen=True)
class ActionView:
    """A pending (or decided) action as a person sees it: the exact payload, in names.

    `label`, `card` and `outcome` are the server's reading of the tool's profile (the
    contract's `x-coworker` declarations), so every channel only renders them.
    """

    id: str
    conversation_id: str
    tool_use_id: str
    tool: str
    risk: str
    input: dict[str, Any]
    display: dict[str, str]
    status: str
    created_at: datetime
    expires_at: datetime
    editable: tuple[str, ...] = ()
    edits: dict[str, Any] | None = None
    reason: str | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    label: str = ""  # "Send an email"
    card: tuple[CardField, ...] = ()
    outcome: str | None = None  # "Sent.", "Not sent: ...", None while pending
    # Shared by the actions one model response proposed together: channels show them as
    # one card with one decision (agent/batches.py). None for an action proposed alone.
    batch_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "tool_use_id": self.tool_use_id,
            "tool": self.tool,
            "risk": self.risk,
            "input": self.input,
            "display": self.display,
            "status": self.status,
            "editable": list(self.editable),
            "edits": self.edits,
            "reason": self.reason,
            "result": self.result,
            "error": self.error,
            "label": self.label,
            "card": [field.as_dict() for field in self.card],
            "outcome": self.outcome,
            "batch_id": self.batch_id,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
        }


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class ToolStarted:
    tool_use_id: str
    name: str
    input: dict[str, Any]


@dataclass(frozen=True)
class ToolFinished:
    tool_use_id: str
    name: str
    is_error: bool
    content: str


@dataclass(frozen=True)
class ConfirmationRequired:
    action: ActionView


@dataclass(frozen=True)
class ActionDecided:
    """A decision was taken and, for an approval, carried out; `action.status` says how it went."""

    action: ActionView


@dataclass(frozen=True)
class TurnDone:
    """The turn is over and stored. `reply_id` names its final reply (the assistant message
    a person rates: `Coworker.record_feedback`); None when the turn stored none (an empty
    message, a model that failed before answering, a decision while other cards wait)."""

    conversation_id: str
    text: str
    stop_reason: str
    usage: Usage = field(default_factory=Usage)
    pending: tuple[ActionView, ...] = ()
    reply_id: str | None = None


@dataclass(frozen=True)
class ErrorEvent:
    message: str
    kind: str = "error"


Event = (
    TextDelta
    | ToolStarted
    | ToolFinished
    | ConfirmationRequired
    | ActionDecided
    | TurnDone
    | ErrorEvent
)


@dataclass
class RunSummary:
    """One run's events gathered up, for channels that answer once instead of streaming
    (the JSON API, `chat -m --json`, Slack)."""

    conversation_id: str | None = None
    text: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    actions: list[ActionView] = field(default_factory=list)
    decided: list[ActionView] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    done_text: str | None = None
    reply_id: str | None = None

    def add(self, event: Event) -> None:
        if isinstance(event, TextDelta):
            self.text.append(event.text)
        elif isinstance(event, ToolStarted):
            self.tools.append(event.name)
        elif isinstance(event, ConfirmationRequired):
            self.actions.append(event.action)
        elif isinstance(event, ActionDecided):
            self.decided.append(event.action)
        elif isinstance(event, ErrorEvent):
            self.errors.append(event.message)
        elif isinstance(event, TurnDone):
            self.conversation_id = event.conversation_id
            self.done_text = event.text
            self.reply_id = event.reply_id

    @property
    def reply(self) -> str:
        return "".join(self.text).strip()

    def as_dict(self) -> dict[str, Any]:
        return {
            "conversation_id": self.conversation_id,
            "reply": self.reply,
            "reply_id": self.reply_id,
            "actions": [a.as_dict() for a in self.actions],
            "decided": [a.as_dict() for a in self.decided],
            "errors": self.errors,
        }
