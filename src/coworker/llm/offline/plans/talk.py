"""Plans that are mostly words: help, greetings, "yes"/"no", the day's overview, tags, and
honest answers for what the offline model cannot do."""

from __future__ import annotations

from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Call, Plan, Reply, gated, many, one
from coworker.llm.offline.plans.corrections import already_done
from coworker.llm.offline.plans.deals import _total, deal_lines, open_pipeline_calls
from coworker.llm.offline.resolve import Ctx
from coworker.llm.offline.trust import WritePlan, Written, write

EXAMPLES = (
    "“anyone at Acme?” · “show me Jane Smith” · “new leads”",
    "“just talked to Jane, 10 minutes, very interested”",
    "“remind me to call Chris tomorrow at 10, high priority” · “what's overdue?”",
    "“email Jane about the pricing: …” · “text Jane: running 5 min late”",
    "“new deal for Acme, 12k, proposal stage” · “move the Initech deal to negotiation”",
)

HELP = """I'm running in **offline mode**: a built-in interpreter, no AI model. I understand
everyday requests about your Dialsheet CRM:

- **Leads** — find by name, company, email, phone or status; details with recent notes, tasks
  and calls; add a lead from a sentence; change status (“mark Jane as qualified”); tag; delete.
- **Notes** — “just talked to Jane, very interested”, “left Chris a voicemail”.
- **Tasks** — create with due dates and priority (“remind me to call Jane tomorrow at 10”);
  list open, due today or overdue; “done with the Acme follow-up”; reschedule.
- **Email & SMS** — “email Jane about the pricing: …”, “text Jane: running late”, “what did we
  send Jane?”. Nothing is sent until you approve it.
- **Sequences** — “put Jane in the post-demo sequence”.
- **Calls & deals** — call history; deals by stage or lead; “new deal for Acme, 12k, proposal
  stage”; move a stage or change a value.
- **Tags** — list and create. **Your day** — “what's on my plate today?”

Set an `ANTHROPIC_API_KEY` to unlock open conversation with Claude (drafting, summarising,
anything phrased freely)."""

UNSUPPORTED = {
    "logged_later": "OK, I haven't logged anything, since you said you'd log it yourself. "
    "Say “log it” if you'd like me to.",
    "outside": "I can't do that: it's outside what I can do, as I only work inside your "
    "Dialsheet CRM (leads, tasks, notes, deals, emails and texts), so I haven't done or "
    "changed anything. "
    "I can add a task to remind you about it, if you like.",
    "calendar": "I can't book calendar meetings offline. I can create a task for it instead — "
    "e.g. “remind me to set up a demo with Jane on Friday 2pm”.",
    "report": "I can't build reports, forecasts or exports offline. I can list your open deals "
    "by stage (“show deals in negotiation”), your pipeline, or today's overview.",
    "assign": "I can't reassign leads or change owners through the API. I can update a lead's "
    "status, details or tags.",
    "bulk": "I can't import, merge or de-duplicate leads offline. I can find leads and add them "
    "one at a time.",
    "undo": "I can't undo actions. Sent emails and texts can't be recalled; for other changes, "
    "tell me the new value (e.g. “mark Jane as new”).",
    "chat": "In offline mode I can only help with your CRM — no general chat. Set an "
    "ANTHROPIC_API_KEY for open conversation with Claude.",
    "social": "I can't reach social networks or other apps; only your Dialsheet CRM.",
    "thinking": "I can't write that offline, and I haven't changed anything: open-ended "
    "writing, summaries and advice need Claude (set an ANTHROPIC_API_KEY). Offline I can send "
    "the exact text you give me, and look things up.",
    "unenroll": "I can't remove a lead from a sequence or unsubscribe them through the API. You "
    "can pause the sequence in Dialsheet; I can mark the lead unqualified or log a note.",
    "new_sequence": "I can't create or edit sequences: the API only lets me enroll leads in "
    "the ones you already have, so I haven't changed anything. Build it in Dialsheet; then "
    "say “enroll Jane Smith in <sequence>”, or “list sequences” to see them.",
    "tracking": "I can't see whether an email was opened or clicked — the API only has what "
    "was sent. Say “what did we send Jane?” to see it.",
    "delete_tag": "I can't delete tags through the API. I can remove a tag from a lead "
    "(“remove the hot tag from Jane”).",
    "delete_deal": "Deals can't be deleted through the API. I can mark it closed lost instead "
    "(“mark the Initech deal as lost”).",
    "delete_other": "Notes, emails, texts and calls can't be deleted through the API.",
    "bulk_delete": "I won't delete leads in bulk. Name the lead to delete, one at a time.",
    "resend": "I haven't sent anything more: which leads should get it, and what should it say? "
    "Say it in full, e.g. “email all my acme leads: …”, and I'll show each message before it goes.",
}


