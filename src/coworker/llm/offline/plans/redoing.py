"""Making a change again on the record meant (`plans.corrections.undo`'s "i meant luis not
priya"), and a day said right after a deal's change ("and push it to end of next week").

The record meant comes from the person's words now, looked up like any other; what is written
is the person's earlier request, moved: a task just created gets the lead meant (and the name
in its title), at once right after it; anything else is shown and asked first.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Generator
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Batch, Plan, Reply, one
from coworker.llm.offline.intents.deal_dates import deal_said
from coworker.llm.offline.memory import LastWrite
from coworker.llm.offline.names import relevant
from coworker.llm.offline.pick import find_deal, find_task
from coworker.llm.offline.resolve import Ctx, choose, find_lead, lead_option
from coworker.llm.offline.slots import lead_ref
from coworker.llm.offline.trust import WritePlan, Written, write

ID_KEYS = {
    "update_lead": "lead_id",
    "update_task": "task_id",
    "update_opportunity": "opportunity_id",
}
LABELS = {"completed": "mark", "due_date": "due"}
_MEANT_NOISE = re.compile(r"^(?:the|that|this|my)\s+|\s+(?:one|instead)$", re.I)


def shown_value(value: object, field: str = "") -> str:
    """A value as the person reads it: "done", "Tue 8 Dec 09:00", not the API's form."""
    moment = replies.parse_time(value) if field == "due_date" else None
    if moment is not None:
        return f"{moment:%a} {moment.day} {moment:%b %H:%M}"
    if value is True:
        return "done"
    if value is False:
        return "not done"
    if isinstance(value, list):  # tags: "hot, renewal", not the list's repr
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def redo(
    ctx: Ctx, last: LastWrite, meant: str
) -> Generator[Batch, list[Result], tuple[WritePlan, str] | str]:
    """The change being taken back, made on the record `meant` names instead. The change is
    the person's earlier request and the record their words now: shown and asked first."""
    if last.tool not in ID_KEYS:
        return f"I didn't make it for “{meant}”: tell me the request for them in full."
    key = ID_KEYS[last.tool]
    words = _MEANT_NOISE.sub("", meant.strip().rstrip(".!")).strip()
    one_at = re.fullmatch(r"one at (?P<at>.+)", words, re.I)
    if one_at and last.tool == "update_lead":  # "wrong hannah, the one at maple grove"
        first = str(last.before.get("name") or "").split()[:1]
        words = " at ".join([*first, one_at["at"]])
    elif one_at:
        words = one_at["at"]
    wrong = str(ctx.intent.slots.get("wrong") or "")
    if last.tool == "update_lead" and wrong and re.search(r"\bone$", meant.strip(), re.I):
        if wrong.lower() not in words.lower():  # "not that noah, the greenfield one"
            words = f"{wrong} at {words}"
    if last.tool == "update_task":
        record = yield from find_task(ctx, words, purpose="did you mean")
        name = str(record.get("title") or "the task")
    elif last.tool == "update_lead":
        # only the words of the one meant: "not that noah, the greenfield one" rules out the
        # lead changed (checked below), not every Noah
        record = yield from lead_meant(ctx, words, str(last.input[key]))
        name = str(record.get("name") or "the lead")
    else:  # "the harbor point deal"; "the other brightline one": not the deal just changed
        other = re.fullmatch(r"other\s+(?P<rest>.+)", words, re.I)
        ref, _ = deal_said(other["rest"] if other else words)
        besides = str(last.input[key]) if other else None
        record = yield from find_deal(ctx, ref, purpose="did you mean", besides=besides)
        name = str(record.get("name") or "the deal")
    if str(record.get("id")) == str(last.input[key]):
        return f"“{meant}” is the one I'm putting back, so I changed nothing else."
    # Right after the change, the same change on the one the person named is done at once
    # ("undo that, wrong lead. i meant priya"); once the conversation moved on, asked first.
    sure = ctx.memory.since_change == 0
    made = dict(last.input)
    if last.tool == "update_lead" and "tags" in made:  # the tag moves, never the whole list
        current: Result = yield from one("get_lead", lead_id=record["id"])
        if current.is_error:
            return replies.failure(current)
        theirs = [str(t) for t in (current.record("lead") or {}).get("tags") or []]
        made["tags"] = moved_tags(last.before.get("tags"), made["tags"], theirs)
    values = tuple(
        Written(f, v, LABELS.get(f, f), shown_value(v, f), confident=sure)
        for f, v in made.items()
        if f != key
    )
    return WritePlan(last.tool, {key: record["id"]}, values, f"Instead, **{name}**"), name


def moved_tags(before: Any, after: Any, theirs: list[str]) -> list[str]:
    """The other lead's tags with the same tags put on and taken off as the change did."""
    was, now = [str(t) for t in before or []], [str(t) for t in after or []]
    added = [t for t in now if t not in was]
    removed = [t for t in was if t not in now]
    return [t for t in theirs if t not in removed] + [t for t in added if t not in theirs]


