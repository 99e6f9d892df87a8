"""The store's schema. Ids are UUID strings (integers for append-only logs); every timestamp
is stored as naive UTC and read back as an aware UTC datetime, on every backend."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from coworker.sqltypes import UTCDateTime

# Names for constraints and indexes, so migrations (and SQLite batch mode) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


# Python None is SQL NULL in optional JSON columns (SQLAlchemy's default is JSON 'null').
NullableJSON = JSON(none_as_null=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # "local", "web:<sub>", "slack:<team>:<user>"
    external_id: Mapped[str] = mapped_column(String(255), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(255))
    dialsheet_key_encrypted: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    summary_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    summary_time: Mapped[str] = mapped_column(String(5), default="08:30", server_default="08:30")
    summary_weekdays: Mapped[str] = mapped_column(
        String(27), default="mon,tue,wed,thu,fri", server_default="mon,tue,wed,thu,fri"
    )
    summary_channel: Mapped[str] = mapped_column(String(16), default="web", server_default="web")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("channel", "external_key"),
        # A person's conversations page by (updated_at, id) (store/paging.py).
        Index("ix_conversations_user_id_updated_at", "user_id", "updated_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(16))
    external_key: Mapped[str] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("conversation_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    usage: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PendingAction(Base):
    __tablename__ = "pending_actions"
    __table_args__ = (
        # A person's actions page by (created_at, id), all of them or of one status; the
        # second also counts the ones waiting, for the cap (store/pending_cap.py).
        Index("ix_pending_actions_user_id_created_at", "user_id", "created_at", "id"),
        Index("ix_pending_actions_user_id_status", "user_id", "status", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))  # the requester
    tool_use_id: Mapped[str] = mapped_column(String(255))
    tool_name: Mapped[str] = mapped_column(String(64))
    input: Mapped[dict[str, Any]] = mapped_column(JSON)
    input_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    # Names a person recognises (recipient, mailbox, lead), shown on the approval card.
    display: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)
    # What the CRM will act on, read when the card was made (tools/effect.py): checked again
    # just before the action runs, so an approval binds to the effect the person saw.
    effect: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)
    edits: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)
    reason: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The gated actions one model response proposed together share it (one card, one
    # decision; each still its own action). None for an action proposed alone.
    batch_id: Mapped[str | None] = mapped_column(String(32), index=True)


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(64), index=True)
    action_id: Mapped[str | None] = mapped_column(String(36), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ProcessedEvent(Base):
    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SummaryRun(Base):
    __tablename__ = "summary_runs"
    __table_args__ = (UniqueConstraint("user_id", "run_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    run_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RateLimitCounter(Base):
    """How many requests one key (a person and what they do) made in one window, shared by
    every replica on the database (store/ratelimits.py). The window comes first in the key
    so that dropping old windows is a range of the primary key."""

    __tablename__ = "rate_limit_counters"

    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # epoch seconds
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class FeedbackEntry(Base):
    """A person's thumbs up or down on one reply (the assistant message at `reply_seq`),
    with what the turn was (model, tools, the reply's text) kept as it was when rated, so a
    bad answer can become an eval case (store/feedback.py). One row per person and reply:
    a second press replaces the rating."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("user_id", "conversation_id", "reply_seq"),
        # The export reads newest first, from a date on (store/feedback.py).
        Index("ix_feedback_updated_at", "updated_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    reply_seq: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(8))  # "up" | "down"
    channel: Mapped[str] = mapped_column(String(16))
    model: Mapped[str] = mapped_column(String(255))
    tools: Mapped[list[str]] = mapped_column(JSON)
    reply: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
