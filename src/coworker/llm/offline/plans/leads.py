"""Lead plans: find, show, create, change status or fields, tag, delete, "call Jane"."""

from __future__ import annotations

import re
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Plan, Reply, gated, one
from coworker.llm.offline.names import rank, relevant
from coworker.llm.offline.resolve import (
    Ctx,
    ask_text,
    choose,
    find_lead,
    lead_option,
    search_leads,
)
from coworker.llm.offline.slots import LeadRef, phone_search_forms
from coworker.llm.offline.trust import WritePlan, Written, crm, text_confident, write, write_all


def _pronoun(lead: dict[str, Any]) -> str:
    return str(lead.get("name") or "them").split()[0]


def find_leads(ctx: Ctx) -> Plan:
    intent = ctx.intent
    ref: LeadRef | None = intent.get("ref")
    status: str | None = intent.get("status")
    query: str | None = intent.get("query")
    field: str | None = intent.get("field")
    if ref is not None and (ref.pronoun or ref.ordinal is not None):
        lead = yield from find_lead(ctx, ref)
        return (yield from _details(ctx, lead, field))
    exclude: str | None = intent.get("exclude")
    if intent.get("role") and query:
        return (yield from _by_role(ctx, query, str(intent.get("role"))))
    if status or not query or exclude:
        search: dict[str, Any] = {"status": status} if status else {}
        if query:
            forms = phone_search_forms(query) if ref is not None and ref.is_phone else [query]
            search["search"] = forms[0]
        result: Result = yield from one("search_leads", **search)
        if result.is_error:
            return Reply(replies.failure(result))
        leads = result.items("leads")
        total = int((result.data or {}).get("total") or len(leads))
        if query and ref is not None:
            kept = relevant(leads, ref)
            if len(kept) != len(leads):
                leads, total = kept, len(kept)
        if exclude:  # "that aren't customers yet": every status but that one
            leads = [lead for lead in leads if lead.get("status") != exclude]
            total = len(leads)
            status = f"non-{exclude}"
        return Reply(_list_heading(leads, total, query, status, bool(intent.get("count"))))
    assert ref is not None
    leads, how = yield from search_leads(ref)
    if not leads:
        return Reply(replies.no_lead(ref))
    wants_details = bool(intent.get("details"))
    if how != "search":
        ranked = rank(leads, ref)
        best = ranked[0][0]
        close = [lead for score, lead in ranked if score >= best - 0.06]
        if len(close) == 1 and best >= 0.78:
            return (yield from _details(ctx, close[0], field))
        if len(close) == 1:
            lead = choose(
                ctx,
                "lead",
                f"I couldn't find “{ref.text}”. Did you mean **{replies.lead_label(close[0])}**?",
                [lead_option(close[0])],
            )
            return (yield from _details(ctx, lead, field))
        return Reply(
            replies.lead_list(
                close, len(close), f"Nothing matches “{ref.text}” exactly. Close matches:"
            )
        )
    if (ref.is_email or ref.is_phone) and len(leads) == 1:
        return (yield from _details(ctx, leads[0], field))
    person = [lead for lead in leads if _names_person(ref.text, lead)]
    if wants_details and len(person) == 1:
        return (yield from _details(ctx, person[0], field))
    if wants_details and len(leads) == 1 and not _names_company(ref.text, leads[0]):
        return (yield from _details(ctx, leads[0], field))
    if wants_details and len(person) > 1:
        options = [lead_option(lead) for lead in person[:8]]
        text = (
            f"I found {len(person)} leads matching “{ref.text}”. Which one?\n\n"
            + replies.numbered([o.label for o in options])
        )
        lead = choose(ctx, "lead", text, options)
        return (yield from _details(ctx, lead, field))
    total = len(leads)
    return Reply(replies.lead_list(leads, total, _found(total, ref.text)))


# A title's words as people shorten them: "vp of eng", "head of ops".
_TITLE_WORDS = {
    "vp": "vice president",
    "eng": "engineering",
    "ops": "operations",
    "mktg": "marketing",
    "cfo": "chief financial officer",
    "ceo": "chief executive officer",
    "cto": "chief technology officer",
    "coo": "chief operating officer",
}


def _title_words(title: str) -> list[str]:
    words = re.findall(r"[a-z]+", title.lower())
    return [w for w in words if w not in ("of", "the", "and", "for")]


