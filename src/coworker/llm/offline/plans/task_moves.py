"""Many tasks moved at once ("push all my overdue tasks to tomorrow"): the open tasks of that
group, each shown with its new time, and one "yes" for all (`trust.write_all`).

A day said without a time ("to tomorrow") keeps each task's own hour: a 14:00 call stays a
14:00 call, only on the new day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.dates import iso
from coworker.llm.offline.engine import Plan, Reply, one
from coworker.llm.offline.resolve import Ctx
from coworker.llm.offline.trust import WritePlan, Written, write_all

MAX_TASKS = 25  # a bigger group is narrowed first: nobody checks a longer list in a glance
_GROUPS = {"overdue": "overdue tasks", "today": "tasks due today"}


def bulk_task_move(ctx: Ctx) -> Plan:
    group: str = ctx.intent.slots.get("when") or "overdue"
    said = ctx.intent.slots.get("day_text") or "then"
    named = _GROUPS.get(group, "tasks")
    due = replies.parse_time(ctx.intent.slots.get("due"))
    if due is None:
        return Reply(
            f"I didn't understand when to move your {named} to (“{said}”). Say a day, e.g. "
            "“push all my overdue tasks to tomorrow”."
        )
    result = yield from one("list_tasks", completed=False, limit=100)
    if result.is_error:
        return Reply(replies.failure(result))
    tasks = [t for t in result.items("tasks") if _in_group(t, group, ctx)]
    if not tasks:
        return Reply(f"You have no {named}, so nothing was moved.")
    if len(tasks) > MAX_TASKS:
        return Reply(
            f"That's {len(tasks)} {named}; I move at most {MAX_TASKS} at once. Say which ones "
            "(“the acme ones”), or move them a few at a time."
        )
    keep_hour = not ctx.intent.slots.get("time_raw")
    sure = not ctx.intent.slots.get("due_unsure")
    moves = [(task, _new_due(task, due.astimezone(ctx.clock.zone), keep_hour)) for task in tasks]
    results = yield from write_all(
        ctx,
        [
            WritePlan(
                "update_task",
                {"task_id": task["id"]},
                (
                    Written(
                        "due_date", iso(moment), "due", replies.when(iso(moment), ctx.clock),
                        confident=sure,
                    ),
                ),
                f"Move **{task.get('title')}** (was {_shown(task, ctx)})",
            )
            for task, moment in moves
        ],
    )  # fmt: skip
    done = [(t, m) for (t, m), r in zip(moves, results, strict=True) if not r.is_error]
    lines = [f"**{t.get('title')}** → {replies.when(iso(m), ctx.clock)}" for t, m in done]
    failed = len(moves) - len(done)
    text = f"Moved {replies.plural(len(done), 'task')}:\n\n" + replies.bullets(lines)
    return Reply(text + (f"\n\n{failed} could not be moved." if failed else ""))


def _shown(task: dict[str, Any], ctx: Ctx) -> str:
    return replies.when(task.get("due_date"), ctx.clock)


def _in_group(task: dict[str, Any], group: str, ctx: Ctx) -> bool:
    """By the day, not the hour: "overdue" is due before today, "today" is due today (a
    task due at 15:00 is still today's at 19:00, and moving it is the person's call)."""
    day, today = replies.due_day(task, ctx.clock), ctx.clock.now.date()
    if day is None:
        return False
    return day == today if group == "today" else day < today


def _new_due(task: dict[str, Any], day: datetime, keep_hour: bool) -> datetime:
    was = replies.parse_time(task.get("due_date"))
    if not keep_hour or was is None:
        return day
    was = was.astimezone(day.tzinfo)
    return day.replace(hour=was.hour, minute=was.minute, second=0, microsecond=0)
