"""Activity plans: log a note (with a call outcome), list notes, call history."""

from __future__ import annotations

from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Call, Plan, Reply, many, one
from coworker.llm.offline.intents.reasons import reason_said
from coworker.llm.offline.resolve import Ctx, ask_text, find_lead, my_user_id
from coworker.llm.offline.slots import LeadRef
from coworker.llm.offline.trust import WritePlan, Written, write
from coworker.llm.offline.vocab import outcome_in

MAX_NOTE = 10_000
NAME_LOOKUPS = 10  # at most one per line shown


def add_note(ctx: Ctx) -> Plan:
    intent = ctx.intent
    ref: LeadRef = intent.slots.get("ref") or LeadRef()
    # "log a call: left vm" right after Chris was shown: his, most likely, but not said;
    # the note is shown with his name and asked about first.
    implied = ctx.memory.lead if ref.empty else None
    lead = implied or (yield from find_lead(ctx, ref, purpose="should the note go on"))
    content: str | None = intent.slots.get("content")
    outcome: str | None = intent.slots.get("outcome")
    if not content and intent.slots.get("why"):  # "saying why": the reason the message gave
        content = reason_said(ctx.message or ctx.utterance.raw)
    if not content:
        answer = ask_text(ctx, "note:content", f"What should the note on {lead.get('name')} say?")
        content = answer.strip()
        outcome = outcome or outcome_in(answer.lower())
    if len(content) > MAX_NOTE:
        content = content[: MAX_NOTE - 1] + "…"
    values = [Written("content", content, "note", replies.quote(content))]
    if outcome:
        values.append(Written("outcome", outcome, "outcome", outcome))
    ids = {"lead_id": lead["id"]}
    if implied is not None:
        ids = {}
        who = replies.lead_short(lead)
        values.insert(0, Written("lead_id", lead["id"], "on", f"**{who}**", "crm", False))
    headline = "New note" if implied is not None else f"Note on **{lead.get('name')}**"
    plan = WritePlan("create_note", ids, tuple(values), headline)
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    label = f" (outcome: {replies.OUTCOME_NAMES.get(outcome, outcome)})" if outcome else ""
    short = content if len(content) <= 200 else content[:199] + "…"
    return Reply(
        f"Logged a note on **{replies.lead_short(lead)}**{label}:\n\n{replies.quote(short)}"
    )


def names_for(ctx: Ctx, items: list[dict[str, Any]]) -> Any:
    """Lead names for the records' lead ids: from memory, else looked up (a few at most)."""
    names = {
        lead_id: str(lead.get("name"))
        for lead_id, lead in ctx.memory.leads.items()
        if lead.get("name")
    }
    unknown: list[str] = []
    for item in items:
        lead_id = str(item.get("lead_id") or "")
        if lead_id and lead_id not in names and lead_id not in unknown:
            unknown.append(lead_id)
    results = yield from many([Call("get_lead", {"lead_id": i}) for i in unknown[:NAME_LOOKUPS]])
    for lead_id, result in zip(unknown, results, strict=False):
        lead = result.record("lead")
        if lead and lead.get("name"):
            names[lead_id] = str(lead["name"])
    return names


def list_notes(ctx: Ctx) -> Plan:
    ref: LeadRef = ctx.intent.slots.get("ref") or LeadRef()
    if ref.empty:
        result: Result = yield from one("list_notes", limit=10)
        if result.is_error:
            return Reply(replies.failure(result))
        notes = result.items("notes")
        names = yield from names_for(ctx, notes)
        if not notes:
            return Reply("There are no notes yet.")
        lines = [_note_line(ctx, n, names.get(str(n.get("lead_id")))) for n in notes]
        return Reply("Latest notes:\n\n" + replies.bullets(lines))
    lead = yield from find_lead(ctx, ref, purpose="do you want notes for")
    result = yield from one("list_notes", lead_id=lead["id"])
    if result.is_error:
        return Reply(replies.failure(result))
    notes = result.items("notes")
    name = replies.lead_short(lead)
    if not notes:
        return Reply(f"There are no notes on **{name}** yet.")
    total = int((result.data or {}).get("total") or len(notes))
    text = f"Notes on **{name}** ({total}), newest first:\n\n" + replies.bullets(
        [_note_line(ctx, n, None) for n in notes[:10]]
    )
    return Reply(text)


