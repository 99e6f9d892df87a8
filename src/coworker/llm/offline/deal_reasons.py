"""A reason said once and pointed at later in the same message: "lost bluewater, they went
w a competitor. close the opp as lost and put a note on mia tanaka saying why". The note
"saying why" holds the reason said before it, in the person's words; with no reason said
before it, the note is left as it was written (and asked about, as any note with no words).
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I

# "put a note on mia saying why", "log a note on her with the reason"
_WHY_NOTE = re.compile(
    r"^(?P<head>(?:pls\s+|please\s+)?(?:put|add|leave|log|drop|write|make)\s+(?:a\s+)?"
    r"(?:quick\s+)?note\s+(?:on|for|to|in|under)\s+.+?)\s+(?:saying|explaining|with|w|about|re)"
    r"\s+(?:the\s+)?(?:why|reason(?:\s+why)?|what happened)[\s.!]*$",
    I,
)
# The reason after a piece of news: ", they went w a competitor", " bc budget got cut".
REASON_AFTER_NEWS = re.compile(
    r"(?:\s*[,;]|\s+-+)\s*(?P<r>(?:they|she|he|we|it)(?:'re|'s|re|s)?\s[^.;!?]+|"
    r"(?:because|bc|cuz|since)\s+[^.;!?]+)",
    I,
)


def reasons_given(parts: list[str]) -> list[str]:
    """`parts` with a note "saying why" given the reason an earlier part said."""
    out = list(parts)
    for index, part in enumerate(out):
        m = _WHY_NOTE.match(part.strip())
        if m is None:
            continue
        for earlier in range(index - 1, -1, -1):
            reason = REASON_AFTER_NEWS.search(out[earlier])
            if reason is not None:
                out[index] = f"{m['head']}: {reason['r'].strip()}"
                break
    return out
