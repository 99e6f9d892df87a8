"""Lead look-ups: find, show one lead or one field of it, and "call Jane".

Reading about leads is one concept: searching, narrowing, ranking and saying what was found
or the one field asked for. Changing a lead lives in `lead_edits`, which shares none of this.
"""

from __future__ import annotations

import re
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Call, Plan, Reply, many, one
from coworker.llm.offline.lead_search import Gen, search_leads
from coworker.llm.offline.names import TITLE_WORDS, narrow, rank, relevant
from coworker.llm.offline.resolve import (
    Ctx,
    choose,
    find_lead,
    lead_option,
)
from coworker.llm.offline.slots import LeadRef, phone_search_forms


def _pronoun(lead: dict[str, Any]) -> str:
    return str(lead.get("name") or "them").split()[0]


def find_leads(ctx: Ctx) -> Plan:
    intent = ctx.intent
    ref: LeadRef | None = intent.slots.get("ref")
    status: str | None = intent.slots.get("status")
    query: str | None = intent.slots.get("query")
    field: str | None = intent.slots.get("field")
    if field and ref is not None:
        return (yield from _field_answer(ctx, ref))
    exclude: str | None = intent.slots.get("exclude")
    if intent.slots.get("role") and query:
        return (yield from _by_role(ctx, query, str(intent.slots.get("role"))))
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
        return Reply(_list_heading(leads, total, query, status, bool(intent.slots.get("count"))))
    assert ref is not None
    pair = _PAIR.fullmatch(ref.text) if not (ref.is_email or ref.is_phone) else None
    if pair:  # "priya shah and luis ortega", "priya shah, tom becker": both, if both are leads
        both: Reply | None = yield from _each(ctx, [pair[1], pair[2]], field)
        if both is not None:
            return both
    leads, how = yield from search_leads(ref)
    if not leads:
        return Reply(replies.no_lead(ref))
    if ref.company and how == "search":  # "which schmidt is at tyrell"
        leads = narrow(leads, ref)
    wants_details = bool(intent.slots.get("details"))
    if how != "search":
        ranked = rank(leads, ref)
        best = ranked[0][0]
        close = [lead for score, lead in ranked if score >= best - 0.06]
        if len(close) == 1 and best >= 0.78:
            return (yield from details(ctx, close[0], field))
        if len(close) == 1:
            lead = choose(
                ctx,
                "lead",
                f"I couldn't find “{ref.text}”. Did you mean **{replies.lead_label(close[0])}**?",
                [lead_option(close[0])],
            )
            return (yield from details(ctx, lead, field))
        return Reply(
            replies.lead_list(
                close, len(close), f"Nothing matches “{ref.text}” exactly. Close matches:"
            )
        )
    if (ref.is_email or ref.is_phone) and len(leads) == 1:
        return (yield from details(ctx, leads[0], field))
    person = [lead for lead in leads if _names_person(ref.text, lead)]
    if wants_details and len(person) == 1:
        return (yield from details(ctx, person[0], field))
    if wants_details and len(leads) == 1 and not _names_company(ref.text, leads[0]):
        return (yield from details(ctx, leads[0], field))
    if wants_details and len(person) > 1:
        options = [lead_option(lead) for lead in person[:8]]
        text = (
            f"I found {len(person)} leads matching “{ref.text}”. Which one?\n\n"
            + replies.numbered([o.label for o in options])
        )
        lead = choose(ctx, "lead", text, options)
        return (yield from details(ctx, lead, field))
    total = len(leads)
    return Reply(replies.lead_list(leads, total, _found(total, ref.text)))


_PAIR = re.compile(
    r"(\w[\w'.-]*\s+\w[\w'.-]*)\s*(?:,|&|\+|\band\b|\bn\b)\s*(\w[\w'.-]*\s+\w[\w'.-]*)", re.I
)


def _each(ctx: Ctx, names: list[str], field: str | None) -> Gen:
    """Each of two people named in one lookup, when each name is one lead; else None (the
    words may be one name after all: "Johnson & Johnson")."""
    results = yield from many([Call("search_leads", {"search": name}) for name in names])
    found = []
    for name, result in zip(names, results, strict=True):
        one_ref = LeadRef(name)
        leads = narrow(relevant(result.items("leads"), one_ref), one_ref)
        if len(leads) != 1 or not _names_person(name, leads[0]):
            return None
        found.append(leads[0])
    said = []
    for lead in found:
        reply = yield from details(ctx, lead, field)
        said.append(reply.text)
    return Reply("\n\n".join(said))


