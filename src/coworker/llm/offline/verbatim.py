"""Where a message holds values the person typed exactly: emails, URLs, phones, quoted text.

The readers expand shorthand ("pls", "fu", "re") and fix keyword typos ("mial" -> "email")
so a request reads plainly; inside "cj.work@initech-mail.example", "https://x.example/fu" or
"'pls call u tmrw'" the same letters are a value that must be written as typed. Both
normalisers (`shorthand.normalise`, `text.Utterance.of`) ask this module which spans to leave
alone, so the rule lives in one place.
"""

from __future__ import annotations

import re

from coworker.llm.offline.phones import find_phones

_EMAIL = re.compile(r"[\w.+%'-]+@[\w-]+(?:\.[\w-]+)+", re.I)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.I)
# A quotation: double quotes anywhere; single quotes only where an apostrophe cannot be
# ("jane's", "don't" are words, "'pls call u'" is a quote).
_QUOTED = re.compile(
    r"[\"\u201c\u201d][^\"\u201c\u201d\n]+[\"\u201c\u201d]"
    r"|(?<!\w)['\u2018][^'\u2018\u2019\n]+['\u2019](?!\w)"
)


def verbatim_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The sorted, merged spans of `text` that no normaliser may change."""
    spans = [m.span() for pattern in (_EMAIL, _URL, _QUOTED) for m in pattern.finditer(text)]
    spans += [(p.start, p.end) for p in find_phones(text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def pieces(text: str) -> list[tuple[str, bool]]:
    """`text` cut into pieces, each with whether a normaliser may change it."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for start, end in verbatim_spans(text):
        if start > last:
            pieces.append((text[last:start], True))
        pieces.append((text[start:end], False))
        last = end
    if last < len(text) or not pieces:
        pieces.append((text[last:], True))
    return pieces