def _has_role(lead: dict[str, Any], role: str) -> bool:
    title = " ".join(_title_words(str(lead.get("title") or "")))
    full = " ".join(_TITLE_WORDS.get(w, w) for w in title.split())
    wanted = [_TITLE_WORDS.get(w, w) for w in _title_words(role)]
    return bool(wanted) and all(re.search(rf"\b{re.escape(w)}", full) for w in wanted)


def _by_role(ctx: Ctx, company: str, role: str) -> Plan:
    """The lead at `company` whose title is `role`; several are listed, none is said."""
    result: Result = yield from one("search_leads", search=company)
    if result.is_error:
        return Reply(replies.failure(result))
    leads = [lead for lead in result.items("leads") if _has_role(lead, role)]
    if len(leads) == 1:
        return (yield from _details(ctx, leads[0]))
    if not leads:
        return Reply(f"I found no one at {company} with a title like “{role}”.")
    return Reply(replies.lead_list(leads, len(leads), f"{len(leads)} leads at {company}:"))


def _names_person(query: str, lead: dict[str, Any]) -> bool:
    name = str(lead.get("name", "")).lower()
    words = query.lower().split()
    return bool(words) and all(w in name.split() or (len(w) > 3 and w in name) for w in words)


def _names_company(query: str, lead: dict[str, Any]) -> bool:
    return query.lower() in str(lead.get("company") or "").lower() and not _names_person(
        query, lead
    )


def _found(total: int, query: str) -> str:
    return f"Found {replies.plural(total, 'lead')} matching “{query}”:"


def _list_heading(
    leads: list[dict[str, Any]], total: int, query: str | None, status: str | None, count: bool
) -> str:
    what = f"{status} leads" if status else "leads"
    where = f" matching “{query}”" if query else ""
    if count:
        return f"You have {replies.plural(total, (status + ' lead') if status else 'lead')}{where}."
    if not leads:
        return f"No {what}{where}."
    heading = f"{total} {what}{where}" + (", newest first:" if total > 1 else ":")
    return replies.lead_list(leads, total, heading[0].upper() + heading[1:])


def _details(ctx: Ctx, lead: dict[str, Any], field: str | None = None) -> Plan:
    if field and lead.get(field) is not None:
        return Reply(replies.lead_details(lead, ctx.clock, field))
    result: Result = yield from one("get_lead", lead_id=lead["id"])
    if result.is_error:
        return Reply(replies.failure(result))
    full = result.record("lead") or lead
    return Reply(replies.lead_details(full, ctx.clock, field))


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
        results = yield from write_all(
            ctx,
            [
                WritePlan(
                    "update_lead",
                    {"lead_id": lead["id"]},
                    (Written("status", status, "status", status),),
                    f"**{replies.lead_short(lead)}**",
                )
                for lead in targets
            ],
        )
        done = [lead for lead, r in zip(targets, results, strict=True) if not r.is_error]
        text = (
            f"Marked {replies.plural(len(done), 'lead')} as {status}: "
            + ", ".join(str(lead["name"]) for lead in done)
            + "."
        )
        failed = len(targets) - len(done)
        return Reply(text + (f" {failed} failed." if failed else ""))
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
    changes: dict[str, Any] = ctx.intent.get("changes") or {}
    lead = yield from find_lead(ctx, ctx.intent.get("ref") or LeadRef(), purpose="should I update")
    values = tuple(
        Written(
            key,
            value,
            key,
            str(value),
            confident=key not in ("company", "title", "name")
            or text_confident(str(value), field_value=True),
        )
        for key, value in changes.items()
    )
    plan = WritePlan(
        "update_lead", {"lead_id": lead["id"]}, values, f"Update **{replies.lead_short(lead)}**"
    )
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    said = ", ".join(f"{field} to **{value}**" for field, value in changes.items())
    return Reply(f"Updated {lead.get('name')}'s {said}.")


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


def call_lead(ctx: Ctx) -> Plan:
    lead = yield from find_lead(
        ctx, ctx.intent.get("ref") or LeadRef(), purpose="do you want to call"
    )
    name = replies.lead_short(lead)
    first = _pronoun(lead)
    if lead.get("phone"):
        return Reply(
            f"I can't place calls — the Dialsheet dialer does that. **{name}**'s number is "
            f"**{lead['phone']}**. After the call, tell me how it went (for example "
            f"“talked to {first}, interested”) and I'll log it, or say “remind me to call "
            f"{first} tomorrow at 10” for a task."
        )
    return Reply(
        f"I can't place calls, and **{name}** has no phone number on file. "
        + (f"Their email is {lead['email']} — want me to email them?" if lead.get("email") else "")
    )
