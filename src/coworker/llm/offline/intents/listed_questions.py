"""A question about the tasks the last reply listed: "which ones been sitting the longest".

After "whats overdue for me" a rep asks about that list, not the CRM: which of them has
waited longest, which is the oldest, the most overdue. Said without a list before it, the
plan says so; nothing is ever changed.
"""

from __future__ import annotations

import re

from coworker.llm.offline.intents.common import I, Intent, make_intent

# "which ones been sitting the longest", "which one's the oldest", "which has been waiting
# the longest?", "which of those is most overdue", "and the oldest one?"
_OLDEST = re.compile(
    r"^(?:and\s+|so\s+|ok\s+|okay\s+)*(?:which|what)\s+(?:one|ones|task|tasks|of\s+(?:them|those|"
    r"these))?\s*(?:'?s|is|are|was|has|have|'?ve)?\s*(?:been\s+)?(?:(?:sitting|waiting|open|"
    r"overdue|late|there|around|outstanding|on\s+the\s+list)\s+)?(?:the\s+)?(?:longest|oldest|"
    r"most\s+(?:overdue|late|behind)|furthest\s+behind)(?:\s+(?:one|overdue|open|late))?$|"
    r"^(?:and\s+)?the\s+(?:oldest|most\s+overdue)(?:\s+one)?$",
    I,
)


def longest_waiting_request(text: str) -> Intent | None:
    """ "which one's the oldest" about the tasks just listed, or None."""
    if _OLDEST.match(text.strip().rstrip("?!. ")):
        return make_intent("longest_waiting")
    return None
