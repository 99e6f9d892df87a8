"""Plans for taking back or correcting the last change (`intents/corrections.py`).

The change to undo is the last write of this conversation (`Memory.last_write`) and the
values put back are the record as it was read from the CRM before it: every value comes
from the CRM, and the write goes through the same trust check as any other.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from datetime import timedelta

from coworker.llm.offline import replies, vocab
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.dates import iso
from coworker.llm.offline.engine import Batch, Plan, Reply, Stop, gated
from coworker.llm.offline.intents.corrections import moved_due
from coworker.llm.offline.memory import LastWrite, Memory
from coworker.llm.offline.phones import with_last_digits
from coworker.llm.offline.plans import fixes
from coworker.llm.offline.plans.other_one import is_other, other_lead
from coworker.llm.offline.plans.redoing import (
    ID_KEYS,
    LABELS,
    deal_day,
    for_deal,
    redo,
    retarget,
    shown_value,
)
from coworker.llm.offline.plans.retagging import is_tag_change, retag
from coworker.llm.offline.plans.undated import undated_due
from coworker.llm.offline.resolve import Ctx
from coworker.llm.offline.trust import WritePlan, Written, write, write_all

_LABELS = LABELS
replies_value = shown_value
NOTHING = "I haven't changed anything in this conversation that I could take back."


def undo(ctx: Ctx) -> Plan:
    """Take back the coworker's last change (all of it, when one message made several).

    Right after it, at once; once the conversation has moved on, shown and asked first.
    "No, don't do that" (`soft`) takes back only a change just made: said to a question,
    nothing was done, and nothing is. "Not tom, luis" / "i meant X" also makes the same
    change on the one meant, shown and asked first."""
    memory, intent = ctx.memory, ctx.intent
    last = memory.last_write
    if intent.slots.get("only") == "reopen" and (
        last is None or last.tool != "update_task" or last.input.get("completed") is not True
    ):
        return Reply(
            "I haven't marked a task done in this conversation, so I left every task as it "
            "is. Say “show my tasks” to see them."
        )
    recent = memory.since_change == 0
    if intent.slots.get("soft") and (last is None or not recent):
        return Reply("OK, I won't. Nothing was changed.")
    wrong, meant = intent.slots.get("wrong"), intent.slots.get("meant")
    if is_other(meant) and (last is None or not recent) and memory.lead is not None:
        # "no the other chris" after a question: the other one shown, nothing taken back
        return (yield from other_lead(ctx, str(meant)))
    if last is None:
        return Reply(NOTHING)
    changes = list(memory.last_changes) or [last]
    field = intent.slots.get("field")
    if meant and not field and not memory.later_write and len(changes) == 1:
        if is_tag_change(changes[0]):  # "undo that, should've been smb": a tag, not a lead
            fixed = yield from retag(ctx, changes[0], str(meant), str(wrong or ""), sure=recent)
            if fixed is not None:
                return fixed
    if memory.later_write and not field and (not wrong or _PRONOUN.match(str(wrong))):
        return Reply(_KEPT.get(memory.later_write, _KEPT["create_note"]))
    if wrong and _PRONOUN.match(str(wrong)):  # "put her back": the one just changed
        changes, wrong = (yield from _the_one(ctx, changes)), None
    if field:  # "undo the status change": that field's change only
        changes = [c for c in changes if field in c.input]
        if not changes:
            return Reply(
                f"My last change didn't touch a {_LABELS.get(field, field).replace('_', ' ')}, "
                "so I left everything as it is."
            )
    if wrong:
        changes = [c for c in changes if _names(c, str(wrong), memory)][-1:]
        if not changes:
            names = ", ".join(f"**{_name(c)}**" for c in memory.last_changes or [last])
            return Reply(
                f"The last change I made was on {names}, not “{wrong}”, so I left everything "
                "as it is. Tell me in full what to change."
            )
    elif meant or intent.slots.get("only"):
        changes = [last]
    back_to = intent.slots.get("back_to")  # "put priya back to new": only if that is what she was
    other = next((c for c in changes if c.before.get("status", back_to) != back_to), None)
    if back_to and other is not None:
        return Reply(
            f"Before my change **{_name(other)}** was {other.before.get('status')}, not "
            f"{back_to}, so I left everything as it is. Say “mark {_name(other)} {back_to}” "
            "if that's what you want."
        )
    made = [c for c in changes if c.tool == "create_task"]
    backs = [_put_back(c, sure=recent, only=field) for c in reversed(changes) if c not in made]
    plans = [b for b in backs if not isinstance(b, str)]
    said = [b for b in backs if isinstance(b, str)]
    if made and not plans:
        if meant:  # "sorry i meant luis not priya": the task, on the lead meant
            return (yield from retarget(ctx, made[-1], str(meant), str(wrong or "")))
        return (yield from _delete_made(made))
    said += [
        f"The task **{_name(c)}** I created is still there: say “delete the task {_name(c)}” "
        "to remove it."
        for c in made
    ]
    if not plans:
        return Reply("\n\n".join(said))
    if meant:
        try:  # "i meant the bluth company one": the same change, on that record
            again = yield from redo(ctx, changes[0], str(meant))
        except Stop as stop:
            if stop.reply.question is not None:
                raise
            raise Stop(Reply("I haven't put anything back yet. " + stop.reply.text)) from None
        if isinstance(again, str):
            said.append(again)
        else:
            plans.append(again)
    if meant and len(plans) == 2 and all(plan.confident for plan, _ in plans):
        # one change moved from the wrong record to the one meant, right after it: both at
        # once (either one unsure, both are shown and asked together below)
        results = [(yield from write(ctx, plans[0][0])), (yield from write(ctx, plans[1][0]))]
    else:
        results = yield from write_all(ctx, [plan for plan, _ in plans])
    done = [
        replies.failure(result) if result.is_error else _done(plan, name)
        for (plan, name), result in zip(plans, results, strict=False)
    ]
    return Reply("\n\n".join(done + said))


def _delete_made(made: list[LastWrite]) -> Plan:
    """Taking back a task just created is deleting it: a card the person approves, since
    a delete can't be taken back in its turn."""
    done = []
    for change in made:
        task_id, title = change.created.get("id"), _name(change)
        if not task_id:
            done.append(
                f"I created **{title}** but can't tell which task it is now; nothing was deleted."
            )
            continue
        say = f"I created the task **{title}** just now. Delete it? Approve or cancel below."
        result = yield from gated("delete_task", say, task_id=task_id)
        done.append(replies.decided(result, f"Deleted the task **{title}**.", "deleting the task"))
    return Reply("\n\n".join(done))