# Errands outside the CRM, refused by name ("book a hotel", "move it in my google calendar").
_ERRANDS = frozenset({"outside", "calendar", "social"})


def help_plan(ctx: Ctx) -> Plan:
    return Reply(HELP)
    yield  # pragma: no cover - makes this a generator


def greet(ctx: Ctx) -> Plan:
    name = (ctx.clock.user_name or "").split()[0] if ctx.clock.user_name else ""
    if ctx.intent.slots.get("thanks"):
        return Reply("You're welcome! Anything else?")
    if ctx.intent.slots.get("bye"):
        return Reply("Bye for now!")
    hello = f"Hi {name}!" if name else "Hi!"
    return Reply(
        f"{hello} What can I do for you in the CRM? For example: "
        + EXAMPLES[0]
        + ", or “what's on my plate today?”. Say “help” for more."
    )
    yield  # pragma: no cover


def unsupported(ctx: Ctx) -> Plan:
    topic = str(ctx.intent.slots.get("topic") or "unknown")
    said = ctx.utterance.raw.strip()
    if topic in _ERRANDS and ctx.message and ctx.message.strip() != said:
        # one part of a message whose other parts run: only this part is left undone
        return Reply(
            f"I can't do “{said}”: that's outside your Dialsheet CRM, so I've left that part alone."
        )
    specific = UNSUPPORTED.get(topic)
    if specific:
        return Reply(specific)
    return Reply(
        "I can't do that offline — I only understand CRM requests like these:\n\n"
        + replies.bullets(list(EXAMPLES))
        + "\n\nSay “help” for everything I can do. With an ANTHROPIC_API_KEY set, Claude can "
        "handle open-ended requests."
    )
    yield  # pragma: no cover


def simple(text: str) -> Any:
    def plan(ctx: Ctx) -> Plan:
        return Reply(text)
        yield  # pragma: no cover

    return plan


empty = simple("I didn't get any text. What can I do for you in the CRM? Say “help” for examples.")
noise = simple(
    "I can only read words — tell me what you need in the CRM, e.g. “what's on my "
    "plate today?” or “find Jane Smith”. Say “help” for more."
)
foreign = simple(
    "Sorry — in offline mode I only understand English requests. Try e.g. “show my "
    "tasks due today”. With an ANTHROPIC_API_KEY set, Claude can understand other "
    "languages."
)


def too_long(ctx: Ctx) -> Plan:
    size = len(ctx.utterance.raw)
    return Reply(
        f"That's a long message ({size:,} characters). Offline I follow short requests, "
        "one at a time — e.g. “log a note on Jane: …” followed by the text. What would "
        "you like me to do?"
    )
    yield  # pragma: no cover


def confirm(ctx: Ctx, pending: Call | None, pending_say: str) -> Plan:
    """ "yes"/"no" typed instead of using the card: offer the superseded action again."""
    done = already_done(ctx.memory) if ctx.memory.since_change == 0 else None
    if ctx.intent.slots.get("yes"):
        if pending is None:  # nothing waits: say what the last request already did, if any
            return Reply(done or "OK. What would you like me to do next?")
        say = (
            pending_say or "Here it is again."
        ) + "\n\n(Approve it with the card's button — a typed “yes” can't approve it.)"
        result: Result = yield from gated(pending.name, say, **pending.input)
        sent = result.record("email") or {}
        if sent.get("subject"):  # what was actually sent, the person's edits included
            pending = Call(pending.name, {**pending.input, "subject": sent["subject"]})
        return Reply(replies.decided(result, _done_text(ctx, pending), "that"))
    if pending is not None:
        return Reply("OK, I won't do it. Nothing was sent or changed.")
    if done is not None:  # a bare "no" after a change: never taken back on a guess
        last = ctx.memory.last_write
        back = "it removed" if last and last.tool.startswith("create_") else "me to take it back"
        return Reply(f"{done}\n\nSay **undo that** if you want {back}.")
    return Reply("OK, never mind — nothing was changed. Anything else?")


