"""Plans for the daily questions (`intents/daily.py`), through the derived read tools.

One source of truth (#18): "who should I call next?" is `next_best_actions` and "what did I
do yesterday?" is `activity_report`, the same tools Claude calls and the daily summary is
computed by, so every model and the summary give the same answer. The person's own records,
in their timezone; these plans only word the answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.engine import Call, Plan, Reply, many, one
from coworker.llm.offline.plans.activity import names_for
from coworker.llm.offline.plans.pointed import lead_meant
from coworker.llm.offline.resolve import Ctx, choose, lead_option, my_user_id
from coworker.llm.offline.slots import LeadRef

SHOWN = 8
RECENT_BATCH = 10  # leads whose records are read at a time, newest first
RECENT_MAX = 40  # and at most this many: "this week" in a busy CRM says it stopped
PERIODS = {
    "yesterday": "yesterday",
    "today": "today",
    "this week": "this_week",
    "last week": "last_week",
}


def next_calls(ctx: Ctx) -> Plan:
    result = yield from one("next_best_actions", limit=SHOWN)
    if result.is_error:
        return Reply(replies.failure(result))
    lines = []
    for action in result.items("actions"):
        what = f"{action.get('suggested_action')} ({action.get('reason')})"
        who = action.get("lead")
        lines.append(f"**{who}** — {what}" if who else what)
    if not lines:
        return Reply("Nothing is due and there are no new leads waiting — you're clear.")
    return Reply("Start with these, most pressing first:\n\n" + replies.numbered(lines))


def _examples(data: dict[str, Any], kind: str) -> list[str]:
    found = (data.get("examples") or {}).get(kind) or []
    return [str(line) for line in found]


def activity_report(ctx: Ctx) -> Plan:
    when = str(ctx.intent.slots.get("when") or "yesterday")
    result = yield from one("activity_report", period=PERIODS.get(when, "yesterday"))
    if result.is_error:
        return Reply(replies.failure(result))
    data: dict[str, Any] = result.data or {}
    counts: dict[str, int] = data.get("counts") or {}
    called = ((data.get("example_lead_ids") or {}).get("calls")) or []
    names = yield from names_for(ctx, [{"lead_id": lead_id} for lead_id in called])
    with_whom = [names[i] for i in called if i in names]
    emails, done = _examples(data, "emails"), _examples(data, "tasks_done")
    lines = [
        f"{replies.plural(counts.get('calls', 0), 'call')}"
        + (f" (with {', '.join(with_whom)})" if with_whom else ""),
        f"{replies.plural(counts.get('emails', 0), 'email')} sent"
        + (": " + "; ".join(emails) if emails else ""),
        f"{replies.plural(counts.get('sms', 0), 'text')} sent",
        f"{replies.plural(counts.get('notes', 0), 'note')} logged",
        f"{replies.plural(counts.get('tasks_done', 0), 'task')} completed"
        + (": " + "; ".join(done) if done else ""),
        f"{replies.plural(counts.get('deals_moved', 0), 'deal')} moved",
    ]
    return Reply(f"What you did {when}:\n\n" + replies.bullets(lines))


def prep_brief(ctx: Ctx) -> Plan:
    ref: LeadRef | None = ctx.intent.slots.get("ref")
    if ref is not None and (ref.pronoun or ref.listed):  # "her", "the jane one"
        lead_id = yield from lead_meant(ctx, ref)
        result = yield from one("prep_brief", lead_id=lead_id)
    else:
        result = yield from one("prep_brief", name=str(ctx.intent.slots.get("name") or ""))
    if result.is_error:
        return Reply(replies.failure(result))
    data: dict[str, Any] = result.data or {}
    if data.get("choose_one"):  # "prep me for chris": ask, and brief on the one picked
        options = [lead_option(c) for c in data["choose_one"] if c.get("id")]
        text = "Which one do you mean?\n\n" + replies.numbered([o.label for o in options])
        lead = choose(ctx, "lead", text, options)
        result = yield from one("prep_brief", lead_id=str(lead["id"]))
        if result.is_error:
            return Reply(replies.failure(result))
        data = result.data or {}
    who: dict[str, Any] = data.get("who") or {}
    head = ", ".join(str(who[k]) for k in ("name", "title", "company") if who.get(k))
    lines = [f"**{head}** ({who.get('status')}; owner: {who.get('owner')})"]
    for task in data.get("open_tasks") or []:
        late = " — overdue" if task.get("overdue") else ""
        about = f": {task['about']}" if task.get("about") else ""
        lines.append(f"Open task: {task.get('title')} (due {task.get('due')}{late}){about}")
    for deal in data.get("open_deals") or []:
        lines.append(
            f"Deal: {deal.get('name')}, {deal.get('stage')}, {deal.get('value'):,.0f} "
            f"{deal.get('currency')}, {deal.get('age_days')} days old"
        )
    for note in (data.get("recent_notes") or [])[:3]:
        lines.append(f"Note {note.get('at')}: {note.get('text')}")
    for call in (data.get("recent_calls") or [])[:3]:
        lines.append(f"Call {call.get('at')}: {call.get('outcome')}")
    for email in (data.get("recent_emails") or [])[:3]:
        lines.append(f"Email {email.get('at')}: {email.get('subject')}")
    lines.append(f"Next step: {data.get('suggested_next_step')}")
    return Reply(replies.bullets(lines))


def pipeline_report(ctx: Ctx) -> Plan:
    whose = str(ctx.intent.slots.get("whose") or "mine")
    result = yield from one("pipeline_report", whose=whose)
    if result.is_error:
        return Reply(replies.failure(result))
    data: dict[str, Any] = result.data or {}
    side = data.get("yours" if whose == "mine" else "team") or {}
    stages = [
        f"{s.get('stage')}: {replies.plural(int(s.get('deals', 0)), 'deal')}, "
        f"{float(s.get('value', 0)):,.0f} {data.get('currency')}"
        for s in side.get("by_stage") or []
    ]
    if not stages:
        return Reply("There are no deals yet.")
    title = "Your pipeline" if whose == "mine" else "The team's pipeline"
    total = f"{float(side.get('open_value', 0)):,.0f} {data.get('currency')}"
    text = f"{title}: {side.get('open_deals')} open deals, {total} in total.\n\n"
    text += replies.bullets(stages)
    slipping = data.get("slipping_deals") or []
    if slipping:
        text += "\n\nSlipping (expected close date passed):\n\n" + replies.bullets(
            [f"{d.get('name')}, {d.get('days_overdue')} days late" for d in slipping]
        )
    return Reply(text)


def _window(ctx: Ctx, since: str) -> tuple[datetime, datetime | None, str]:
    """The start (and end) of "since" in the person's timezone, and how to say it."""
    midnight = ctx.clock.now.replace(hour=0, minute=0, second=0, microsecond=0)
    if since == "today":
        return midnight, None, "today"
    if since == "yesterday":
        return midnight - timedelta(days=1), midnight, "yesterday"
    if since == "since yesterday":
        return midnight - timedelta(days=1), None, "since yesterday"
    if since.startswith("days:"):
        days = max(1, int(since.split(":", 1)[1]))
        return midnight - timedelta(days=days - 1), None, f"in the last {days} days"
    return midnight - timedelta(days=midnight.weekday()), None, "this week"