def _title_words(title: str) -> list[str]:
    words = re.findall(r"[a-z]+", title.lower())
    return [w for w in words if w not in ("of", "the", "and", "for")]


def _has_role(lead: dict[str, Any], role: str) -> bool:
    title = " ".join(_title_words(str(lead.get("title") or "")))
    full = " ".join(TITLE_WORDS.get(w, w) for w in title.split())
    wanted = [TITLE_WORDS.get(w, w) for w in _title_words(role)]
    return bool(wanted) and all(re.search(rf"\b{re.escape(w)}", full) for w in wanted)


def _by_role(ctx: Ctx, company: str, role: str) -> Plan:
    """The lead at `company` whose title is `role`; several are listed, none is said."""
    result: Result = yield from one("search_leads", search=company)
    if result.is_error:
        return Reply(replies.failure(result))
    leads = [lead for lead in result.items("leads") if _has_role(lead, role)]
    if len(leads) == 1:
        return (yield from details(ctx, leads[0]))
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


def _field_answer(ctx: Ctx, ref: LeadRef) -> Plan:
    """ "janes #", "marcus reed phone + email", "is marcus qualified yet": one person's
    fields. Unlike a lookup, a question about a field is about one person: several who fit
    are a question back, never a list to read the answer from."""
    lead = yield from find_lead(ctx, ref)
    fields = ctx.intent.slots.get("fields") or (str(ctx.intent.slots.get("field")),)
    if any(lead.get(f) is None for f in fields):
        result: Result = yield from one("get_lead", lead_id=lead["id"])
        if result.is_error:
            return Reply(replies.failure(result))
        lead = result.record("lead") or lead
    if fields == ("deals",):
        return Reply(_deals_answer(lead))
    asked: str | None = ctx.intent.slots.get("is_status")
    if asked and fields == ("status",):
        return Reply(_status_answer(lead, asked))
    if len(fields) == 1:
        return Reply(replies.lead_details(lead, ctx.clock, fields[0]))
    return Reply(
        f"**{replies.lead_short(lead)}**: " + " · ".join(_field_line(lead, f) for f in fields)
    )


_FIELD_LABELS = {"email": "email", "phone": "phone", "title": "title", "company": "company"}


def _field_line(lead: dict[str, Any], field: str) -> str:
    label = _FIELD_LABELS.get(field, field)
    value = lead.get(field)
    return f"{label} {value}" if value else f"no {label} on file"


def _deals_answer(lead: dict[str, Any]) -> str:
    name = str(lead.get("name") or "This lead")
    deals = [d for d in lead.get("opportunities") or [] if isinstance(d, dict)]
    if not deals:
        return f"{name} has no deals."
    if len(deals) == 1:
        return f"{name}'s deal: **{replies.deal_label(deals[0])}**."
    return f"{name}'s deals:\n" + "\n".join(f"- {replies.deal_label(d)}" for d in deals)


def _status_answer(lead: dict[str, Any], asked: str) -> str:
    name = str(lead.get("name") or "This lead")
    status = str(lead.get("status") or "")
    if not status:
        return f"{name} has no status on file."
    if status == asked:
        return f"Yes — {name} is **{status}**."
    return f"No — {name} is **{status}**, not {asked}."


def details(ctx: Ctx, lead: dict[str, Any], field: str | None = None) -> Plan:
    if field and lead.get(field) is not None:
        return Reply(replies.lead_details(lead, ctx.clock, field))
    result: Result = yield from one("get_lead", lead_id=lead["id"])
    if result.is_error:
        return Reply(replies.failure(result))
    full = result.record("lead") or lead
    return Reply(replies.lead_details(full, ctx.clock, field))


def call_lead(ctx: Ctx) -> Plan:
    lead = yield from find_lead(
        ctx, ctx.intent.slots.get("ref") or LeadRef(), purpose="do you want to call"
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
