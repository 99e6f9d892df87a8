"""One message to many people, proposed as ONE batch: a send per person in one response.

The people are found with the ordinary read tools (leads by every filter the person said:
status, company, tag, theirs; or the leads of the open tasks due on a day, for "everyone I
meet tomorrow", narrowed the same way), then every send is
asked for in the same step, so the gate gives them one batch id and the person decides
them on one card (agent/batches.py). Each send is still its own card item: the person may
edit or leave out any of them. The text keeps the person's own words; an email opens with
the person's first name. Once every item is decided the plan is replayed and says how
each ended. A status change over a group (`bulk_status`) finds its leads the same way.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result, rejection_reason
from coworker.llm.offline.engine import Call, Plan, Reply, many, one
from coworker.llm.offline.intents import subject_from_body
from coworker.llm.offline.intents.common import Intent
from coworker.llm.offline.plans.lead_lists import leads_tagged, read_all_leads, which_tag
from coworker.llm.offline.plans.messages import MAX_BODY, MAX_SMS, body_from_answer
from coworker.llm.offline.resolve import Ctx, ask_text, my_user_id
from coworker.llm.offline.trust import WritePlan, Written, write_all

MAX_PEOPLE = 25  # the gate's default batch size; a larger group is asked to be narrowed


def _first(lead: dict[str, Any]) -> str:
    return str(lead.get("name") or "there").split()[0]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def bulk_send(ctx: Ctx) -> Plan:
    intent = ctx.intent
    email = intent.slots.get("channel") == "email"
    verb = "email" if email else "text"
    if intent.slots.get("group") == "meetings":
        people, group = yield from _met_on(
            ctx, str(intent.slots.get("day")), intent.slots.get("day_text")
        )
        if isinstance(people, list) and people and _narrowed(intent):
            people, group = yield from group_leads(intent, verb, among=people)
    else:
        people, group = yield from group_leads(intent, verb)
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
        return Reply(f"None of {_the(group)} has {no_contact} on file.{left}")
    message: str | None = intent.slots.get("message")
    if not message:
        noun = "emails" if email else "texts"
        message = body_from_answer(
            ask_text(
                ctx,
                "bulk:message",
                f"What should the {noun} to {_the(group)} ({len(reachable)}) say?",
            )
        )
    calls = [_send(lead, message, email, bool(intent.slots.get("greeting"))) for lead in reachable]
    say = _preview(calls, reachable, group, email) + left
    results = yield from many(calls, say)
    return Reply(_ended(results, reachable, email) + left)


def bulk_status(ctx: Ctx) -> Plan:
    """ "mark all my new acme leads as contacted": every lead of the group, and only those."""
    status = ctx.intent.slots.get("mark_as") or ""
    people, group = yield from group_leads(ctx.intent, f"mark as {status}")
    if isinstance(people, Reply):
        return people
    if not people:
        return Reply(f"I found no {group}, so I haven't marked anyone {status}.")
    targets = [lead for lead in people if lead.get("status") != status]
    if not targets:
        return Reply(f"All of {_the(group)} ({len(people)}) are already {status}.")
    if len(targets) > MAX_PEOPLE:
        return Reply(
            f"That's {len(targets)} {group}; I change at most {MAX_PEOPLE} at once. Narrow it "
            "down (a status, a company) and ask again."
        )
    return (yield from mark_all(ctx, targets, status))


def mark_all(ctx: Ctx, targets: list[dict[str, Any]], status: str) -> Plan:
    """Every lead of `targets` marked `status`, shown and asked first (`write_all`)."""
    results = yield from write_all(
        ctx,
        [
            WritePlan(
                "update_lead",
                {"lead_id": lead["id"]},
                (Written("status", status, "status", status),),
                f"Mark **{replies.lead_short(lead)}**",
            )
            for lead in targets
        ],
    )
    done = [lead for lead, r in zip(targets, results, strict=True) if not r.is_error]
    text = f"Marked {replies.plural(len(done), 'lead')} as {status}: " + ", ".join(
        f"**{replies.lead_short(lead)}**" for lead in done
    )
    failed = len(targets) - len(done)
    return Reply(text + "." + (f" {failed} failed." if failed else ""))


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
        f"Here {'is' if len(calls) == 1 else 'are'} {replies.plural(len(calls), kind)}, "
        f"one to each of {_the(group)}: {names}. "
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


def group_leads(intent: Intent, verb: str, among: list[dict[str, Any]] | None = None) -> Any:
    """The leads a group's filters name (`intents.bulk.read_group`), each filter applied,
    with the group in words; a Reply instead when a filter can't be applied: a word read as
    no filter, a company no lead works at, a tag nobody has. The person is then asked,
    shown what was understood: a smaller group they named is never widened to a guess.
    `among`: the people to narrow (the ones met on a day) instead of the CRM's leads."""
    status: str | None = intent.slots.get("status")
    company: str | None = intent.slots.get("company")
    words = _group_words(intent, intent.slots.get("tag"), among is not None)
    if intent.slots.get("unread"):
        return Reply(
            f"Which leads should I {verb}? I understood {words}, but not "
            f"“{intent.slots.get('unread')}”, so I haven't done anything. Say it with a status, a "
            "company, a tag or “my”."
        ), words
    tag = None
    if intent.slots.get("tag"):
        tags: Result = yield from one("list_tags")
        names = [str(t.get("name")) for t in tags.items("tags") if t.get("name")]
        tag = which_tag(str(intent.slots.get("tag")), names)
        if tag is None:
            known = ", ".join(f"`{n}`" for n in names) or "none yet"
            return Reply(
                f"There's no tag called “{intent.slots.get('tag')}”, so I haven't done anything. "
                f"Your tags: {known}. Which leads should I {verb}?"
            ), words
        words = _group_words(intent, tag, among is not None)
    leads = among
    if leads is None:
        leads, _ = yield from read_all_leads({"search": company} if company else {})
    if company:
        leads = [x for x in leads if company.lower() in str(x.get("company") or "").lower()]
        if not leads and among is None:
            return Reply(
                f"I found no leads at a company called “{company}”, so I haven't done "
                f"anything. Which leads should I {verb}?"
            ), words
    if status:
        leads = [x for x in leads if x.get("status") == status]
    if intent.slots.get("mine"):
        me = yield from my_user_id()
        if me is None:
            return Reply(
                "I couldn't tell which leads are yours (I learn it from your tasks, and you "
                "have none), so I haven't done anything."
            ), words
        leads = [x for x in leads if x.get("owner_id") == me]
    if tag is not None and leads:
        tagged = yield from leads_tagged(leads, tag)
        if tagged is None:
            return Reply(
                f"There are {len(leads)} leads to check for the tag `{tag}` one by one; narrow "
                "it down (a company, a status) and ask again."
            ), words
        leads = tagged
    for name in _names(intent.slots.get("excluded")):
        left_out = [x for x in leads if _called(x, name)]
        if not left_out:  # a name we can't match would be a lead changed against their word
            return Reply(
                f"You said to leave out “{name}”, but none of {_the(words)} is called that, so "
                f"I haven't done anything. Which leads should I {verb}?"
            ), words
        leads = [x for x in leads if x not in left_out]
    return leads, words