def recent_leads(ctx: Ctx) -> Plan:
    """ "new leads since yday": the lead list has no date filter and shows no dates, so the
    newest leads' own records are read, newest first, until one is older than the window."""
    start, end, said = _window(ctx, str(ctx.intent.slots.get("since") or "today"))
    found: list[dict[str, Any]] = []
    older, read = False, 0
    while not older and read < RECENT_MAX:
        page = yield from one("search_leads", limit=RECENT_BATCH, page=read // RECENT_BATCH + 1)
        if page.is_error:
            return Reply(replies.failure(page))
        batch = page.items("leads")
        if not batch:
            break
        read += len(batch)
        results = yield from many([Call("get_lead", {"lead_id": str(x["id"])}) for x in batch])
        for lead, result in zip(batch, results, strict=False):
            record = result.record("lead") or lead
            added = replies.parse_time(record.get("created_at"))
            if added is None:
                continue
            if added < start:
                older = True
            elif end is None or added < end:
                found.append({**lead, **record})
        if len(batch) < RECENT_BATCH:
            break
    more = "" if older or read < RECENT_MAX else f" (I read the newest {RECENT_MAX}.)"
    yours = ""
    if ctx.intent.slots.get("mine"):  # "just mine not sam's": the person's own leads
        me = yield from my_user_id()
        if me is None:
            return Reply("I couldn't tell which leads are yours (I learn it from your tasks).")
        found, yours = [lead for lead in found if lead.get("owner_id") == me], " of yours"
    if not found:
        return Reply(f"No leads{yours} were added {said}.{more}")
    heading = f"{replies.plural(len(found), 'lead')}{yours} added {said}"
    if ctx.intent.slots.get("count"):
        return Reply(f"{heading}.{more}")
    lines = [replies.lead_line(lead) for lead in found[: replies.LIST_LIMIT]]
    rest = found[len(lines) :]
    text = f"{heading}, newest first:\n\n" + replies.bullets(lines)
    if rest:
        text += "\n\nAlso: " + ", ".join(replies.lead_short(lead) for lead in rest) + "."
    return Reply(text + (f"\n\n{more.strip()}" if more else ""))
