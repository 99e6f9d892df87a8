"""Per-person request rates: how many chat messages (and MCP tool calls) a minute.

Behind one protocol, `RateLimit`, chosen once at composition (`rate_limit_for`, from
server.py): on PostgreSQL the counters live in the database (`store/ratelimits.py`), so
replicas sharing it share the limit (two replicas in memory allowed 60 where the setting
said 30); on SQLite, one machine's file for one service process, a sliding window in this
process's memory does the same job without a write per message.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from sqlalchemy.ext.asyncio import AsyncEngine

from coworker.errors import CoworkerError
from coworker.store.ratelimits import RateCounters


class RateLimited(CoworkerError):
    def __init__(self, retry_after: float) -> None:
        seconds = max(1, math.ceil(retry_after))
        super().__init__(f"too many messages; try again in {seconds} s")
        self.retry_after = seconds


@runtime_checkable
class RateLimit(Protocol):
    """Counts one request for a key, or refuses it."""

    per_minute: int

    async def check(self, key: str) -> None:
        """Count one request for `key`, or raise RateLimited with how long to wait."""
        ...


class RateLimiter:
    """A sliding one-minute window kept in this process (one process on SQLite)."""

    def __init__(
        self,
        per_minute: int,
        *,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}

    async def check(self, key: str) -> None:
        self.check_now(key, self.clock())

    def check_now(self, key: str, moment: float) -> None:
        seen = self._seen.setdefault(key, deque())
        while seen and seen[0] <= moment - self.window:
            seen.popleft()
        if len(seen) >= self.per_minute:
            raise RateLimited(seen[0] + self.window - moment)
        seen.append(moment)


class SharedRateLimiter:
    """The limit counted in the database, shared by every replica that uses it."""

    def __init__(self, counters: RateCounters, per_minute: int) -> None:
        self.counters = counters
        self.per_minute = per_minute

    async def check(self, key: str) -> None:
        wait = await self.counters.hit(key, self.per_minute)
        if wait is not None:
            raise RateLimited(wait)


def rate_limit_for(
    engine: AsyncEngine, per_minute: int, *, clock: Callable[[], float] | None = None
) -> RateLimit:
    """Counters in PostgreSQL when the store is there (replicas share them), else memory."""
    if engine.dialect.name == "postgresql":
        counters = RateCounters(engine) if clock is None else RateCounters(engine, clock=clock)
        return SharedRateLimiter(counters, per_minute)
    return RateLimiter(per_minute) if clock is None else RateLimiter(per_minute, clock=clock)
