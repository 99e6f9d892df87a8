"""Feedback on replies: a person's thumbs up or down on one final reply, kept with the turn
it rates (who, the conversation, the model, the tools the turn used, the reply's text), so a
team can review bad answers and turn them into eval cases (`coworker feedback export`).

A reply is named by its conversation and `reply_id`, the stored `seq` of the assistant
message (`TurnDone.reply_id`): stable for the conversation's life, and meaningless outside
it, so a reply id tells nobody anything about other people's conversations. The checks a
press goes through live here, once, for every channel: the rating, the channel (a metric
label, so a bounded set), a reply id that is an assistant message of that conversation.
The conversation's owner is checked by the service (`Coworker.record_feedback`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from coworker.errors import CoworkerError
from coworker.llm.base import is_text, is_tool_use
from coworker.observability import record
from coworker.store.facade import Store
from coworker.store.feedback import NewFeedback, StoredFeedback
from coworker.store.records import StoredMessage, UserRecord

Rating = Literal["up", "down"]
RATINGS: tuple[str, ...] = get_args(Rating)
# Where a press can come from; the metric's `channel` label, so never free text.
CHANNELS = ("web", "slack", "cli", "mcp")
MAX_SEQ = 2**31 - 1  # messages.seq is an INTEGER
_BATCH = 32  # messages read at a time, walking back from a reply to the person's message
_MAX_WALK = 2048  # how far back a turn's tools are looked for (a turn is far shorter)


class InvalidFeedback(CoworkerError):
    """A press that cannot be recorded as given: an unknown rating or channel."""


class ReplyNotFound(CoworkerError):
    """No assistant message of this conversation has that reply id."""

    def __init__(self, reply_id: str) -> None:
        super().__init__(f"no reply {reply_id!r} in this conversation")
        self.reply_id = reply_id


@dataclass(frozen=True, slots=True)
class FeedbackInput:
    """A press, as every channel hands it to `Coworker.record_feedback`."""

    conversation_id: str
    reply_id: str
    rating: Rating
    channel: str


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """A stored press with the turn it rates. `user` is the rater's external id
    (`web:<sub>`, `slack:<team>:<user>`, `local`); `tools` the turn's tool calls in order."""

    id: str
    user_id: str
    user: str
    conversation_id: str
    reply_id: str
    rating: str
    channel: str
    model: str
    tools: tuple[str, ...]
    reply: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, stored: StoredFeedback) -> FeedbackRecord:
        return cls(
            id=stored.id,
            user_id=stored.user_id,
            user=stored.user_external_id,
            conversation_id=stored.conversation_id,
            reply_id=reply_id_of(stored.reply_seq),
            rating=stored.rating,
            channel=stored.channel,
            model=stored.model,
            tools=tuple(stored.tools),
            reply=stored.reply,
            created_at=stored.created_at,
            updated_at=stored.updated_at,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user_id": self.user_id,
            "user": self.user,
            "conversation_id": self.conversation_id,
            "reply_id": self.reply_id,
            "rating": self.rating,
            "channel": self.channel,
            "model": self.model,
            "tools": list(self.tools),
            "reply": self.reply,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


def reply_id_of(seq: int) -> str:
    return str(seq)


def _reply_seq(reply_id: str) -> int | None:
    """The message seq a reply id names; None if it names none (so: not found)."""
    if not reply_id.isascii() or not reply_id.isdigit() or len(reply_id) > 10:
        return None
    seq = int(reply_id)
    return seq if 1 <= seq <= MAX_SEQ else None


def check(entry: FeedbackInput) -> None:
    """Refuse what no channel should send (InvalidFeedback: a 422 on the web)."""
    if entry.rating not in RATINGS:
        raise InvalidFeedback(f"rating {entry.rating!r} is not one of: {', '.join(RATINGS)}")
    if entry.channel not in CHANNELS:
        raise InvalidFeedback(f"channel {entry.channel!r} is not one of: {', '.join(CHANNELS)}")


async def record_feedback(
    store: Store, user: UserRecord, entry: FeedbackInput, *, model: str
) -> FeedbackRecord:
    """Store a press on a reply of a conversation the caller owns (checked by the caller):
    audited with it, counted by rating and channel."""
    check(entry)
    seq = _reply_seq(entry.reply_id)
    if seq is None:
        raise ReplyNotFound(entry.reply_id)
    turn = await _turn_of(store, entry.conversation_id, seq)
    if turn is None:
        raise ReplyNotFound(entry.reply_id)
    reply, tools = turn
    stored = await store.record_feedback(
        NewFeedback(
            user_id=user.id,
            user_external_id=user.external_id,
            conversation_id=entry.conversation_id,
            reply_seq=seq,
            rating=entry.rating,
            channel=entry.channel,
            model=model,
            tools=tools,
            reply=reply,
        )
    )
    record.feedback(entry.rating, entry.channel)
    return FeedbackRecord.of(stored)


async def _turn_of(store: Store, conversation_id: str, seq: int) -> tuple[str, list[str]] | None:
    """The reply's text and the tools its turn called (the tool_use blocks from the
    person's last message up to the reply, in order); None unless `seq` is an assistant
    message of the conversation."""
    rows = await store.load_latest_messages(conversation_id, _BATCH, before=seq + 1)
    if not rows or rows[-1].seq != seq or rows[-1].role != "assistant":
        return None
    reply = "\n\n".join(
        block["text"].strip()
        for block in rows[-1].content
        if is_text(block) and block["text"].strip()
    )
    tools: list[str] = []
    read = 0
    while rows:
        for row in reversed(rows):
            if _persons_words(row):
                return reply, tools
            tools[:0] = [block["name"] for block in row.content if is_tool_use(block)]
        read += len(rows)
        if len(rows) < _BATCH or read >= _MAX_WALK:
            break
        rows = await store.load_latest_messages(conversation_id, _BATCH, before=rows[0].seq)
    return reply, tools


def _persons_words(message: StoredMessage) -> bool:
    return message.role == "user" and any(is_text(block) for block in message.content)


async def export(
    store: Store, *, since: datetime | None = None, rating: str | None = None
) -> list[FeedbackRecord]:
    """Every person's feedback, newest first (`coworker feedback export`)."""
    if rating is not None and rating not in RATINGS:
        raise InvalidFeedback(f"rating {rating!r} is not one of: {', '.join(RATINGS)}")
    return [FeedbackRecord.of(s) for s in await store.list_feedback(since=since, rating=rating)]