def _name(change: LastWrite) -> str:
    record = change.before or change.created
    return str(record.get("name") or record.get("title") or "the record")


def _names(change: LastWrite, words: str, memory: Memory) -> bool:
    """Do the person's words ("tom", "the luis one", "ryan's" for Ryan Wood's deal) name the
    record `change` changed, or the lead it belongs to?"""
    lead = memory.lead_name(str(change.before.get("lead_id") or "")) or ""
    name = re.findall(r"\w+", f"{_name(change)} {lead}".lower())
    wanted = [w for w in re.findall(r"\w+", words.lower()) if w not in ("the", "one")]
    return bool(wanted) and all(any(n.startswith(w) for n in name) for w in wanted)


def already_done(memory: Memory) -> str | None:
    """What the coworker changed for the person's last message that changed anything, said
    again for a "yes" that has nothing left to approve ("Already done: **Maya Schmidt**:
    status **contacted**."); None when it changed nothing in this conversation."""
    lines = []
    for change in memory.last_changes:
        key = ID_KEYS.get(change.tool)
        if change.tool == "create_task":
            lines.append(f"created the task **{_name(change)}**")
        if key is None:
            continue
        name = change.before.get("name") or change.before.get("title") or "the record"
        said = ", ".join(
            f"{_LABELS.get(f, f)} **{_shown(f, v)}**"
            for f, v in change.input.items()
            if f != key and not isinstance(v, (list, dict))
        )
        if said:
            lines.append(f"**{name}**: {said}")
    return "Already done — " + "; ".join(lines) + "." if lines else None


def _shown(field: str, value: object) -> str:
    """A value as the person reads it ("Fri 11 Dec 10:00", "$51,000"), not as the API does."""
    moment = replies.parse_time(value) if field == "due_date" else None
    if moment is not None:
        return f"{moment:%a} {moment.day} {moment:%b %H:%M}"
    if field == "value" and isinstance(value, (int, float)):
        return replies.money(value, "USD")
    return replies_value(value)


_PRONOUN = re.compile(r"^(?:her|him|them|it|that|this|he|she|they)$", re.I)
_KEPT = {
    "create_note": "My last change was a note, and notes can't be taken back or moved through "
    "the CRM's API, so I left everything as it is. Log the note on the right lead "
    "(“note on Jane: …”), or name the change to take back (“undo the status change”).",
}


