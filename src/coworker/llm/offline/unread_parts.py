"""What to say when one request of several in a message can't be read: nothing is done,
since doing the others alone would be doing part of what was asked, silently. An errand
refused by name is not a misreading: it changes nothing and its own part says "I can't …",
so the requests beside it ("order lunch, and whats luis's email", "book a hotel and add a
task to prep the deck") still run.
"""

from __future__ import annotations

import re
from datetime import datetime

from coworker.llm.offline.intents import Intent, classify
from coworker.llm.offline.text import Utterance

# A request that changes something: read as a question or a listing, it was misread.
_CHANGES = re.compile(
    r"^(?:please\s+|pls\s+)?(?:add|set|tag|untag|mark|update|change|put|remove|create|log|move|"
    r"make|bump|push|schedule|enroll|delete|complete|close|open)\b",
    re.I,
)
MISREAD = frozenset({"unsupported", "noise", "unknown_status"})


def out_of_scope(intent: Intent) -> bool:
    """An errand the coworker refuses by name ("book me a flight"), not a request misread."""
    return intent.kind == "unsupported" and intent.slots.get("topic") not in (None, "unknown")


# "set a fu for tmrw": "a" asks for a new task, so reading it as moving one is a misreading
_NEW_TASK = re.compile(r"^(?:\w+\s+){1,2}(?:a|an|another)\s+(?:new\s+)?\w", re.I)


def not_understood(parts: list[str], now: datetime) -> str | None:
    """What to say when one request of several can't be read: nothing is done, since doing
    the others alone would be doing part of what was asked, silently."""
    intents = [classify(Utterance.of(part), now) for part in parts]
    missed = [
        part
        for part, intent in zip(parts, intents, strict=True)
        if (intent.kind in MISREAD and not out_of_scope(intent))
        or (_CHANGES.match(part) and intent.kind in _READ_ONLY)
        or (intent.kind == "update_task" and _NEW_TASK.match(part))
    ]
    # "book a hotel … and add a task to prep the deck": the errand is refused aloud by its
    # own part, and the in-scope requests beside it run
    if not missed:
        return None
    understood = [p for p in parts if p not in missed]
    said = "; ".join(f"“{p}”" for p in understood)
    return (
        f"I didn't understand {' or '.join(f'“{p}”' for p in missed)}, so I haven't done "
        + (f"the rest ({said}) either" if understood else "anything")
        + ". Tell me that part in other words, or send each request on its own."
    )


def errand_beside(parts: list[str], now: datetime) -> bool:
    """Whether a message refused as out of scope also asks for something in scope ("book a
    hotel in chicago and add a task to prep the deck"): then each part is done on its own,
    the errand refused aloud by its part; a message that is all errand stays refused whole."""
    if len(parts) < 2 or not_understood(parts, now) is not None:
        return False
    intents = [classify(Utterance.of(part), now) for part in parts]
    return any(out_of_scope(i) for i in intents) and any(i.kind not in MISREAD for i in intents)


_READ_ONLY = frozenset({
    "find_leads", "list_leads", "list_deals", "list_tasks", "list_notes", "list_calls", "list_sent",
    "list_tags", "list_sequences", "list_mailboxes", "overview", "lead_owner", "pipeline_report",
})  # fmt: skip
