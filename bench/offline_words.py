"""Time per call of each word reader of the offline model (dates, amounts, phones, names).

The interpreter's budget is p50 <= 2 ms per model turn in all (bench/offline_interpret.py),
so each reader must cost a small part of it. Each is timed on realistic messages, warm
(as in a running server) and, for the cached ones, cold (caches cleared before each call).
Nothing is asserted: the numbers are for reading.

Run: `.venv/bin/python -m bench.offline_words [--repeat 200]`.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from bench.harness import summary_ms
from coworker.llm.offline import date_parts, dates, names, shorthand
from coworker.llm.offline.amounts import find_amounts
from coworker.llm.offline.caches import clear_caches
from coworker.llm.offline.dates import find_when
from coworker.llm.offline.names import Candidate, best_matches
from coworker.llm.offline.phones import find_phones

NOW = datetime(2026, 11, 26, 11, 30, tzinfo=ZoneInfo("America/New_York"))
MESSAGES = [
    "fu w/ jane smtih re: the 18.5k opp tmrw am pls, her cell is (212) 555-0199",
    "pinecrest proposal out by end of next week",
    "close date 2 wks out, value $1.2m, call dana friday 3pm",
    "can u log a note that acme wants 20 grand off and txt bob at +1-555-000-1234",
    "remind me in 90 min to send the deck to priya @ pinecrest",
]
FALLBACK = "renewal in a fortnight"  # a phrase only dateparser reads
LEADS = [
    Candidate(str(i), name, company)
    for i, (name, company) in enumerate(
        [
            ("Jane Smith", "Acme Corp"),
            ("Jane Doe", "Initech"),
            ("Janet Lee", "Globex"),
            ("John Smith", "Initech"),
            ("Dana Jones", "Greenfield Analytics"),
            ("Bobby Tables", "Acme Corp"),
            ("Priya Raghunathan", "Pinecrest Labs"),
            ("Chris O'Neil", "Initech"),
        ]
        * 3
    )
]


def _clear() -> None:
    clear_caches()
    shorthand.normalise.cache_clear()
    date_parts._dateparser.cache_clear()
    names._word_score.cache_clear()
    dates._phrase_spans.cache_clear()


def _samples(call: Callable[[], object], repeat: int, cold: bool) -> list[float]:
    samples = []
    for _ in range(repeat):
        if cold:
            _clear()
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def _messages(reader: Callable[[str], object], repeat: int, cold: bool) -> dict[str, float]:
    """All messages' timings pooled: each message `repeat` times."""
    pooled: list[float] = []
    for text in MESSAGES:
        reader(text)  # imports and first-use work are not what a turn pays
        pooled += _samples(partial(reader, text), repeat, cold)
    return summary_ms(pooled)


def _all_five(text: str) -> object:
    return (
        shorthand.normalise(text),
        find_when(text, NOW),
        find_amounts(text),
        find_phones(text),
        best_matches("jane smtih", LEADS, limit=5),
    )


def run(repeat: int) -> dict[str, dict[str, float]]:
    readers: dict[str, Callable[[str], object]] = {
        "normalise": shorthand.normalise,
        "find_when": partial(_find_when, NOW),
        "find_amounts": find_amounts,
        "find_phones": find_phones,
        "best_matches (24 leads)": _best_matches,
        "all five": _all_five,
    }
    results: dict[str, dict[str, float]] = {}
    for name, reader in readers.items():
        for cold in (False, True):
            results[f"{name} ({'cold' if cold else 'warm'})"] = _messages(reader, repeat, cold)
    find_when(FALLBACK, NOW)
    fallback = partial(find_when, FALLBACK, NOW)
    results["find_when, dateparser phrase (warm)"] = summary_ms(_samples(fallback, repeat, False))
    results["find_when, dateparser phrase (cold)"] = summary_ms(
        _samples(fallback, max(10, repeat // 10), True)
    )
    return results


def _find_when(now: datetime, text: str) -> object:
    return find_when(text, now)


def _best_matches(text: str) -> object:
    return best_matches("jane smtih", LEADS, limit=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(run(args.repeat), indent=2))


if __name__ == "__main__":
    main()
