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


def about_tasks(tasks: list[Record], phrase: str, ctx: Ctx) -> str:
    """The open tasks `phrase` names ("my bluth task"): by title, or the lead they're about."""
    fitting = tasks_fitting(tasks, phrase, ctx.memory.leads)
    return replies.task_list(
        fitting,
        ctx.clock,
        f"Your open tasks about “{phrase}”:" if len(fitting) > 1 else "Your task:",
        f"You have no open task about “{phrase}”. Say “show my open tasks” to see them all.",
    )
