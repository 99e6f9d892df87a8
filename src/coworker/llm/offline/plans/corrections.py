"""Plans for taking back or correcting the last change (`intents/corrections.py`).

The change to undo is the last write of this conversation (`Memory.last_write`) and the
values put back are the record as it was read from the CRM before it: every value comes
from the CRM, and the write goes through the same trust check as any other.
"""

from __future__ import annotations

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.dates import iso
from coworker.llm.offline.engine import Plan, Reply
from coworker.llm.offline.resolve import Ctx
from coworker.llm.offline.trust import WritePlan, Written, crm, write

ID_KEYS = {
    "update_lead": "lead_id",
    "update_task": "task_id",
    "update_opportunity": "opportunity_id",
}
NOTHING = "I haven't changed anything in this conversation that I could take back."


def undo(ctx: Ctx) -> Plan:
    last = ctx.memory.last_write
    if last is None:
        return Reply(NOTHING)
    if last.tool == "create_opportunity":
        return Reply(
            "I can't delete a deal through the CRM's API. Tell me what to change on it instead "
            "(“make it 15k”, “move it to closed lost”)."
        )
    key = ID_KEYS[last.tool]
    fields = [f for f in last.input if f != key]
    values = []
    for field in fields:
        before = last.before.get(field)
        if field == "completed":
            before = bool(before)
        if before is None:
            return Reply(f"I don't know what the {field} was before, so I left it as it is.")
        values.append(crm(field, before, field, replies_value(before)))
    name = last.before.get("name") or last.before.get("title") or "the record"
    plan = WritePlan(last.tool, {key: last.input[key]}, tuple(values), f"Put back **{name}**")
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    said = ", ".join(f"{v.label} back to **{v.shown}**" for v in values)
    text = f"Undone: **{name}** has its {said}."
    meant = ctx.intent.get("meant")
    if meant:  # "i meant the bluth company one": not guessed, asked for in full
        text += f" Which change did you mean for “{meant}”? Say it in full and I'll do it."
    return Reply(text)


def replies_value(value: object) -> str:
    if value is True:
        return "done"
    if value is False:
        return "not done"
    return str(value)


def correct_value(ctx: Ctx) -> Plan:
    last = ctx.memory.last_write
    deal = ctx.memory.deal
    if last is None or last.tool not in ("create_opportunity", "update_opportunity") or not deal:
        return Reply(
            "Which value should change? Say it in full, e.g. “change the Initech deal's value "
            "to 15k”."
        )
    value = ctx.intent.get("value")
    shown = replies.money(value, deal.get("currency") or "USD")
    written = Written("value", value, "value", shown, raw=str(ctx.intent.get("value_raw") or ""))
    plan = WritePlan(
        "update_opportunity", {"opportunity_id": deal["id"]}, (written,), f"**{deal.get('name')}**"
    )
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    return Reply(f"Corrected **{deal.get('name')}**: value now **{shown}**.")


def correct_time(ctx: Ctx) -> Plan:
    """A task's time corrected ("make that 4pm") after it was written: same day, that time."""
    task = ctx.memory.task
    due = replies.parse_time(task.get("due_date")) if task else None
    if not task or not due:
        return Reply(
            "Which time should change? Say it in full, e.g. “move the call with Jane to 4pm”."
        )
    # Sure only when that task is the one just written; a task only shown is asked about.
    just_written = ctx.memory.last_task_written == str(task.get("id"))
    moved = due.astimezone(ctx.clock.zone).replace(
        hour=ctx.intent.get("hour"), minute=ctx.intent.get("minute"), second=0, microsecond=0
    )
    shown = replies.when(iso(moved), ctx.clock)
    raw = str(ctx.intent.get("time_raw") or "")
    written = Written("due_date", iso(moved), "due", shown, confident=just_written, raw=raw)
    plan = WritePlan("update_task", {"task_id": task["id"]}, (written,), f"**{task.get('title')}**")
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    return Reply(f"Moved **{task.get('title')}**: now due {shown}.")
