"""One lead's tasks: "what tasks do i have for jane", "whats open on him".

Tasks are personal in the CRM: `list_tasks` gives only the person's own. A lead a teammate
owns ("whose lead is chris parker" ... "whats open on him") often has open tasks only that
teammate can see in a list, yet the lead's record (`get_lead`) carries every open task on
it. So when the person has none open on the lead, the record's are shown, said plainly to
be a teammate's, rather than a bare "no open tasks" that hides the lead's callback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.engine import Plan, Reply, one
from coworker.llm.offline.listed import tasks_fitting
from coworker.llm.offline.resolve import Ctx
from coworker.llm.offline.text import capitalise

Record = dict[str, Any]
Filter = Callable[[list[Record]], list[Record]]


def lead_tasks(ctx: Ctx, lead: Record, *, completed: bool, keep: Filter, narrowed: bool) -> Plan:
    """The person's tasks on `lead` (open unless `completed`), kept by `keep` (a due window
    or a priority); `narrowed` when such a window was asked, and then only the person's own
    are shown, since "what's due today for jane" asks about their own day."""
    result = yield from one("list_tasks", lead_id=lead["id"], completed=completed)
    if result.is_error:
        return Reply(replies.failure(result))
    tasks = keep(result.items("tasks"))
    name = replies.lead_short(lead)
    state = "completed" if completed else "open"
    empty = f"No {state} tasks for **{name}**."
    if tasks or completed or narrowed:
        return Reply(
            replies.task_list(tasks, ctx.clock, f"{capitalise(state)} tasks for **{name}**:", empty)
        )
    record = yield from one("get_lead", lead_id=lead["id"])
    theirs = [t for t in (record.record("lead") or {}).get("open_tasks") or [] if t.get("id")]
    if record.is_error or not theirs:
        return Reply(empty)
    return Reply(
        replies.task_list(
            theirs,
            ctx.clock,
            f"You have no open tasks for **{name}**; on the lead's record "
            f"(a teammate's, so I can't change {'it' if len(theirs) == 1 else 'them'}):",
            empty,
        )
    )


def about_tasks(ctx: Ctx, phrase: str, keep: Filter, *, asked_done: bool = False) -> Plan:
    """The tasks `phrase` names ("my bluth task", "is the initech proposal task done yet"):
    by title or the lead they're about; open ones first, then any already done, so a
    question whether one is done is answered either way."""
    open_read = yield from one("list_tasks", completed=False, limit=100)
    done_read = yield from one("list_tasks", completed=True, limit=100)
    if open_read.is_error:
        return Reply(replies.failure(open_read))
    leads = ctx.memory.leads
    still = tasks_fitting(keep(open_read.items("tasks")), phrase, leads)
    done = tasks_fitting(keep(done_read.items("tasks")), phrase, leads) if done_read.ok else []
    if not still and not done:
        return Reply(
            f"You have no task about “{phrase}”. Say “show my open tasks” to see them all."
        )
    parts = []
    if still:
        heading = "Your task:" if len(still) == 1 else "Your tasks:"
        heading = "Not done yet:" if done or asked_done else heading
        parts.append(replies.task_list(still, ctx.clock, heading, ""))
    if done:
        parts.append(replies.task_list(done, ctx.clock, "Already done:", ""))
    return Reply("\n\n".join(parts))
