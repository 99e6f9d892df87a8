"""A task's priority said among its words ("high prio", "urgent", "... low"): the value and
the title with those words cut out. Apart from `tasks.py` to keep it short."""

from __future__ import annotations

import re

from coworker.llm.offline import vocab
from coworker.llm.offline.intents.common import I


def priority_of(text: str) -> tuple[str | None, str]:
    hit = vocab.priority_in(text.lower())
    if not hit:
        return None, text
    value, m = hit
    if value in ("high", "low", "medium") and re.fullmatch(
        r"\b(?:high|low|medium|normal)\b", m.group(0)
    ):
        # a bare "high"/"low" only counts next to priority-ish words or at the very end
        if not re.search(
            rf"{m.group(0)}\s*(?:prio|priority)|(?:priority|prio)\s*:?\s*{m.group(0)}|"
            rf"{m.group(0)}\s*$",
            text.lower(),
        ):
            return None, text
    cut = text[: m.start()] + text[m.end() :]
    cut = re.sub(
        r"(?:,\s*|\s+)(?:and\s+)?(?:make it|mark it|set|as|with|at|it'?s|priority|prio)?\s*$",
        "",
        cut.rstrip(" ,;-!"),
        flags=I,
    )
    cut = re.sub(
        r"\b(?:make it|mark it as|set it to|set it as|mark as|as a|as an|with)\s*(?=,|$)",
        "",
        cut,
        flags=I,
    )
    return value, re.sub(r"\s{2,}", " ", cut).strip(" ,;-")
