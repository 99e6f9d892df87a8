"""The sandbox's notion of now, in one place so tests can travel in time."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
