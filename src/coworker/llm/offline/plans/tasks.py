"""Task plans: create (due phrases, priority, the lead it is about), list, complete, change."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.dates import iso
from coworker.llm.offline.engine import Option, Plan, Reply, Stop, gated, one
from coworker.llm.offline.intents.tasks import someone_at
from coworker.llm.offline.lead_search import Gen
from coworker.llm.offline.names import ROLE_REFERENCE, is_company_match, narrow, said_as_word
from coworker.llm.offline.pick import find_task
from coworker.llm.offline.plans.lead_tasks import about_tasks, lead_tasks
from coworker.llm.offline.plans.listed_deal_move import deal_move_meant, move_listed_deal
from coworker.llm.offline.resolve import (
    Ctx,
    ask_text,
    choose,
    find_lead,
    lead_option,
)
from coworker.llm.offline.slots import LeadRef
from coworker.llm.offline.task_titles import (
    follow_up_title,
    named_in_title,
    unnamed_follow_up_title,
)
from coworker.llm.offline.text import capitalise
from coworker.llm.offline.trust import Unread, WritePlan, Written, title_confident, write

BUCKET_TITLES = {
    "overdue": "Overdue",
    "today": "Due today",
    "tomorrow": "Due tomorrow",
    "week": "Later this week",
    "later": "Later",
    "undated": "No due date",
}


# A task that names someone no lead matches ("call hannah philips"): maybe a typo of a lead's
# name, so the task is shown before it is created unlinked.
_NOBODY: dict[str, Any] = {}


def task_lead_of(task: dict[str, Any]) -> Any:
    """The lead of the task just done or written, from the CRM (None when it is gone)."""
    found: Result = yield from one("get_lead", lead_id=str(task["lead_id"]))
    return found.record("lead") if found.ok else None


def _linked_lead(ctx: Ctx, ref: LeadRef | None, *, at_company: bool = False) -> Any:
    """The lead a task mentions, when the words point at exactly one (never a guess). Someone
    at a company ("call the initech person", `at_company`) is asked for among its leads."""
    if ref is None or ref.empty:
        return None
    if ref.pronoun:
        task = ctx.memory.task
        if ctx.memory.lead is None and task and task.get("lead_id"):
            return (yield from task_lead_of(task))  # "… and a new one to check in with him"
        return ctx.memory.lead
    if ref.listed:  # "call the one at wonka": never a task with that link dropped
        return (yield from find_lead(ctx, ref, key="task:lead", purpose="is this task about"))
    result: Result = yield from one("search_leads", search=ref.text)
    # only leads the words name as words: "oh" inside "Johnson" is offered, never linked
    leads = [lead for lead in result.items("leads") if said_as_word(lead, ref)]
    if not leads:
        try:  # "hannah philips": a lead's name misspelt is offered ("did you mean ...?")
            like = yield from find_lead(ctx, ref, key="task:lead", purpose="is this task about")
        except Stop as stop:
            if stop.reply.question is not None:
                raise
            return _NOBODY
        return like
    someone = is_company_match(leads, ref) and at_company
    if is_company_match(leads, ref) and not at_company:
        return None  # "send proposal to Initech": the company's task, no one person's
    narrowed = leads if someone else narrow(leads, ref)
    if len(narrowed) == 1:
        return narrowed[0]
    options = [lead_option(lead) for lead in narrowed[:8]]
    company = str(narrowed[0].get("company") or ref.text)
    which = f"Which {company} lead" if someone else f"Which {ref.text}"
    text = f"{which} is this task about?\n\n" + replies.numbered([o.label for o in options])
    return choose(ctx, "task:lead", text, options)


def _spoken_of(ctx: Ctx) -> bool:
    """Is there a lead "she" can be, just spoken of (a lead, or the lead of a task just done)?"""
    task = ctx.memory.task
    return ctx.memory.lead is not None or bool(task and task.get("lead_id"))


def _follows_call(ctx: Ctx, title: str) -> bool:
    """A follow-up naming no one, said right after a call was logged on the lead still
    spoken of: it follows up that call, with that lead."""
    lead = ctx.memory.lead
    said = re.match(r"^(?:fu|f/u|follow[- ]?up)\b(?!\s+(?:with|w/?)\s+[a-z])", title, re.I)
    return bool(said and lead and ctx.memory.noted and lead.get("id") == ctx.memory.noted)


def create_task(ctx: Ctx) -> Plan:
    intent = ctx.intent
    title: str | None = intent.slots.get("title")
    due: str | None = intent.slots.get("due")
    priority: str | None = intent.slots.get("priority")
    ref = intent.slots.get("ref")
    due_unsure = bool(intent.slots.get("due_unsure"))
    if not title:
        answer = ask_text(
            ctx,
            "task:title",
            "What's the task? You can add when it's due, e.g. “call Jane tomorrow at 10”.",
        )
        from coworker.llm.offline.intents import task_slots

        slots = task_slots(answer, ctx.clock.now)
        title = slots["title"] or capitalise(answer.strip())
        due_unsure = due_unsure if due else bool(slots["due_unsure"])
        due = due or slots["due"]
        priority = priority or slots["priority"]
        ref = ref or slots["ref"]
    if ref is None and re.search(r"\b(?:him|her|them)\b", title, re.I):
        ref = LeadRef(pronoun=True)  # "check in with him": the lead just spoken of, or asked
    elif ref is None and re.search(r"\b(?:she|he)\b", title, re.I) and _spoken_of(ctx):
        ref = LeadRef(pronoun=True)  # "… tick it off and a new one to see if she signed"
    after_call = ref is None and _follows_call(ctx, title)
    if after_call:
        ref = LeadRef(pronoun=True)  # "log my call w marcus" then "set me a fu for fri"
    someone = someone_at(title)
    at_company = bool(someone and ref and ref.text.lower() == someone["co"].lower())
    lead = yield from _linked_lead(ctx, ref, at_company=at_company)
    nobody = lead is _NOBODY
    lead = None if nobody else lead
    # "fu w marcus re x": "Follow up with Marcus Reed re x", every word read with confidence
    tidy = follow_up_title(title, ref.text if ref else "", str(lead["name"])) if lead else None
    if lead and after_call:
        tidy = unnamed_follow_up_title(title, str(lead["name"]))
    if tidy:
        title = tidy
    else:
        title = named_in_title(title, lead, ref, someone if at_company else None)
    # "call him" with nobody found for "him" is a task nobody could act on: ask first.
    dangling = not lead and re.search(r"\b(?:him|her|them)\b", title, re.I)
    if dangling:
        return Reply(
            f"Who is “{dangling.group(0)}” here? I didn't create the task — say it again with "
            "the name, e.g. “remind me to call Chris Johnson tomorrow at 2”."
        )
    sure = title_confident(title, str(lead.get("name") or "") if lead else "")
    sure = sure and (bool(tidy) or not intent.slots.get("shorthand")) and not nobody
    sure = sure and not (due_unsure and not due)  # "yday": a day gone by, not a due date
    # "follow up w the vp of sales" with nobody linked: someone, but which? Shown first.
    sure = sure and not (not lead and ROLE_REFERENCE.search(title))
    values = [Written("title", title, "task", f"“{title}”", confident=sure)]
    if due:
        shown = replies.when(due, ctx.clock)
        values.append(Written("due_date", due, "due", shown, confident=not due_unsure))
    if priority:
        values.append(Written("priority", priority, "priority", priority))
    past = intent.slots.get("past") if not due else None
    plan = WritePlan(
        "create_task",
        {"lead_id": lead["id"]} if lead else {},
        tuple(values),
        "New task",
        (Unread("due date, as that day is already past,", str(past)),) if past else (),
    )
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    arguments = plan.call().input
    task = result.record("task") or arguments
    text = f"Created a task: **{task.get('title', title)}**"
    if task.get("due_date"):
        text += f", due {replies.when(task['due_date'], ctx.clock)}"
    if task.get("priority") and (priority or task["priority"] != "medium"):
        text += f" ({task['priority']} priority)"
    if lead:
        text += f", linked to {replies.lead_short(lead)}"
    return Reply(text + ".")


def _filter(
    tasks: list[dict[str, Any]], ctx: Ctx, when: str | None, priority: str | None
) -> list[dict[str, Any]]:
    out = []
    for task in tasks:
        bucket = replies.due_bucket(task, ctx.clock)
        today = replies.due_day(task, ctx.clock) == ctx.clock.now.date()
        if when == "today" and bucket != "today" and not today:
            continue  # "what's due today" includes today's tasks whose hour has passed
        if when == "overdue" and bucket != "overdue":
            continue
        if when == "tomorrow" and bucket != "tomorrow":
            continue
        if when == "week" and bucket not in ("today", "tomorrow", "week"):
            continue
        if when == "next_week" and bucket not in ("week", "later"):
            continue
        if priority and task.get("priority") != priority:
            continue
        out.append(task)
    return out


def list_tasks(ctx: Ctx) -> Plan:
    intent = ctx.intent
    ref: LeadRef = intent.slots.get("ref") or LeadRef()
    when: str | None = intent.slots.get("when")
    priority: str | None = intent.slots.get("priority")
    completed = bool(intent.slots.get("completed"))
    if not ref.empty:
        lead = yield from find_lead(ctx, ref, purpose="do you want the tasks of")
        return (
            yield from lead_tasks(
                ctx,
                lead,
                completed=completed,
                keep=lambda tasks: _filter(tasks, ctx, when, priority),
                narrowed=bool(when or priority),
            )
        )
    phrase = intent.slots.get("phrase")
    if phrase:  # "whats my bluth task": the tasks its words name
        keep = lambda ts: _filter(ts, ctx, when, priority)  # noqa: E731 - read once, here
        return (yield from about_tasks(ctx, phrase, keep, asked_done=completed))
    result = yield from one("list_tasks", completed=completed, limit=100)
    if result.is_error:
        return Reply(replies.failure(result))
    tasks = _filter(result.items("tasks"), ctx, when, priority)
    if completed:
        return Reply(
            replies.task_list(
                tasks, ctx.clock, f"Completed tasks ({len(tasks)}):", "No completed tasks."
            )
        )
    prio = f"{priority}-priority " if priority else ""
    if when in BUCKET_TITLES or when in ("week", "next_week"):
        heading = {
            "today": f"Due today ({len(tasks)}):",
            "overdue": f"Overdue ({len(tasks)}):",
            "tomorrow": f"Due tomorrow ({len(tasks)}):",
            "week": f"Due in the next 7 days ({len(tasks)}):",
            "next_week": f"Due next week and later ({len(tasks)}):",
        }[when or "today"]
        empty = {
            "today": f"Nothing {prio}due today. 🎉" if not prio else f"No {prio}tasks due today.",
            "overdue": f"Nothing {prio}overdue — you're on top of it.",
            "tomorrow": f"No {prio}tasks due tomorrow.",
            "week": f"No {prio}tasks due in the next 7 days.",
            "next_week": f"No {prio}tasks due next week.",
        }[when or "today"]
        return Reply(replies.task_list(tasks, ctx.clock, heading, empty))
    if not tasks:
        return Reply(f"You have no open {prio}tasks.")
    groups: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        groups.setdefault(replies.due_bucket(task, ctx.clock), []).append(task)
    parts = [f"You have {replies.plural(len(tasks), f'open {prio}task')}."]
    for bucket in ("overdue", "today", "tomorrow", "week", "later", "undated"):
        if groups.get(bucket):
            lines = [replies.task_label(t, ctx.clock) for t in groups[bucket][:8]]
            more = len(groups[bucket]) - len(lines)
            block = f"**{BUCKET_TITLES[bucket]}**\n" + replies.bullets(lines)
            parts.append(block + (f"\n- …and {more} more" if more > 0 else ""))
    return Reply("\n\n".join(parts))


def complete_task(ctx: Ctx) -> Plan:
    """One task done, or each of several named ("the X and the Y"): every one is found
    before any is marked, so a second not found leaves the first as it was."""
    phrases = ctx.intent.slots.get("phrases") or (ctx.intent.slots.get("phrase"),)
    found = []
    for index, phrase in enumerate(phrases):
        key = "task" if index == 0 else f"task:{index}"
        found.append((yield from find_task(ctx, phrase, purpose="should I mark done", key=key)))
    if len({str(task["id"]) for task in found}) < len(found):
        return Reply(
            "Those words found the same task twice, so I marked nothing done. Name each task "
            "with a few words of its title."
        )
    said = []
    for task in found:
        done = Written("completed", True, "mark", "done", "default")
        title = f"**{task.get('title')}**"
        plan = WritePlan("update_task", {"task_id": task["id"]}, (done,), title)
        result: Result = yield from write(ctx, plan)
        said.append(replies.failure(result) if result.is_error else f"Marked {title} as done. ✓")
    return Reply("\n\n".join(said))


def _task_at(ctx: Ctx, hour: int, minute: int) -> Gen:
    """ "my 3pm": the open task due at that time, today first, else the next day with one."""
    result: Result = yield from one("list_tasks", completed=False, limit=100)
    if result.is_error:
        raise Stop(Reply(replies.failure(result)))
    at: dict[Any, list[dict[str, Any]]] = {}
    for task in result.items("tasks"):
        moment = replies.parse_time(task.get("due_date"))
        local = moment.astimezone(ctx.clock.zone) if moment is not None else None
        if local is not None and (local.hour, local.minute) == (hour, minute):
            at.setdefault(local.date(), []).append(task)
    today = ctx.clock.now.date()
    days = sorted(at, key=lambda day: (day != today, day < today, abs((day - today).days)))
    if not days:
        raise Stop(
            Reply(
                f"I couldn't find an open task due at {hour:02d}:{minute:02d}. Say a few words "
                "of its title, e.g. “move the Jane pricing task to 4pm”."
            )
        )
    tasks = at[days[0]]
    if len(tasks) == 1:
        return tasks[0]
    options = [Option(str(t["id"]), replies.task_label(t, ctx.clock), t) for t in tasks[:8]]
    text = "Several open tasks are due then. Which one should I change?\n\n" + replies.numbered(
        [o.label for o in options]
    )
    return choose(ctx, "task", text, options)


def _moved(task: dict[str, Any], due: str, ctx: Ctx) -> str:
    """ "to 4" keeps the task's day, "to tmrw" its time: the part not said stays as it was."""
    was = replies.parse_time(task.get("due_date"))
    new = replies.parse_time(due)
    if was is None or new is None:
        return due
    was, new = was.astimezone(ctx.clock.zone), new.astimezone(ctx.clock.zone)
    if not ctx.intent.slots.get("day_text"):
        new = new.replace(year=was.year, month=was.month, day=was.day)
    if not ctx.intent.slots.get("time_raw"):
        new = new.replace(hour=was.hour, minute=was.minute)
    return iso(new)


