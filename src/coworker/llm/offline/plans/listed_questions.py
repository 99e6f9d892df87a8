"""The answer to "which one's been sitting the longest": from the tasks the last reply listed.

The list is the one the person is looking at (`Memory.listed`, what the reply showed), so
the answer is one of its lines, never a new search of the CRM. Only reads.
"""

from __future__ import annotations

from coworker.llm.offline import replies
from coworker.llm.offline.engine import Plan, Reply
from coworker.llm.offline.resolve import Ctx


def longest_waiting(ctx: Ctx) -> Plan:
    """The listed task due earliest (the one that has waited longest)."""
    dated = [t for t in ctx.memory.listed.tasks if t.get("due_date") and not t.get("completed")]
    if not dated:
        return Reply(
            "I don't have a list of tasks to compare. Say “what's overdue” or “show my open "
            "tasks” first."
        )
    yield from ()
    oldest = min(dated, key=lambda t: str(t["due_date"]))
    label = replies.task_label(oldest, ctx.clock)
    return Reply(f"The one that's been waiting longest: **{label}**.")
