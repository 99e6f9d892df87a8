"""Lead edits: create a lead, change its status or fields, tag it, delete it.

Every plan here writes to the CRM through a card the person approves (`trust.write`), so
what a change says and how sure it is sits apart from the look-ups in `leads`.
"""

from __future__ import annotations

import re
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Plan, Reply, gated, one
from coworker.llm.offline.lead_search import search_leads
from coworker.llm.offline.plans.bulk import mark_all
from coworker.llm.offline.resolve import Ctx, ask_text, find_lead
from coworker.llm.offline.slots import LeadRef
from coworker.llm.offline.trust import WritePlan, Written, crm, text_confident, write


def create_lead(ctx: Ctx) -> Plan:
    intent = ctx.intent
    name: str | None = intent.get("name")
    if not name:
        name = ask_text(
            ctx,
            "lead:new_name",
            "What's the new lead's name? You can add their email, phone and company too.",
        )
        parsed = _parse_answer_fields(name)
        name = parsed.pop("name", None) or name.strip()
        extra = parsed
    else:
        extra = {}
    fields = {k: intent.get(k) for k in ("email", "phone", "company", "title", "status", "source")}
    fields.update({k: v for k, v in extra.items() if v})
    email = fields.get("email")
    if email:
        existing: Result = yield from one("search_leads", search=email)
        same = [
            lead
            for lead in existing.items("leads")
            if str(lead.get("email", "")).lower() == email.lower()
        ]
        if same:
            return Reply(
                f"There's already a lead with {email}: {replies.lead_line(same[0])}. "
                "I didn't create a duplicate."
            )
    values = [Written("name", name[:200], "name", name[:200])]
    for key, value in fields.items():
        if value:
            text = str(value)
            sure = key not in ("company", "title") or text_confident(text, field_value=True)
            values.append(Written(key, value, key, text, confident=sure))
    plan = WritePlan("create_lead", {}, tuple(values), "New lead")
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    lead = result.record("lead") or {"name": name}
    extras = [str(lead[k]) for k in ("email", "phone") if lead.get(k)]
    text = f"Added **{replies.lead_short(lead)}** as a new lead"
    text += (" · " + " · ".join(extras) if extras else "") + "."
    if not lead.get("email") and not lead.get("phone"):
        text += " No email or phone yet — tell me if you have them."
    return Reply(text)


def _parse_answer_fields(text: str) -> dict[str, Any]:
    from coworker.llm.offline.intents import lead_fields

    return dict(lead_fields(text).slots)


def update_status(ctx: Ctx) -> Plan:
    status: str = ctx.intent.get("status")
    ref: LeadRef = ctx.intent.get("ref") or LeadRef()
    if ctx.intent.get("bulk") and ref.text:
        leads, _ = yield from search_leads(ref)
        targets = [lead for lead in leads if lead.get("status") != status]
        if not leads:
            return Reply(replies.no_lead(ref))
        if not targets:
            return Reply(
                f"All {replies.plural(len(leads), 'lead')} matching “{ref.text}” are already"
                f" {status}."
            )
        return (yield from mark_all(ctx, targets, status))
    lead = yield from find_lead(ctx, ref, purpose=f"should I mark as {status}")
    if lead.get("status") == status:
        return Reply(f"**{replies.lead_short(lead)}** is already {status}.")
    plan = WritePlan(
        "update_lead",
        {"lead_id": lead["id"]},
        (Written("status", status, "status", status),),
        f"Mark **{replies.lead_short(lead)}**",
    )
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    was = f" (was {lead['status']})" if lead.get("status") else ""
    return Reply(f"Marked **{replies.lead_short(lead)}** as {status}{was}.")


