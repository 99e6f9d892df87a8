"""One message to many people, proposed as ONE batch: a send per person in one response.

The people are found with the ordinary read tools (leads by status and company; or the
leads of the open tasks due on a day, for "everyone I meet tomorrow"), then every send is
asked for in the same step, so the gate gives them one batch id and the person decides
them on one card (agent/batches.py). Each send is still its own card item: the person may
edit or leave out any of them. The text keeps the person's own words; an email opens with
the person's first name. Once every item is decided the plan is replayed and says how
each ended.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result, rejection_reason
from coworker.llm.offline.engine import Call, Plan, Reply, many, one
from coworker.llm.offline.intents import subject_from_body
from coworker.llm.offline.plans.messages import MAX_BODY, MAX_SMS, body_from_answer
from coworker.llm.offline.resolve import Ctx, ask_text

MAX_PEOPLE = 25  # the gate's default batch size; a larger group is asked to be narrowed


def _first(lead: dict[str, Any]) -> str:
    return str(lead.get("name") or "there").split()[0]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def bulk_send(ctx: Ctx) -> Plan:
    intent = ctx.intent
    email = intent.get("channel") == "email"
    if intent.get("group") == "meetings":
        people, group = yield from _met_on(ctx, str(intent.get("day")), intent.get("day_text"))
    else:
        people, group = yield from _leads_in(intent.get("status"), intent.get("company"))
    if isinstance(people, Reply):
        return people
    if not people:
        return Reply(f"I found no {group}, so there is no one to {'email' if email else 'text'}.")
    if len(people) > MAX_PEOPLE:
        return Reply(
            f"That's {len(people)} {group}; I can propose at most {MAX_PEOPLE} messages for "
            "one decision. Narrow it down (a status, a company) and ask again."
        )
    contact = "email" if email else "phone"
    reachable = [p for p in people if p.get(contact)]
    skipped = [p for p in people if not p.get(contact)]
    no_contact = "no email address" if email else "no phone number"
    left = (
        f"\n\nLeft out ({no_contact} on file): "
        + ", ".join(f"**{replies.lead_short(p)}**" for p in skipped)
        + "."
        if skipped
        else ""
    )
    if not reachable:
        return Reply(f"None of the {group} has {no_contact} on file.{left}")
    message: str | None = intent.get("message")
    if not message:
        noun = "emails" if email else "texts"
        message = body_from_answer(
            ask_text(
                ctx, "bulk:message", f"What should the {noun} to the {len(reachable)} {group} say?"
            )
        )
    calls = [_send(lead, message, email, bool(intent.get("greeting"))) for lead in reachable]
    say = _preview(calls, reachable, group, email) + left
    results = yield from many(calls, say)
    return Reply(_ended(results, reachable, email) + left)


def _send(lead: dict[str, Any], message: str, email: bool, greeting: bool) -> Call:
    if not email:
        return Call("send_sms", {"lead_id": lead["id"], "message": message[:MAX_SMS]})
    words = f"Just {message}." if greeting else _capitalised(message)
    body = f"Hi {_first(lead)},\n\n{words}"[:MAX_BODY]
    subject = _capitalised(subject_from_body(message))[:300]
    return Call("send_email", {"lead_id": lead["id"], "subject": subject, "body_text": body})


def _preview(calls: list[Call], people: list[dict[str, Any]], group: str, email: bool) -> str:
    first = calls[0].input
    what = (
        f"**Subject:** {first['subject']}\n\n{replies.quote(first['body_text'])}"
        if email
        else replies.quote(first["message"])
    )
    names = ", ".join(f"**{replies.lead_short(p)}**" for p in people)
    kind = "email" if email else "text"
    return (
        f"Here are {replies.plural(len(calls), kind)}, one to each of the {group}: {names}. "
        f"The first reads:\n\n{what}\n\nApprove all, leave out anyone, edit any of them, or "
        "cancel."
    )


def _ended(results: list[Result], people: list[dict[str, Any]], email: bool) -> str:
    done = [p for p, r in zip(people, results, strict=True) if r.decision == "approved"]
    rest = [(p, r) for p, r in zip(people, results, strict=True) if r.decision != "approved"]
    kind = "email" if email else "text"
    lines = []
    if done:
        names = ", ".join(f"**{p.get('name')}**" for p in done)
        lines.append(f"Sent {replies.plural(len(done), kind)}: {names}.")
    for person, result in rest:
        if result.decision == "waiting":  # the person wrote again while its card waits
            lines.append(f"The {kind} to **{person.get('name')}** still waits for your approval.")
            continue
        if result.decision == "rejected":
            reason = rejection_reason(result)  # "Left out of the batch", or theirs
            why = f"{reason[:1].lower()}{reason[1:]}" if reason else "you cancelled it"
        else:
            why = replies.decided(result, "", f"the {kind}")
        lines.append(f"Not sent to **{person.get('name')}**: {why}")
    return "\n\n".join(lines) if lines else "Nothing was sent."


def _leads_in(status: str | None, company: str | None) -> Any:
    """The leads of a status at a company, as the CRM lists them (one page: 25)."""
    search: dict[str, Any] = {}
    if status:
        search["status"] = status
    if company:
        search["search"] = company
    found: Result = yield from one("search_leads", **search)
    words = " ".join(w for w in (status, "leads") if w) + (f" at {company}" if company else "")
    if found.is_error:
        return Reply(replies.failure(found)), words
    leads = found.items("leads")
    if company:
        leads = [x for x in leads if company.lower() in str(x.get("company") or "").lower()]
    return leads, words


def _met_on(ctx: Ctx, day: str, said: str | None) -> Any:
    """The leads of the person's open tasks due on `day` (in their timezone), once each."""
    tasks: Result = yield from one("list_tasks", completed=False, limit=100)
    words = f"people you meet {said or day}"
    if tasks.is_error:
        return Reply(replies.failure(tasks)), words
    lead_ids: list[str] = []
    for task in tasks.items("tasks"):
        due, lead_id = task.get("due_date"), task.get("lead_id")
        if not due or not lead_id or lead_id in lead_ids:
            continue
        local = datetime.fromisoformat(str(due).replace("Z", "+00:00")).astimezone(ctx.clock.zone)
        if local.date().isoformat() == day:
            lead_ids.append(str(lead_id))
    if not lead_ids:
        return [], f"tasks with a lead due {said or day}"
    leads: list[Result] = yield from many([Call("get_lead", {"lead_id": i}) for i in lead_ids])
    people = [lead for r in leads if (lead := r.record("lead")) is not None]
    return people, words
