"""Fault injection for reliability tests: latency, 5xx, 429 with Retry-After, and timeouts.

Faults come from two places: a random plan (rates from Settings, seeded for repeatability)
and a queue of exact faults for the next requests, which tests fill to get one precise
sequence ("503, then 429, then answer"). A timeout handles the request first and then
hangs before answering, which is the ambiguous case a client must survive: the email was
sent, but the sender never heard back.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass
from typing import Literal

from coworker.config import Settings

Fault = Literal["error", "rate_limit", "timeout"]


@dataclass
class FaultPlan:
    latency_ms: float = 0.0
    error_rate: float = 0.0
    timeout_rate: float = 0.0
    timeout_seconds: float = 60.0
    rate_limit_rate: float = 0.0
    retry_after_seconds: int = 1
    seed: int | None = None
    # Only requests with these methods suffer faults (e.g. {"POST"}: a send hangs while reads
    # answer, so a test can kill the coworker mid-send); empty: every request.
    methods: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> FaultPlan:
        return cls(
            latency_ms=settings.sandbox_latency_ms,
            error_rate=settings.sandbox_error_rate,
            timeout_rate=settings.sandbox_timeout_rate,
            timeout_seconds=settings.sandbox_timeout_seconds,
            rate_limit_rate=settings.sandbox_rate_limit_rate,
            retry_after_seconds=settings.sandbox_retry_after_seconds,
            seed=settings.sandbox_fault_seed,
            methods=frozenset(
                m.strip().upper() for m in settings.sandbox_fault_methods.split(",") if m.strip()
            ),
        )

    def applies_to(self, method: str) -> bool:
        return not self.methods or method.upper() in self.methods


class FaultInjector:
    """Decides, per API request, which fault (if any) it suffers."""

    def __init__(self, plan: FaultPlan | None = None) -> None:
        self.plan = plan or FaultPlan()
        self.queue: deque[Fault | None] = deque()
        self._random = random.Random(self.plan.seed)

    def next_fault(self) -> Fault | None:
        if self.queue:
            return self.queue.popleft()
        roll = self._random.random()
        if roll < self.plan.error_rate:
            return "error"
        roll -= self.plan.error_rate
        if roll < self.plan.rate_limit_rate:
            return "rate_limit"
        roll -= self.plan.rate_limit_rate
        if roll < self.plan.timeout_rate:
            return "timeout"
        return None