def _the_one(ctx: Ctx, changes: list[LastWrite]) -> Generator[Batch, list[Result], list[LastWrite]]:
    """The changes "her"/"him"/"it" means: all of them when they were on one record, else
    the one in view, else the person is asked (nothing is put back until then)."""
    ids = {str(c.input.get(ID_KEYS.get(c.tool, ""), c.created.get("id"))) for c in changes}
    if len(ids) <= 1:
        return changes
    lead = ctx.memory.lead
    mine = [c for c in changes if lead is not None and c.input.get("lead_id") == lead.get("id")]
    if mine:
        return mine
    names = " or ".join(f"**{_name(c)}**" for c in changes)
    raise Stop(Reply(f"Which one should I put back: {names}? Say “put <name> back”."))
    yield  # pragma: no cover - a generator for `yield from`


def _put_back(
    last: LastWrite, *, sure: bool = True, only: str | None = None
) -> tuple[WritePlan, str] | str:
    """The write that puts a record back as it was before `last` (only the field `only`,
    when one is named), or why there is none."""
    if last.tool == "create_opportunity":
        return (
            "I can't delete a deal through the CRM's API. Tell me what to change on it instead "
            "(“make it 15k”, “move it to closed lost”)."
        )
    key = ID_KEYS[last.tool]
    values = []
    for field in [f for f in last.input if f != key and only in (None, f)]:
        before = last.before.get(field)
        if field == "completed":
            before = bool(before)
        if before is None:
            return f"I don't know what the {field} was before, so I left it as it is."
        values.append(
            Written(
                field, before, _LABELS.get(field, field), shown_value(before, field), "crm", sure
            )
        )
    name = _name(last)
    return WritePlan(last.tool, {key: last.input[key]}, tuple(values), f"Put back **{name}**"), name


def _done(plan: WritePlan, name: str) -> str:
    """What a write of `undo` did, in the words of its headline ("Put back", "Instead")."""
    if plan.headline.startswith("Put back"):
        said = ", ".join(f"{v.label} back to **{v.shown}**" for v in plan.values)
        return f"Undone: **{name}** has its {said}."
    said = ", ".join(f"{v.label} **{v.shown}**" for v in plan.values)
    return f"Done on **{name}** instead: {said}."


def correct_value(ctx: Ctx) -> Plan:
    last = ctx.memory.last_write
    deal = ctx.memory.deal
    if ctx.intent.slots.get("word"):
        return (yield from _correct_word(ctx, last, str(ctx.intent.slots.get("word"))))
    if ctx.intent.slots.get("words"):  # "typo, 14 seats not 40"
        return (yield from fixes.correct_words(ctx))
    if ctx.intent.slots.get("name"):  # "make it 15k and call it X"
        return (yield from fixes.correct_value_and_name(ctx))
    if ctx.intent.slots.get("phone_end"):  # "typo, should end in 8862"
        return (yield from _correct_phone_end(ctx, last, str(ctx.intent.slots.get("phone_end"))))
    for kind in ("phone", "text"):
        if ctx.intent.slots.get(kind):
            return (
                yield from _correct_lead_field(ctx, last, kind, str(ctx.intent.slots.get(kind)))
            )
    if last is None or last.tool not in ("create_opportunity", "update_opportunity") or not deal:
        return Reply(
            "Which value should change? Say it in full, e.g. “change the Initech deal's value "
            "to 15k”."
        )
    value = ctx.intent.slots.get("value")
    shown = replies.money(value, deal.get("currency") or "USD")
    written = Written(
        "value", value, "value", shown, raw=str(ctx.intent.slots.get("value_raw") or "")
    )
    plan = WritePlan(
        "update_opportunity", {"opportunity_id": deal["id"]}, (written,), f"**{deal.get('name')}**"
    )
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    return Reply(f"Corrected **{deal.get('name')}**: value now **{shown}**.")


def _correct_word(ctx: Ctx, last: LastWrite | None, word: str) -> Plan:
    """ "sorry meant qualified" after a status change, "wait no, closed won" after a stage
    change: that field of the same record, at once right after it, else asked first."""
    field = "status" if last and "status" in last.input else "stage"
    read = vocab.status_in if field == "status" else vocab.stage_in
    value = read(word)
    if last is None or field not in last.input or value is None:
        return Reply(
            f"Which record should be “{word}”? Say it in full, e.g. “mark Jane as {word}”."
        )
    key = ID_KEYS[last.tool]
    name = _name(last)
    shown = value.replace("_", " ")
    recent = ctx.memory.since_change == 0
    written = Written(field, value, field, f"**{shown}**", confident=recent, raw=word)
    plan = WritePlan(last.tool, {key: last.input[key]}, (written,), f"**{name}**")
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    return Reply(f"Corrected **{name}**: {field} now **{shown}**.")


