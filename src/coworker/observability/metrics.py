"""Prometheus metrics: the app's metric families, in a registry of its own.

Each app owns a `Metrics` (its own `CollectorRegistry`, so tests that build many apps never
collide) and binds it to the work it runs (`context.metrics`); domain code records through
`observability.record`. Labels are bounded sets (channels, outcomes, tool names from the
catalog, statuses, token kinds): never a user, a conversation or any content. Actions are
counted in the store when scraped (at most once every `ACTION_COUNTS_MAX_AGE` seconds, so a
busy scraper does not run a GROUP BY each time), so every replica reports the same shared
truth.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from sqlalchemy import func, select

from coworker.agent.events import ACTION_STATUSES
from coworker.store.tables import PendingAction

if TYPE_CHECKING:
    from coworker.store.facade import Store

log = logging.getLogger("coworker.metrics")

# The `*_created` timestamp series double the exposition and no dashboard reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]

CONTENT_TYPE = CONTENT_TYPE_LATEST
TOKEN_KINDS = ("input", "output", "cache_read", "cache_write")
# A turn waits on the model (seconds each step); a model call on one response.
TURN_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300)
MODEL_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120)
ACTION_COUNTS_MAX_AGE = 15.0  # seconds a scrape reuses the last action counts


class Metrics:
    """The app's metric families, in a registry of their own."""

    def __init__(self, *, action_counts_max_age: float | None = None) -> None:
        self.registry = CollectorRegistry()
        if action_counts_max_age is None:
            action_counts_max_age = ACTION_COUNTS_MAX_AGE
        self.action_counts_max_age = action_counts_max_age
        self._counted_at: float | None = None  # time.monotonic() of the last good count
        ProcessCollector(registry=self.registry)  # CPU, memory, open files of the process
        self.turn_seconds = Histogram(
            "coworker_turn_duration_seconds",
            "One agent run (a message or a decision) from start to its last event.",
            ["channel", "outcome"],
            buckets=TURN_BUCKETS,
            registry=self.registry,
        )
        self.model_seconds = Histogram(
            "coworker_model_request_duration_seconds",
            "One model call of the agent loop, streaming included.",
            ["model", "outcome"],
            buckets=MODEL_BUCKETS,
            registry=self.registry,
        )
        self.tool_calls = Counter(
            "coworker_tool_calls",
            "Tool calls by tool and outcome (ok, error, invalid_input, unknown, "
            "confirmation_required, too_many_pending, crashed).",
            ["tool", "outcome"],
            registry=self.registry,
        )
        self.tokens = Counter(
            "coworker_model_tokens",
            "Model tokens by kind (input, output, cache_read, cache_write).",
            ["kind"],
            registry=self.registry,
        )
        self.errors = Counter(
            "coworker_errors",
            "Failures by kind (model, model_crash, tool_crash, http_5xx, metrics_store).",
            ["kind"],
            registry=self.registry,
        )
        self.feedback = Counter(
            "coworker_feedback",
            "Presses of thumbs up or down on a reply, by rating (up, down) and channel.",
            ["rating", "channel"],
            registry=self.registry,
        )
        self.actions = Gauge(
            "coworker_pending_actions",
            "Rows of the pending-actions table by status, counted in the store at scrape time "
            f"(a count is reused for {action_counts_max_age:g} s).",
            ["status"],
            registry=self.registry,
        )
        for kind in TOKEN_KINDS:
            self.tokens.labels(kind)
        for status in ACTION_STATUSES:
            self.actions.labels(status)

    async def refresh(self, store: Store, *, now: float | None = None) -> None:
        """Count the actions by status (one GROUP BY, SQLite or PostgreSQL alike), unless the
        last count is younger than `action_counts_max_age` seconds (`now`: monotonic)."""
        moment = time.monotonic() if now is None else now
        last = self._counted_at
        if last is not None and 0 <= moment - last < self.action_counts_max_age:
            return
        query = select(PendingAction.status, func.count()).group_by(PendingAction.status)
        try:
            async with store.engine.connect() as conn:
                counts = {str(status): int(n) for status, n in (await conn.execute(query)).all()}
        except Exception as error:  # a scrape reports what it can; the last counts stay
            log.warning("metrics: could not count actions (%s)", type(error).__name__)
            self.errors.labels("metrics_store").inc()
            return
        self._counted_at = moment
        for status in {*ACTION_STATUSES, *counts}:
            self.actions.labels(status).set(counts.get(status, 0))

    def exposition(self) -> bytes:
        """The Prometheus text format of everything in this registry."""
        return generate_latest(self.registry)
