"""Lead edits: create a lead, change its status or fields, tag it, delete it.

Every plan here writes to the CRM through a card the person approves (`trust.write`), so
what a change says and how sure it is sits apart from the look-ups in `leads`.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import replace
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Batch, Plan, Question, Reply, Stop, gated, one
from coworker.llm.offline.intents.common import make_intent
from coworker.llm.offline.intents.lead_field_names import could_be_person_name
from coworker.llm.offline.intents.lead_news import at_company_now
from coworker.llm.offline.lead_search import search_leads
from coworker.llm.offline.plans.bulk import mark_all
from coworker.llm.offline.plans.lead_lists import org_tag
from coworker.llm.offline.plans.pointed import points_at_task
from coworker.llm.offline.plans.tasks import delete_task
from coworker.llm.offline.resolve import Ctx, ask_text, find_lead
from coworker.llm.offline.slots import LeadRef
from coworker.llm.offline.text import Utterance, similarity
from coworker.llm.offline.trust import WritePlan, Written, crm, text_confident, write


def create_lead(ctx: Ctx) -> Plan:
    intent = ctx.intent
    name: str | None = intent.slots.get("name")
    if name and not could_be_person_name(name):
        name = None  # "Source = Event" is a field misread as the name: ask for the name
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
    slots = intent.slots
    fields: dict[str, str | None] = {
        "email": slots.get("email"),
        "phone": slots.get("phone"),
        "company": slots.get("company"),
        "title": slots.get("title"),
        "status": slots.get("status"),
        "source": slots.get("source"),
    }
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
    # "add marta kovacs - ops director @ …": no "lead" said, so all of it is shown and asked,
    # unless her address carries her name and nobody in the CRM has that name yet
    said = not intent.slots.get("implied")
    if not said and intent.slots.get("address_names"):
        namesakes: Result = yield from one("search_leads", search=name)
        said = not any(
            str(lead.get("name", "")).lower() == name.lower() for lead in namesakes.items("leads")
        )
    values = [Written("name", name[:200], "name", name[:200], confident=said)]
    for key, value in fields.items():
        if value:
            text = str(value)
            sure = key not in ("company", "title") or text_confident(text, field_value=True)
            sure = sure and said
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
    status = ctx.intent.slots.get("status") or ""
    ref: LeadRef = ctx.intent.slots.get("ref") or LeadRef()
    if ctx.intent.slots.get("bulk") and ref.text:
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
    changes: dict[str, Any] = dict(ctx.intent.slots.get("changes") or {})
    renamed = ctx.intent.slots.get("renamed")
    # "its kenji grey not gray", "kenji's not at virtucon anymore": the "not" names the old
    # spelling or the old company, never a lead ruled out
    said = renamed or (ctx.intent.slots.get("ref") or LeadRef()).text
    negates = renamed or ctx.intent.slots.get("left")
    finding = replace(ctx, utterance=Utterance.of(str(said)), message="") if negates else ctx
    if renamed:  # "its hooli not initech" names a company, not a lead's old spelling
        found, _ = yield from search_leads(ctx.intent.slots.get("ref") or LeadRef())
        if not any(_is_named(str(lead.get("name") or ""), str(renamed)) for lead in found):
            return Reply(
                f"I couldn't find a lead named “{renamed}”, so I changed nothing. Tell me the "
                "lead and the name it should have (“change Kenji Gray's name to Kenji Grey”)."
            )
    lead = yield from find_lead(
        finding, ctx.intent.slots.get("ref") or LeadRef(), purpose="should I update"
    )
    asked: set[str] = set()
    for key in [k for k, v in changes.items() if v is None]:  # "jane moved companies"
        question = (
            f"Which {key} did **{replies.lead_short(lead)}** move to? "
            "I'll update it once you tell me."
        )
        answer = ask_text(ctx, f"lead:{key}", question)
        if _NOT_A_VALUE.match(answer.strip()):  # "yes" answers nothing: asked again
            raise Stop(Reply(question, Question(f"lead:{key}", "text"), status="asked"))
        changes[key] = _said_value(answer)
        asked.add(key)
    left, company = ctx.intent.slots.get("left"), str(lead.get("company") or "")
    if left and company and not _same_company(company, str(left)):
        return Reply(
            f"**{replies.lead_short(lead)}** is at {company} in the CRM, not “{left}”, so I "
            "changed nothing. Tell me the lead's new company in full (“set her company to …”)."
        )
    if changes.get("name"):  # "its kenji grey not gray": the lead's whole name, respelt
        current = str(lead.get("name") or "")
        if renamed and not _is_named(current, str(renamed)):
            return Reply(
                f"I found **{replies.lead_short(lead)}**, whose name isn't “{renamed}”, so I "
                "changed nothing. Tell me the lead and the name it should have "
                "(“change Kenji Gray's name to Kenji Grey”)."
            )
        changes["name"] = respelt(current, str(changes["name"]), ctx.intent.slots.get("name_part"))
    implied = bool(ctx.intent.slots.get("implied"))
    typed = str(changes.get("company") or "")
    if typed.islower() or (implied and typed):  # "hes at pied piper now"
        known = yield from _crm_company(typed)
        changes["company"] = known or typed
        # "chris parker's at pied piper now": news of a company the CRM has, said plainly
        news = list(changes) == ["company"] and at_company_now(ctx.utterance.raw)
        implied = implied and not (known and news)
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


def _crm_company(company: str) -> Generator[Batch, list[Result], str | None]:
    """A company typed in lower case is stored the way the CRM already spells it ("pied
    piper" → "Pied Piper"), so one company does not become two in lists and searches; a
    company the CRM does not have yet (None) keeps the person's words."""
    found: Result = yield from one("search_leads", search=company, limit=20)
    for lead in found.items("leads"):
        if str(lead.get("company") or "").lower() == company.lower():
            return str(lead["company"])
    return None


def _same_company(company: str, said: str) -> bool:
    """Is `said` ("black mesa", "virtucon", "summit peak") the company the CRM has?"""
    have = re.findall(r"\w+", company.lower())
    words = [w for w in re.findall(r"\w+", said.lower()) if w not in ("the", "inc", "co")]
    return bool(words) and all(
        any(h == w or h.startswith(w) or similarity(h, w) >= 0.8 for h in have) for w in words
    )


def _is_named(name: str, words: str) -> bool:
    """Do `words` (the old spelling the person quoted) name the lead called `name`?"""
    have = name.lower().split()
    return all(any(h == w or h.startswith(w) for h in have) for w in words.lower().split())


def respelt(current: str, said: str, part: str | None = None) -> str:
    """The lead's name with the person's spelling: a last or first name put in its place
    ("Amelia Okafor", "okafur", "last" -> "Amelia Okafur"), a word put in place of the one most
    like it, and the letters as typed, capitalised like the name they replace when typed all
    in lower case ("kenji grey" for "Kenji Gray" -> "Kenji Grey")."""
    have, new = current.split(), said.split()
    if not have:
        out = new
    elif part == "last" and len(new) == 1:
        out = [*have[:-1], *new]
    elif part == "first" and len(new) == 1:
        out = [*new, *have[1:]]
    elif len(new) < len(have):
        out = list(have)
        for word in new:
            at = max(range(len(have)), key=lambda i: similarity(have[i], word))
            out[at] = word
    else:
        out = new
    if said != said.lower() or current == current.lower():
        return " ".join(out)
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in out)


