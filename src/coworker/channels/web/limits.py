"""Per-person message rate: a sliding one-minute window, kept in this process."""

from __future__ import annotations

import math
import time
from collections import deque

from coworker.errors import CoworkerError


class RateLimited(CoworkerError):
    def __init__(self, retry_after: float) -> None:
        seconds = max(1, math.ceil(retry_after))
        super().__init__(f"too many messages; try again in {seconds} s")
        self.retry_after = seconds


class RateLimiter:
    def __init__(self, per_minute: int, *, window: float = 60.0) -> None:
        self.per_minute = per_minute
        self.window = window
        self._seen: dict[str, deque[float]] = {}

    def check(self, key: str, *, now: float | None = None) -> None:
        """Count one message for `key`, or raise RateLimited with how long to wait."""
        moment = time.monotonic() if now is None else now
        seen = self._seen.setdefault(key, deque())
        while seen and seen[0] <= moment - self.window:
            seen.popleft()
        if len(seen) >= self.per_minute:
            raise RateLimited(seen[0] + self.window - moment)
        seen.append(moment)