def _names(excluded: str | None) -> list[str]:
    """ "luis and priya", "jane, tom": each name left out of a group."""
    if not excluded:
        return []
    return [n for n in re.split(r"\s*(?:,|&|\+|/|\band\b|\bor\b)\s*", excluded, flags=re.I) if n]


def _called(lead: dict[str, Any], name: str) -> bool:
    """Every word said starts a word of the lead's name ("luis", "jane s", "Priya Shah")."""
    words = str(lead.get("name") or "").lower().split()
    return all(any(w.startswith(said) for w in words) for said in name.lower().split())


def _narrowed(intent: Intent) -> bool:
    return any(intent.slots.get(k) for k in ("status", "company", "tag", "mine", "unread"))


def _the(group: str) -> str:
    return group if group.startswith("your ") else f"the {group}"


def _group_words(intent: Intent, tag: str | None, met: bool = False) -> str:
    """ "your new leads at acme tagged `hot`": the group as understood, to show back."""
    noun = f"people you meet {intent.slots.get('day_text') or 'today'}" if met else "leads"
    words = " ".join(w for w in (intent.slots.get("status"), noun) if w)
    words = ("your " if intent.slots.get("mine") else "") + words
    if intent.slots.get("company"):
        words += f" at {intent.slots.get('company')}"
    if tag:
        words += f" tagged `{tag}`"
    return words


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
