"""The request a stock Vercel AI SDK client sends to /api/chat, and what it asks for.

`DefaultChatTransport` (what useChat and assistant-ui use) posts the whole chat each time:
`{id, messages, trigger, messageId}` plus whatever `body` the app adds. The server keeps
the conversation itself, so only one message is read: the last, the person's (its text
parts), or the assistant's sent back with tool parts in state `approval-responded` (what
`addToolApprovalResponse` makes): the decisions on the cards the stream asked about, whose
approval ids are the action ids (`stream.py`). A card answered on an earlier message is
sent with `messageId` naming that message, which is then the one read. Anything else is a
422 that says what was expected.

Parts are read loosely (unknown keys and part types are kept out of the way, not refused):
a client sends back everything the stream gave it, `data-*` parts included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

APPROVAL_RESPONDED = "approval-responded"
MAX_CHAT_ID = 200  # the SDK's ids are 16 characters; a UUID or a conversation id fits
MAX_REASON = 2000  # as the reject endpoint's


class ToolApproval(BaseModel):
    """A tool part's `approval`: `id` is the approval id the stream sent (the action id)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=200)
    approved: bool | None = None
    reason: str | None = Field(None, max_length=MAX_REASON)


class UIPart(BaseModel):
    """One part of a UI message, of any type; only text and tool approvals are read."""

    model_config = ConfigDict(extra="ignore")

    type: str = Field(max_length=200)
    text: str | None = None
    state: str | None = Field(None, max_length=100)
    approval: ToolApproval | None = None


class UIMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field("", max_length=MAX_CHAT_ID)
    role: Literal["system", "user", "assistant"]
    parts: list[UIPart]


@dataclass(frozen=True)
class PersonSays:
    """The person's message: its text parts."""

    text: str


@dataclass(frozen=True)
class Approval:
    action_id: str
    approved: bool
    reason: str | None


@dataclass(frozen=True)
class PersonDecides:
    """The assistant's message sent back with decisions on its cards; the reply continues
    that message (`message_id`)."""

    message_id: str
    approvals: tuple[Approval, ...]


Turn = PersonSays | PersonDecides


class UIChatRequest(BaseModel):
    """The AI SDK's chat request (`HttpChatTransport.sendMessages`)."""

    model_config = ConfigDict(extra="ignore")  # an app's own `body` fields ride along

    id: str = Field(
        min_length=1,
        max_length=MAX_CHAT_ID,
        description="The chat's id: a conversation id continues it; any other id names a "
        "conversation of its own, started for the caller the first time it is seen.",
    )
    messages: list[UIMessage] = Field(
        min_length=1,
        description="The chat as the client holds it; only the last message (or the one "
        "`messageId` names) is read.",
    )
    trigger: str = Field(
        "submit-message", description="`submit-message` (regenerating is not supported)."
    )
    messageId: str | None = Field(None, max_length=MAX_CHAT_ID)

    @field_validator("trigger")
    @classmethod
    def _trigger(cls, value: str) -> str:
        if value != "submit-message":
            raise PydanticCustomError(
                "unsupported_trigger",
                "{trigger} is not supported: the coworker keeps the conversation and has "
                "already acted on it; send a new message instead (trigger must be "
                "'submit-message')",
                {"trigger": repr(value[:40])},
            )
        return value

    @model_validator(mode="after")
    def _readable(self) -> UIChatRequest:
        self.turn()  # a request that asks for nothing readable is refused here, as a 422
        return self

    def turn(self) -> Turn:
        continued, last = self._continued(), self.messages[-1]
        if continued is not None and continued is not last and last.role == "user":
            # Reading the cards would drop the person's new words unread (a stock client
            # names the last message; this is a client that mixed two requests in one).
            raise _unreadable(
                "the last message is the person's, but messageId names an earlier assistant "
                "message: send the person's message, or the answered cards, one at a time"
            )
        message = continued or last
        if message.role == "user":
            texts = [p.text for p in message.parts if p.type == "text" and p.text is not None]
            if not texts:
                raise _unreadable("the last message has no text part; only text is read")
            return PersonSays("\n".join(texts))
        if message.role == "assistant":
            approvals = _approvals(message)
            if not approvals:
                raise _unreadable(
                    "the last message is the assistant's and answers no approval: send the "
                    "person's message, or the assistant's with tool parts in state "
                    f"{APPROVAL_RESPONDED!r} (addToolApprovalResponse)"
                )
            return PersonDecides(message.id, approvals)
        raise _unreadable("the last message must be the person's (role 'user') or the assistant's")

    def _continued(self) -> UIMessage | None:
        """The assistant message `messageId` names: a card answered on an earlier message
        than the last (the person wrote again meanwhile) is sent with `messageId` naming it."""
        if self.messageId:
            for message in reversed(self.messages):
                if message.id == self.messageId and message.role == "assistant":
                    return message
        return None

    def text(self) -> str | None:
        """The person's message; None when the request decides cards instead."""
        turn = self.turn()
        return turn.text if isinstance(turn, PersonSays) else None


def _unreadable(message: str) -> PydanticCustomError:
    """A 422 that reads as the sentence itself (a ValueError would say "Value error, ...")."""
    return PydanticCustomError("unreadable_chat", message)


def _approvals(message: UIMessage) -> tuple[Approval, ...]:
    """Each answered approval once, in the order of the parts. One answered both ways is
    no approval of its effect (nor a clear refusal): the request is refused, nothing runs."""
    seen: dict[str, Approval] = {}
    for part in message.parts:
        approval = part.approval
        if part.state != APPROVAL_RESPONDED or approval is None or approval.approved is None:
            continue
        reason = (approval.reason or "").strip() or None
        first = seen.setdefault(approval.id, Approval(approval.id, approval.approved, reason))
        if first.approved != approval.approved:
            raise _unreadable(
                f"approval {approval.id[:40]!r} is answered both approved and denied; "
                "send one answer per card"
            )
    return tuple(seen.values())
