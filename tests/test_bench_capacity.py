"""The capacity benchmark's ladder and report (the measurement itself is `./dev bench`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bench.capacity import FACTOR, MAX_STEPS, Ladder
from bench.report import render
from bench.suite import BENCHMARKS


def climb(ladder: Ladder, capacity: float) -> list[float]:
    tried = []
    while not ladder.done:
        tried.append(ladder.rate)
        ladder.record(ladder.rate <= capacity)
    return tried


def test_the_ladder_climbs_until_a_fail_then_tries_the_middle_once() -> None:
    ladder = Ladder(10.0)
    tried = climb(ladder, capacity=16.0)
    assert tried[:4] == pytest.approx([10.0, 12.0, 14.4, 17.28])
    assert tried[4] == pytest.approx((14.4 * 17.28) ** 0.5)  # 15.77: passes
    assert ladder.passed == pytest.approx(tried[4]) and len(tried) == 5


def test_a_ladder_that_starts_too_high_steps_down_until_it_passes() -> None:
    ladder = Ladder(100.0)
    tried = climb(ladder, capacity=50.0)
    assert tried[:5] == pytest.approx(
        [100.0, 100 / FACTOR, 100 / FACTOR**2, 100 / FACTOR**3, 100 / FACTOR**4]
    )
    assert ladder.passed is not None and ladder.passed <= 50.0
    assert ladder.failed is not None and ladder.failed > 50.0


def test_a_ladder_is_bounded() -> None:
    assert len(climb(Ladder(1.0), capacity=1e9)) == MAX_STEPS
    assert climb(Ladder(1.0), capacity=0.0)[-1] < 1.0  # gives up below half a turn a second


def test_results_show_the_capacity_runs_and_the_goal() -> None:
    bench = next(b for b in BENCHMARKS if b.name == "capacity")
    run = {
        "ours": {"capacity": 48.0, "cpu_ms_per_turn": 8.1, "steps": []},
        "minimal": {"capacity": 60.0, "cpu_ms_per_turn": 4.5, "steps": []},
        "load_average": [1.5, 1.2, 1.0],
    }
    result = {
        "model_delay_ms": 500.0,
        "ours_per_core": {"median": 48.0, "range": "46-50"},
        "minimal_per_core": {"median": 60.0, "range": "58-61"},
        "ratio": 0.8,
        "per_run": [run],
    }
    report = render(
        [(bench, result, "", 60.0)],
        machine={"CPU": "test"},
        started=datetime(2026, 12, 6, tzinfo=UTC),
        seconds=60.0,
        full=False,
        load=((1.0, 1.0, 1.0), (1.0, 1.0, 1.0)),
    )
    assert "## Capacity: ours beside a minimal server" in report
    assert "| 1 | 48.0 | 60.0 | 0.80x | 8.1 ms | 4.5 ms | 1.50, 1.20, 1.00 |" in report
    assert "| ours / minimal (medians) | 0.80x | >= 0.8 | met |" in report