def update_task(ctx: Ctx) -> Plan:
    intent = ctx.intent
    if (deal_move := deal_move_meant(ctx)) is not None:  # "push the acme one out a week"
        return (yield from move_listed_deal(ctx, deal_move))  # after a list of deals
    hour = intent.slots.get("hour")
    if hour is not None:  # "move my 3pm to 4"
        task = yield from _task_at(ctx, hour, intent.slots.get("minute") or 0)
    else:
        task = yield from find_task(ctx, intent.slots.get("phrase"), purpose="should I change")
    changes: dict[str, Any] = {}
    values: list[Written] = []
    due = intent.slots.get("due")
    if due and hour is not None:
        due = _moved(task, due, ctx)
    if intent.slots.get("shift_days"):  # "push it 2 days": from the day it is due on now
        was = replies.parse_time(task.get("due_date"))
        if was is None:
            return Reply(
                f"**{task.get('title')}** has no due date to move from. Say the day, e.g. "
                "“move it to friday”."
            )
        due = iso(
            was.astimezone(ctx.clock.zone) + timedelta(days=intent.slots.get("shift_days") or 0)
        )
    if due:
        changes["due_date"] = due
        # moved by so long and still in the past (an overdue task pushed a day): asked first
        moment = replies.parse_time(due)
        gone = (
            bool(intent.slots.get("shift_days")) and moment is not None and moment < ctx.clock.now
        )
        shown = replies.when(due, ctx.clock)
        values.append(Written("due_date", due, "due", shown, confident=not gone))
    if intent.slots.get("priority"):
        changes["priority"] = intent.slots.get("priority")
        values.append(Written("priority", changes["priority"], "priority", changes["priority"]))
    plan = WritePlan(
        "update_task", {"task_id": task["id"]}, tuple(values), f"Change **{task.get('title')}**"
    )
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    updated = result.record("task") or {**task, **changes}
    said = []
    if "due_date" in changes:
        said.append(f"now due {replies.when(updated.get('due_date'), ctx.clock)}")
    if "priority" in changes:
        said.append(f"{changes['priority']} priority")
    return Reply(f"Updated **{task.get('title')}**: " + ", ".join(said) + ".")


def delete_task(ctx: Ctx) -> Plan:
    task = yield from find_task(ctx, ctx.intent.slots.get("phrase"), purpose="should I delete")
    title = str(task.get("title"))
    say = (
        f"I'll delete the task **{title}**. This can't be undone (to close it instead, say "
        f"“done with {title}”). Approve or cancel below."
    )
    result = yield from gated("delete_task", say, task_id=task["id"])
    return Reply(replies.decided(result, f"Deleted the task **{title}**.", "deleting the task"))