def _done_text(ctx: Ctx, pending: Call) -> str:
    who = ctx.memory.lead_name(str(pending.input.get("lead_id") or "")) or pending.input.get(
        "to_email"
    )
    to = f" to **{who}**" if who else ""
    if pending.name == "send_email":
        return f"Sent the email “{pending.input.get('subject', '')}”{to}."
    if pending.name == "send_sms":
        return f"Sent the text{to}."
    if pending.name == "enroll_in_sequence":
        return f"Enrolled{(' **' + who + '**') if who else ''} in the sequence."
    if pending.name == "delete_lead":
        return f"Deleted{(' **' + who + '**') if who else ' the lead'}."
    return "Deleted the task."


def _new_lead_line(lead: dict[str, Any]) -> str:
    company = f" — {lead['company']}" if lead.get("company") else ""
    return f"**{lead.get('name')}**{company}"


def overview(ctx: Ctx) -> Plan:
    results = yield from many(
        [
            Call("list_tasks", {"completed": False, "limit": 100}),
            Call("search_leads", {"status": "new", "limit": 5}),
            *open_pipeline_calls(),
        ]
    )
    tasks_result, leads_result, *deal_results = results
    clock = ctx.clock
    tasks = tasks_result.items("tasks")
    today = [t for t in tasks if replies.due_bucket(t, clock) == "today"]
    overdue = [t for t in tasks if replies.due_bucket(t, clock) == "overdue"]
    parts = [f"**Your day — {clock.now:%A} {clock.now.day} {clock.now:%B}**"]
    if tasks_result.is_error:
        parts.append(replies.failure(tasks_result))
    else:
        parts.append(
            replies.task_list(today, clock, f"**Due today ({len(today)})**", "Nothing due today.")
        )
        if overdue:
            parts.append(replies.task_list(overdue, clock, f"**Overdue ({len(overdue)})**", ""))
    leads = leads_result.items("leads")
    if leads:
        total = int((leads_result.data or {}).get("total") or len(leads))
        parts.append(
            f"**New leads** — {total} with status new; the newest:\n"
            + replies.bullets([_new_lead_line(lead) for lead in leads[:5]])
        )
    deals = [d for r in deal_results for d in r.items("opportunities")]
    if deals:
        soonest = sorted(deals, key=lambda d: str(d.get("expected_close_date") or "9999"))
        parts.append(
            f"**Open deals** — {len(deals)}, worth {_total(deals)}; closing soonest:\n"
            + replies.bullets(deal_lines(soonest, ctx, limit=5))
        )
    return Reply("\n\n".join(p for p in parts if p))


def list_tags(ctx: Ctx) -> Plan:
    result: Result = yield from one("list_tags")
    if result.is_error:
        return Reply(replies.failure(result))
    tags = result.items("tags")
    if not tags:
        return Reply("There are no tags yet. Say “create a tag called hot” to add one.")
    return Reply(f"Your tags ({len(tags)}): " + ", ".join(f"`{t.get('name')}`" for t in tags) + ".")


def create_tag(ctx: Ctx) -> Plan:
    name = str(ctx.intent.slots.get("name") or "").strip()[:50]
    color = ctx.intent.slots.get("color")
    values = [Written("name", name, "name", f"`{name}`", confident=bool(name))]
    if color:
        values.append(Written("color", color, "colour", str(color)))
    plan = WritePlan("create_tag", {}, tuple(values), "New tag")
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        if "already" in result.content.lower() or "exists" in result.content.lower():
            return Reply(f"There's already a tag called “{name}”, so nothing changed.")
        return Reply(replies.failure(result))
    return Reply(f"Created the tag `{name}`" + (f" ({color})" if color else "") + ".")
