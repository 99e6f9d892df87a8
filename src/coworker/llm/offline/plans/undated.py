"""A day said alone right after a task was made with no due date: "make a task to fu w marcus
reed re the contract", then "end of next week". The person is finishing the request they just
made, so the day is that task's due date. Said at any other moment, a day alone says nothing
to do, and nothing is done: the reply asks what it is about.
"""

from __future__ import annotations

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Plan, Reply
from coworker.llm.offline.resolve import Ctx
from coworker.llm.offline.trust import WritePlan, Written, write


def undated_due(ctx: Ctx) -> Plan:
    """The due date of the task the last message created with none, set from the day said."""
    last, task = ctx.memory.last_write, ctx.memory.task
    said = str(ctx.intent.slots.get("time_raw") or "")
    made = (
        last is not None
        and last.tool == "create_task"
        and not last.input.get("due_date")
        and ctx.memory.since_change == 0
        and task is not None
        and ctx.memory.last_task_written == str(task.get("id"))
        and not task.get("due_date")
    )
    if not made or task is None:
        return Reply(
            f"What should happen {said}? I haven't changed anything. Say it in full, e.g. "
            f"“remind me to call Jane {said}”."
        )
    due = str(ctx.intent.slots.get("due"))
    shown = replies.when(due, ctx.clock)
    sure = ctx.intent.slots.get("sure") is not False
    written = Written("due_date", due, "due", shown, confident=sure, raw=said)
    plan = WritePlan("update_task", {"task_id": task["id"]}, (written,), f"**{task.get('title')}**")
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    return Reply(f"Set **{task.get('title')}** due {shown}.")