# A reply that is no company or title: "yes", "ok", "no", "idk".
_NOT_A_VALUE = re.compile(
    r"^(?:yes|yeah|yep|yup|y|ok|okay|k|sure|no|nope|n|idk|not sure|dunno|correct|right|"
    r"go ahead|do it|please|pls|thanks|thx)\W*$",
    re.I,
)


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
    tag = ctx.intent.slots.get("tag") or ""
    remove = bool(ctx.intent.slots.get("remove"))
    if ctx.intent.slots.get("bare_tag"):  # "add enterprise": a tag only if the org has it
        known = yield from org_tag(tag)
        if isinstance(known, Reply):
            return known
        tag = known
    lead = yield from find_lead(
        ctx,
        ctx.intent.slots.get("ref") or LeadRef(),
        purpose="should I " + ("untag" if remove else "tag"),
    )
    current: Result = yield from one("get_lead", lead_id=lead["id"])
    if current.is_error:
        return Reply(replies.failure(current))
    tags = [str(t) for t in (current.record("lead") or {}).get("tags") or []]
    name = replies.lead_short(lead)
    # "tag her hot and enterprise": every tag listed, the ones it has already left as they are
    listed = list(ctx.intent.slots.get("tags") or (tag,))
    if remove:
        if tag not in tags:
            return Reply(f"**{name}** isn't tagged “{tag}”.")
        tags = [t for t in tags if t != tag]
    else:
        new = [t for t in listed if t not in tags]
        if not new:
            return Reply(f"**{name}** is already tagged {_quoted(listed)}.")
        listed, tags = new, [*tags, *new]
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
    return Reply(f"{verb} **{name}** as {_quoted(listed)}. Tags now: {shown}.")


def _quoted(tags: list[str]) -> str:
    """ "“hot”", "“hot” and “enterprise”": tags as a reply names them."""
    said = [f"“{t}”" for t in tags]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


def delete_lead(ctx: Ctx) -> Plan:
    ref = ctx.intent.slots.get("ref") or LeadRef()
    if points_at_task(ctx, ref):  # "kill the call script one" after a list of tasks
        task = make_intent("delete_task", phrase=ref.text)
        return (yield from delete_task(replace(ctx, intent=task)))
    lead = yield from find_lead(ctx, ref, purpose="should I delete")
    name = replies.lead_short(lead)
    say = (
        f"I'll delete **{name}** and everything attached to it (notes, tasks, deals, "
        "enrollments). This can't be undone — approve or cancel below."
    )
    result = yield from gated("delete_lead", say, lead_id=lead["id"])
    return Reply(replies.decided(result, f"Deleted **{name}**.", f"deleting {lead.get('name')}"))
