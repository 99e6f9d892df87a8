"""pass^k, percentiles and the cost estimate."""

from __future__ import annotations

import pytest

from coworker.evals.metrics import pass_hat_k, percentile, suite_pass_hat_k
from coworker.evals.pricing import FREE, estimated_cost, price_of
from coworker.llm.base import Usage


def test_pass_hat_k_is_the_chance_that_k_drawn_trials_all_pass() -> None:
    assert pass_hat_k(4, 4, 4) == 1.0
    assert pass_hat_k(3, 4, 1) == 0.75
    assert pass_hat_k(3, 4, 2) == pytest.approx(3 / 6)  # C(3,2)/C(4,2)
    assert pass_hat_k(3, 4, 4) == 0.0
    assert pass_hat_k(0, 3, 1) == 0.0
    with pytest.raises(ValueError):
        pass_hat_k(1, 2, 3)


def test_the_suite_figure_is_the_mean_over_cases() -> None:
    assert suite_pass_hat_k([(2, 2), (1, 2)], 1) == pytest.approx(0.75)
    assert suite_pass_hat_k([(2, 2), (1, 2)], 2) == pytest.approx(0.5)
    assert suite_pass_hat_k([], 1) == 0.0


def test_percentiles() -> None:
    assert percentile([], 50) == 0.0
    assert percentile([3.0], 95) == 3.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == pytest.approx(2.5)
    assert percentile(list(map(float, range(1, 101))), 95) == pytest.approx(95.05)


def test_cost_estimate_by_model_family() -> None:
    assert price_of("offline") == FREE
    assert estimated_cost("offline", Usage(10**6, 10**6)) == 0.0
    usage = Usage(input_tokens=1_000_000, output_tokens=100_000, cache_read_input_tokens=1_000_000)
    assert estimated_cost("claude:claude-sonnet-5-5", usage) == pytest.approx(3 + 1.5 + 0.3)
    assert price_of("claude-haiku-4-5").input == 1.0
    assert price_of("claude-opus-4-1-20250805").output == 75.0
    assert price_of("some-compatible-model").input == 3.0
