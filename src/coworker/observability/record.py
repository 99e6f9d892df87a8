"""The recording calls the agent loop and the tool executor make: one line each at a seam.

Each finds the metrics bound to the current work (`context.metrics`, bound by the app) and
does nothing when there are none (tests, benchmarks, the CLI), so domain code never needs to
know whether it runs inside a server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coworker.observability import context

if TYPE_CHECKING:
    from coworker.llm.base import Usage


def turn(seconds: float, outcome: str) -> None:
    metrics = context.metrics.get()
    if metrics is not None:
        channel = context.channel.get() or "other"
        metrics.turn_seconds.labels(channel, outcome).observe(seconds)


def model_call(model: str, seconds: float, outcome: str) -> None:
    metrics = context.metrics.get()
    if metrics is not None:
        metrics.model_seconds.labels(model, outcome).observe(seconds)


def tokens(usage: Usage) -> None:
    metrics = context.metrics.get()
    if metrics is None:
        return
    for kind, count in (
        ("input", usage.input_tokens),
        ("output", usage.output_tokens),
        ("cache_read", usage.cache_read_input_tokens),
        ("cache_write", usage.cache_creation_input_tokens),
    ):
        if count:
            metrics.tokens.labels(kind).inc(count)


def tool_call(tool: str, outcome: str) -> None:
    metrics = context.metrics.get()
    if metrics is not None:
        metrics.tool_calls.labels(tool, outcome).inc()


def error(kind: str) -> None:
    metrics = context.metrics.get()
    if metrics is not None:
        metrics.errors.labels(kind).inc()


def feedback(rating: str, channel: str) -> None:
    metrics = context.metrics.get()
    if metrics is not None:
        metrics.feedback.labels(rating, channel).inc()
