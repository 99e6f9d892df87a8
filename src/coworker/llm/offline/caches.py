"""Every cache of the interpreter, cleared at once: the benchmarks' cold path starts from none."""

from __future__ import annotations

from coworker.llm.offline.dates import clear_date_caches
from coworker.llm.offline.text import clear_text_caches


def clear_caches() -> None:
    clear_text_caches()
    clear_date_caches()