def update_lead(ctx: Ctx) -> Plan:
    changes: dict[str, Any] = dict(ctx.intent.get("changes") or {})
    lead = yield from find_lead(ctx, ctx.intent.get("ref") or LeadRef(), purpose="should I update")
    asked: set[str] = set()
    for key in [k for k, v in changes.items() if v is None]:  # "jane moved companies"
        answer = ask_text(
            ctx,
            f"lead:{key}",
            f"Which {key} did **{replies.lead_short(lead)}** move to? "
            "I'll update it once you tell me.",
        )
        changes[key] = _said_value(answer)
        asked.add(key)
    implied = bool(ctx.intent.get("implied"))
    values = tuple(
        Written(
            key,
            value,
            key,
            str(value),
            confident=not implied
            and (
                key not in ("company", "title", "name")
                or text_confident(str(value), field_value=True)
            )
            and (key not in asked or len(str(value).split()) <= 3),
        )
        for key, value in changes.items()
    )
    # What each field holds now, so a card asked about a hedged value ("office mgr i think?")
    # also answers it: the person sees the CRM's value beside theirs.
    now = [f"{key} now “{lead[key]}”" for key in changes if lead.get(key)]
    headline = f"Update **{replies.lead_short(lead)}**" + (f" ({', '.join(now)})" if now else "")
    plan = WritePlan("update_lead", {"lead_id": lead["id"]}, values, headline)
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    said = ", ".join(
        f"{field} to **{value}**" + (f" (was {lead[field]})" if lead.get(field) else "")
        for field, value in changes.items()
    )
    return Reply(f"Updated {lead.get('name')}'s {said}.")


def _said_value(answer: str) -> str:
    """ "she's at hooli now" -> "hooli": the value in an answer to "which company?"."""
    text = re.sub(
        r"^(?:(?:she|he|they)(?:'s|s| is| are|'re)\s+(?:now\s+)?(?:at|with|over at)|"
        r"(?:she|he|they)\s+(?:moved|went|switched)\s+(?:over\s+)?to|it'?s|its|to|at)\s+",
        "",
        answer.strip(),
        flags=re.I,
    )
    return re.sub(r"\s+now$", "", text, flags=re.I).strip(" .!") or answer.strip()


def tag_lead(ctx: Ctx) -> Plan:
    tag: str = ctx.intent.get("tag")
    remove = bool(ctx.intent.get("remove"))
    lead = yield from find_lead(
        ctx,
        ctx.intent.get("ref") or LeadRef(),
        purpose="should I " + ("untag" if remove else "tag"),
    )
    current: Result = yield from one("get_lead", lead_id=lead["id"])
    if current.is_error:
        return Reply(replies.failure(current))
    tags = [str(t) for t in (current.record("lead") or {}).get("tags") or []]
    name = replies.lead_short(lead)
    if remove:
        if tag not in tags:
            return Reply(f"**{name}** isn't tagged “{tag}”.")
        tags = [t for t in tags if t != tag]
    else:
        if tag in tags:
            return Reply(f"**{name}** is already tagged “{tag}”.")
        tags = [*tags, tag]
    plan = WritePlan(
        "update_lead",
        {"lead_id": lead["id"]},
        (crm("tags", tags, "tags", ", ".join(tags) or "none"),),
        f"Tags of **{name}**",
    )
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    verb = "Removed the tag" if remove else "Tagged"
    shown = ", ".join(tags) or "none"
    if remove:
        return Reply(f"{verb} “{tag}” from **{name}**. Tags now: {shown}.")
    return Reply(f"{verb} **{name}** as “{tag}”. Tags now: {shown}.")


def delete_lead(ctx: Ctx) -> Plan:
    lead = yield from find_lead(ctx, ctx.intent.get("ref") or LeadRef(), purpose="should I delete")
    name = replies.lead_short(lead)
    say = (
        f"I'll delete **{name}** and everything attached to it (notes, tasks, deals, "
        "enrollments). This can't be undone — approve or cancel below."
    )
    result = yield from gated("delete_lead", say, lead_id=lead["id"])
    return Reply(replies.decided(result, f"Deleted **{name}**.", f"deleting {lead.get('name')}"))
