"""The numbers of a run: pass^k, percentiles.

pass^k (τ²-bench): the chance that k trials of a case, drawn from the n that ran, all pass.
With c passes in n trials that is C(c, k) / C(n, k); the suite's pass^k is the mean over its
cases. pass^1 is the plain success rate; pass^k falls as k grows unless the model is
reliably right, which is what a coworker that acts in your CRM has to be.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import comb


def pass_hat_k(passes: int, trials: int, k: int) -> float:
    if not 1 <= k <= trials:
        raise ValueError(f"k={k} needs 1 <= k <= trials ({trials})")
    return comb(passes, k) / comb(trials, k)


def suite_pass_hat_k(results: Sequence[tuple[int, int]], k: int) -> float:
    """Mean pass^k over cases given as (passes, trials); 0 for no cases."""
    if not results:
        return 0.0
    return sum(pass_hat_k(c, n, k) for c, n in results) / len(results)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the nearest ranks; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