def _note_line(ctx: Ctx, note: dict[str, Any], who: str | None) -> str:
    when = replies.when(note.get("created_at"), ctx.clock, with_time=False)
    outcome = (
        f" ({replies.OUTCOME_NAMES.get(str(note.get('outcome')), note.get('outcome'))})"
        if note.get("outcome")
        else ""
    )
    prefix = f"{when}" + (f", {who}" if who else "")
    return f"{prefix}: {replies._cut(note.get('content'), 200)}{outcome}"


def list_calls(ctx: Ctx) -> Plan:
    ref: LeadRef = ctx.intent.slots.get("ref") or LeadRef()
    when: str | None = ctx.intent.slots.get("when")
    if ref.empty and ctx.intent.slots.get("mine"):
        return (yield from _my_calls(ctx, when))
    if ref.empty:
        result: Result = yield from one("list_calls", limit=25 if when else 10)
        if result.is_error:
            return Reply(replies.failure(result))
        calls = _on_day(ctx, result.items("calls"), when)[:10]
        if not calls:
            return Reply(f"No calls {when}." if when else "No calls recorded yet.")
        names = yield from names_for(ctx, calls)
        lines = [replies.call_line(c, ctx.clock, names.get(str(c.get("lead_id")))) for c in calls]
        heading = f"Calls {when}:" if when else "Latest calls:"
        return Reply(heading + "\n\n" + replies.bullets(lines))
    lead = yield from find_lead(ctx, ref, purpose="do you want the call history of")
    result = yield from one("list_calls", lead_id=lead["id"])
    if result.is_error:
        return Reply(replies.failure(result))
    calls = _on_day(ctx, result.items("calls"), when)
    name = replies.lead_short(lead)
    if not calls:
        return Reply(
            f"No calls with **{name}** yet." if not when else f"No calls with **{name}** {when}."
        )
    total = int((result.data or {}).get("total") or len(calls))
    lines = [replies.call_line(c, ctx.clock) for c in calls[:10]]
    return Reply(f"Calls with **{name}** ({total}), newest first:\n\n" + replies.bullets(lines))


def _my_calls(ctx: Ctx, when: str | None) -> Plan:
    """ "who did i call yday": the person's own calls, not the team's. Each call's rep
    (`user_id`) is matched against the person when the call list shows it; otherwise the
    activity report, which tells the person's calls from the team's itself, says how many
    and with whom."""
    said = when or "today"
    # the team's calls, newest first: yesterday's sit behind today's, so a page big enough
    # to reach back a day
    result: Result = yield from one("list_calls", limit=100 if said == "yesterday" else 25)
    if result.is_error:
        return Reply(replies.failure(result))
    calls = result.items("calls")
    if calls and all("user_id" in c for c in calls):
        me = yield from my_user_id()
        if me is not None:
            mine = _on_day(ctx, [c for c in calls if c.get("user_id") == me], said)[:10]
            if not mine:
                return Reply(f"You have no calls logged {said}.")
            names = yield from names_for(ctx, mine)
            lines = [
                replies.call_line(c, ctx.clock, names.get(str(c.get("lead_id")))) for c in mine
            ]
            return Reply(f"Your calls {said}:\n\n" + replies.bullets(lines))
    report = yield from one("activity_report", period=said)
    if report.is_error:
        return Reply(replies.failure(report))
    data: dict[str, Any] = report.data or {}
    count = int((data.get("counts") or {}).get("calls") or 0)
    if not count:
        return Reply(f"You have no calls logged {said}.")
    called = [str(i) for i in (data.get("example_lead_ids") or {}).get("calls") or []]
    names = yield from names_for(ctx, [{"lead_id": lead_id} for lead_id in called])
    who = [names[i] for i in called if i in names]
    text = f"You made {replies.plural(count, 'call')} {said}"
    if who:
        every = count <= len((data.get("examples") or {}).get("calls") or [])
        text += (" — with " if every else " — among them with ") + ", ".join(who)
    if data.get("note"):
        text += "\n\n(I couldn't tell your calls from the team's: these are everyone's.)"
    return Reply(text + ".")


def _on_day(ctx: Ctx, calls: list[dict[str, Any]], when: str | None) -> list[dict[str, Any]]:
    if when not in ("today", "yesterday"):
        return calls
    from datetime import timedelta

    day = ctx.clock.now.date() - timedelta(days=1 if when == "yesterday" else 0)
    out = []
    for c in calls:
        moment = replies.parse_time(c.get("started_at"))
        if moment is not None and moment.astimezone(ctx.clock.zone).date() == day:
            out.append(c)
    return out
