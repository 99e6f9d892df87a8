"""Estimated cost of a run from its token counts: a small, dated price table.

These are list prices in USD per million tokens as published by Anthropic (checked
2026-11; cache writes are the 5-minute ones, 1.25x input; cache reads 0.1x input). They
are an estimate for comparing runs, not a bill: prices change, batch and regional pricing
differ. A model id is priced by the first entry its name starts with, then by its family
(opus, sonnet, haiku); the offline model costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from coworker.llm.base import Usage


@dataclass(frozen=True)
class Price:
    input: float
    output: float
    cache_write: float
    cache_read: float


def _price(input_: float, output: float) -> Price:
    return Price(input_, output, input_ * 1.25, input_ * 0.1)


PRICES: tuple[tuple[str, Price], ...] = (
    ("claude-opus-4-1", _price(15.0, 75.0)),
    ("claude-opus-4-0", _price(15.0, 75.0)),
    ("claude-3-5-haiku", _price(0.8, 4.0)),
    ("claude-3-haiku", _price(0.25, 1.25)),
)
FAMILIES: tuple[tuple[str, Price], ...] = (
    ("opus", _price(5.0, 25.0)),
    ("sonnet", _price(3.0, 15.0)),
    ("haiku", _price(1.0, 5.0)),
)
FREE = Price(0.0, 0.0, 0.0, 0.0)


def price_of(model: str) -> Price:
    name = model.removeprefix("claude:")
    if name in ("offline", "scripted"):
        return FREE
    for prefix, price in PRICES:
        if name.startswith(prefix):
            return price
    for family, price in FAMILIES:
        if family in name:
            return price
    return FAMILIES[1][1]  # an unknown Anthropic-compatible model: priced like Sonnet


def estimated_cost(model: str, usage: Usage) -> float:
    price = price_of(model)
    return (
        usage.input_tokens * price.input
        + usage.output_tokens * price.output
        + usage.cache_creation_input_tokens * price.cache_write
        + usage.cache_read_input_tokens * price.cache_read
    ) / 1_000_000