def lead_meant(ctx: Ctx, words: str, wrong_id: str) -> Generator[Batch, list[Result], Any]:
    """The lead the words name; "other chris" is the Chris who is not the one just changed,
    when exactly one other is called that (else asked, as any name is)."""
    other = re.fullmatch(r"other\s+(?P<name>.+)", words, re.I)
    if other is not None:
        words = other["name"]
        found: Result = yield from one("search_leads", search=words)
        others = [
            x
            for x in relevant(found.items("leads"), lead_ref(words))
            if str(x.get("id")) != wrong_id
        ]
        if len(others) == 1:
            return others[0]
        if others:  # several others of that name: which, among them only
            text = f"Which {words} do you mean?\n\n" + replies.numbered(
                [replies.lead_label(x) for x in others[:8]]
            )
            return choose(ctx, "lead", text, [lead_option(x) for x in others[:8]])
    alone = dataclasses.replace(ctx, message=words)
    return (yield from find_lead(alone, lead_ref(words), purpose="did you mean"))


def retarget(ctx: Ctx, made: LastWrite, meant: str, wrong: str) -> Plan:
    """ "sorry i meant luis not priya" right after "create a task to call priya thursday":
    the task just created gets the lead meant, and its title that lead's name where it had
    the other's. At once right after it; once the conversation moved on, asked first."""
    task_id = made.created.get("id")
    title = str(made.created.get("title") or "")
    if not task_id:
        return Reply(f"I created **{title}** but can't tell which task it is now; nothing changed.")
    words = _MEANT_NOISE.sub("", meant.strip().rstrip(".!")).strip()
    linked = str(made.created.get("lead_id") or made.input.get("lead_id"))
    lead = yield from lead_meant(ctx, words, linked)
    if str(lead.get("id")) == linked:
        return Reply(f"The task **{title}** is already linked to **{lead.get('name')}**.")
    old = ctx.memory.leads.get(str(made.input.get("lead_id") or ""), {})
    new_title = _renamed(title, str(old.get("name") or ""), str(lead.get("name") or ""), wrong)
    sure = ctx.memory.since_change == 0
    values = [Written("lead_id", lead["id"], "lead", f"**{lead.get('name')}**", "crm", sure)]
    if new_title != title:
        values.append(Written("title", new_title, "title", f"**{new_title}**", "words", sure))
    plan = WritePlan("update_task", {"task_id": task_id}, tuple(values), f"The task **{title}**")
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    return Reply(f"Fixed: the task **{new_title}** is now for **{replies.lead_label(lead)}**.")


def _renamed(title: str, old: str, new: str, said: str) -> str:
    """`title` with the old lead's name (whole, first, or as the person said it) replaced by
    the new lead's, in the same extent: "Call priya" → "Call Luis"."""
    if not old or not new:
        return title
    old_parts, new_parts = old.split(), new.split()
    for was, now in ((old, new), (old_parts[0], new_parts[0]), (said.strip(), new_parts[0])):
        if was and re.search(rf"\b{re.escape(was)}\b", title, re.I):
            return re.sub(rf"\b{re.escape(was)}\b", now, title, flags=re.I)
    return title


def for_deal(ctx: Ctx) -> bool:
    """Is a day said as a change ("and push it to end of next week") about the deal just
    changed (or, nothing changed and no task in view, the deal in view)?"""
    last = ctx.memory.last_write
    if not ctx.memory.deal or not ctx.intent.slots.get("date"):
        return False
    if last is not None:  # a close date is a day: "end of next week" is its Friday
        return last.tool.endswith("_opportunity")
    return ctx.memory.task is None and ctx.intent.slots.get("hour") is None


def deal_day(ctx: Ctx) -> Plan:
    """That deal's close date: at once right after its change, else asked first."""
    last, deal = ctx.memory.last_write, ctx.memory.deal or {}
    date = str(ctx.intent.slots.get("date"))
    sure = last is not None and ctx.memory.since_change == 0
    # "whats the close date on mei's renewal" -> "push it to jan 20": the one deal the last
    # reply showed, nothing changed since and no task in view, is what "it" is
    shown_alone = last is None and [str(d.get("id")) for d in ctx.memory.listed.deals] == [
        str(deal.get("id"))
    ]
    sure = (sure or shown_alone) and ctx.intent.slots.get("sure") is not False
    shown = replies.day_label(date, ctx.clock)
    raw = str(ctx.intent.slots.get("time_raw") or "")
    written = Written("expected_close_date", date, "closing", shown, confident=sure, raw=raw)
    name = str(deal.get("name") or "the deal")
    plan = WritePlan(
        "update_opportunity", {"opportunity_id": deal["id"]}, (written,), f"**{name}**"
    )
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    return Reply(f"Moved **{name}**: now closing {shown}.")