def correct_time(ctx: Ctx) -> Plan:
    """A task's day or time corrected ("make it wed instead", "make that 4pm") after it was
    written: only what was named moves, on the task just written (else asked first)."""
    task = ctx.memory.task
    due = replies.parse_time(task.get("due_date")) if task else None
    last = ctx.memory.last_write
    if ctx.intent.slots.get("value") is not None and last and last.tool.endswith("_opportunity"):
        return (yield from correct_value(ctx))  # "make it 15" just after a deal's value
    undated = bool(task) and not due and bool(ctx.intent.slots.get("date"))
    if ctx.intent.slots.get("bare") or undated:  # "end of next week", after a task made undated
        return (yield from undated_due(ctx))
    if for_deal(ctx):  # "and push it to end of next week" just after a deal's change
        return (yield from deal_day(ctx))
    if not task or not due:
        return Reply(
            "Which time should change? Say it in full, e.g. “move the call with Jane to 4pm”."
        )
    # Sure only when that task is the one just written; a task only shown is asked about.
    just_written = ctx.memory.last_task_written == str(task.get("id"))
    sure = just_written and ctx.intent.slots.get("sure") is not False
    sure = sure and ctx.memory.since_change == 0
    # or the one task the last reply showed, asked about by name ("whats my bluth task")
    shown_alone = ctx.memory.task_just_shown == str(task.get("id"))
    sure = sure or (shown_alone and ctx.intent.slots.get("sure") is not False)
    moved = moved_due(iso(due.astimezone(ctx.clock.zone)), ctx.intent)
    shift = ctx.intent.slots.get("shift_days")
    if shift:  # "actually a day later": from the due just written
        moved = iso(due.astimezone(ctx.clock.zone) + timedelta(days=shift))
    shown = replies.when(moved, ctx.clock)
    raw = str(ctx.intent.slots.get("time_raw") or "")
    written = Written("due_date", moved, "due", shown, confident=sure, raw=raw)
    plan = WritePlan("update_task", {"task_id": task["id"]}, (written,), f"**{task.get('title')}**")
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    return Reply(f"Moved **{task.get('title')}**: now due {shown}.")


# The lead fields a correction of words ("make it SVP of Sales") can be about
_TEXT_FIELDS = ("title", "company", "name", "email", "source")


def _correct_phone_end(ctx: Ctx, last: LastWrite | None, end: str) -> Plan:
    """The phone just written with its last digits said again: the number the person gave,
    those digits swapped in; asked for in full when no phone was just written."""
    written = str(last.input.get("phone") or "") if last and last.tool == "update_lead" else ""
    fixed = with_last_digits(written, end) if written else None
    if fixed is None:
        return Reply(
            f"Which number should end in {end}? Say it in full, e.g. “change Jane's phone to "
            f"+1-555-000-{end[-4:].rjust(4, '0')}”."
        )
    return (yield from _correct_lead_field(ctx, last, "phone", fixed))


def _correct_lead_field(ctx: Ctx, last: LastWrite | None, kind: str, value: str) -> Plan:
    """A phone or words said again right after a lead's field was changed: that field of
    that lead, and nothing else. Words are asked about first ("make it ..." is loose)."""
    fields = ("phone",) if kind == "phone" else _TEXT_FIELDS
    changed = [
        f for f in (last.input if last and last.tool == "update_lead" else {}) if f in fields
    ]
    if last is None or len(changed) != 1:
        return Reply(
            f"Which record should get “{value}”? Say it in full, e.g. “change Jane's "
            f"{'phone' if kind == 'phone' else 'title'} to {value}”."
        )
    field = changed[0]
    name = _name(last)
    sure = kind == "phone" and ctx.memory.since_change == 0
    written = Written(field, value, field, f"**{value}**", confident=sure, raw=value)
    plan = WritePlan("update_lead", {"lead_id": last.input["lead_id"]}, (written,), f"**{name}**")
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    return Reply(f"Corrected **{name}**: {field} now **{value}**.")
