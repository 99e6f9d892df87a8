"""Lead lists narrowed by what the lead search cannot filter on: whose the leads are ("my
leads at initech", "which acme leads r mine") and their tags ("who's tagged hot").

The API has no owner or tag filter and no "who am I", so the leads the search returns are
read page by page and narrowed here. Whose a lead is: its `owner_id` against the person's
own id, learnt from their tasks (`deals.my_user_id`). A tag is checked against the tags that
exist first, so a tag nobody has is said, not listed as "no leads".
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import Any

from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Batch, Call, Plan, Reply, many, one
from coworker.llm.offline.intents.common import Intent
from coworker.llm.offline.lead_search import SCAN_PAGE, SCAN_PAGES, search_leads
from coworker.llm.offline.names import is_company_match, negated_names, relevant
from coworker.llm.offline.resolve import Ctx, find_lead, my_user_id
from coworker.llm.offline.slots import LeadRef

Record = dict[str, Any]
NAMED = 40  # leads named after the detailed lines: a list the person can read to the end
TAG_CHECKS = 20  # leads whose tags can be read one by one when the lists don't show them


def list_leads(ctx: Ctx) -> Plan:  # noqa: C901 - one filter per way of narrowing
    intent = ctx.intent
    ref: LeadRef | None = intent.slots.get("ref")
    query: str | None = intent.slots.get("query")
    status: str | None = intent.slots.get("status")
    exclude: str | None = intent.slots.get("exclude")
    asked_tag: str | None = intent.slots.get("tag")
    tag = None
    if asked_tag:
        tags_result: Result = yield from one("list_tags")
        names = [str(t.get("name")) for t in tags_result.items("tags") if t.get("name")]
        tag = which_tag(asked_tag, names)
        if tag is None:
            known = ", ".join(f"`{n}`" for n in names) or "none yet"
            return Reply(f"There's no tag called “{asked_tag}”. Your tags: {known}.")
    search: dict[str, Any] = {}
    if query:
        search["search"] = query
    if status:
        search["status"] = status
    leads, complete = yield from read_all_leads(search)
    if query and ref is not None:
        leads = relevant(leads, ref)
    if exclude:  # "that aren't customers yet": every status but that one
        leads = [lead for lead in leads if lead.get("status") != exclude]
    without: str | None = intent.slots.get("without")
    not_whose: str | None = intent.slots.get("not_whose")
    left_out: list[Record] = []
    if without:  # "besides chris": the one person named, out of the list
        left_out = [lead for lead in leads if _is_named(lead, without)]
        if not left_out and re.fullmatch(r"[a-z]+s", without, re.I):
            not_whose = without  # "except sams": nobody called that, so a teammate's leads
        leads = [lead for lead in leads if lead not in left_out]
    versus: str | None = intent.slots.get("versus")
    if versus:  # "how many leads do i own vs sam"
        return (yield from _versus(leads, versus, complete))
    mine = bool(intent.slots.get("mine")) or bool(not_whose)
    if mine:
        me = yield from my_user_id()
        if me is None:
            return Reply(
                "I couldn't tell which leads are yours (I learn it from your tasks, and you "
                "have none), so I haven't narrowed the list."
            )
        leads = [lead for lead in leads if lead.get("owner_id") == me]
    if tag is not None:
        tagged = yield from leads_tagged(leads, tag)
        if tagged is None:
            return Reply(
                f"I can't list leads by tag across the whole CRM: its lead lists don't show "
                f"tags, and checking {len(leads)} leads one by one is too many. Narrow it down "
                f"to a company (e.g. “leads at Acme tagged {tag}”) and I'll check each one."
            )
        leads = tagged
    heading = _heading(leads, intent, tag, status if not exclude else f"non-{exclude}", mine)
    if intent.slots.get("count"):
        return Reply(heading)
    text = _listing(leads, heading)
    if left_out:  # said without the name: the list is what the person asked to see
        text += f"\n\n({len(left_out)} left out, as you asked.)"
    elif without and not not_whose:
        text += f"\n\n(No one called “{without}” was in the list.)"
    if not_whose:
        text += (
            f"\n\nThese are yours only: the CRM doesn't name a lead's owner, so I left out "
            f"every teammate's leads, not just {not_whose}."
        )
    if not complete:
        text += "\n\n(I read the newest leads only; there are more in the CRM.)"
    return Reply(text)


def _versus(leads: list[Record], teammate: str, complete: bool) -> Plan:
    """The person's leads counted against the rest of the team's: the CRM does not name the
    team's users, so the teammate's count is every lead that is not the person's, said so."""
    me = yield from my_user_id()
    if me is None:
        return Reply("I couldn't tell which leads are yours (I learn it from your tasks).")
    own = sum(1 for lead in leads if lead.get("owner_id") == me)
    text = (
        f"You own {own} leads; the rest of the team owns {len(leads) - own}. The CRM doesn't "
        f"tell me which teammate is {teammate.title()}, so that is every lead that isn't yours."
    )
    if not complete:
        text += " (I read the newest leads only; there are more in the CRM.)"
    return Reply(text)


def read_all_leads(
    search: dict[str, Any],
) -> Generator[Batch, list[Result], tuple[list[Record], bool]]:
    """Every lead the search finds (pages small enough to come back whole); False when
    there were more than the pages read."""
    first: Result = yield from one("search_leads", **search, limit=SCAN_PAGE, page=1)
    leads = first.items("leads")
    total = int((first.data or {}).get("total") or len(leads))
    pages = -(-total // SCAN_PAGE)
    rest = yield from many(
        [
            Call("search_leads", {**search, "limit": SCAN_PAGE, "page": page})
            for page in range(2, min(pages, SCAN_PAGES) + 1)
        ]
    )
    # A page cut to fit the result size cap says so (`note`): the list is then not whole.
    cut = any((r.data or {}).get("note") for r in [first, *rest])
    seen = {str(lead.get("id")) for lead in leads}
    for result in rest:
        for lead in result.items("leads"):
            if str(lead.get("id")) not in seen:
                seen.add(str(lead.get("id")))
                leads.append(lead)
    return leads, pages <= SCAN_PAGES and not cut


def leads_tagged(
    leads: list[Record], tag: str
) -> Generator[Batch, list[Result], list[Record] | None]:
    """The leads carrying `tag`; each lead's own record is read when the list left tags out
    (None: too many to read one by one)."""
    if all("tags" in lead for lead in leads):
        return [lead for lead in leads if _has_tag(lead, tag)]
    if len(leads) > TAG_CHECKS:
        return None
    results = yield from many([Call("get_lead", {"lead_id": str(lead["id"])}) for lead in leads])
    found = []
    for lead, result in zip(leads, results, strict=False):
        record = result.record("lead") or lead
        if _has_tag(record, tag):
            found.append({**lead, **record})
    return found


def _has_tag(lead: Record, tag: str) -> bool:
    return tag.lower() in (str(t).lower() for t in lead.get("tags") or [])


def which_tag(asked: str, names: list[str]) -> str | None:
    """The tag the person means: its name, or the one tag that starts with or holds their
    word ("webinar" for `webinar-2026`, "referral" for `partner-referral`)."""
    low = re.sub(r"\s+", "-", asked.lower().strip("#"))
    exact = [n for n in names if n.lower() == low]
    if exact:
        return exact[0]
    for near in (
        [n for n in names if n.lower().startswith(low)],
        [n for n in names if low in n.lower() or n.lower().rstrip("s") == low.rstrip("s")],
    ):
        if len(near) == 1:
            return near[0]
    return None


def org_tag(asked: str) -> Generator[Batch, list[Result], str | Reply]:
    """The org's tag a bare word names ("add enterprise"), read from the CRM's list; a reply
    saying nothing changed when it names none, so no tag is ever made up."""
    listed: Result = yield from one("list_tags")
    if listed.is_error:
        return Reply(replies.failure(listed))
    names = [str(t.get("name")) for t in listed.items("tags") if t.get("name")]
    tag = which_tag(asked, names)
    if tag is None:
        return Reply(
            f"I changed nothing: “{asked}” isn't one of your tags "
            f"({', '.join(names) or 'none yet'}). Say “tag <name> as …” in full."
        )
    return tag


def _is_named(lead: Record, words: str) -> bool:
    """Does the lead's name carry every word said ("chris" for Chris Johnson)?"""
    name = str(lead.get("name") or "").lower().split()
    return all(any(part.startswith(w) for part in name) for w in words.lower().split())


def _heading(
    leads: list[Record], intent: Intent, tag: str | None, status: str | None, mine: bool
) -> str:
    what = f"{status} leads" if status else "leads"
    if intent.slots.get("query"):
        what += f" matching “{intent.slots.get('query')}”"
    if tag:
        what += f" tagged `{tag}`"
    whose = "your " if mine else ""
    if not leads:
        return f"You have no {what}." if whose else f"No {what}."
    if intent.slots.get("count"):
        return f"{'You have' if whose else 'There are'} {len(leads)} {what}."
    return f"{(whose + what)[0].upper() + (whose + what)[1:]}: {len(leads)}"


def _listing(leads: list[Record], heading: str) -> str:
    """The first leads in full, then the rest by name, so every lead asked for is seen."""
    if not leads:
        return heading
    shown = leads[: replies.LIST_LIMIT]
    text = heading + "\n\n" + replies.bullets([replies.lead_line(lead) for lead in shown])
    rest = leads[len(shown) :]
    if rest:
        named = ", ".join(replies.lead_short(lead) for lead in rest[:NAMED])
        text += f"\n\nAlso: {named}"
        if len(rest) > NAMED:
            text += f", and {len(rest) - NAMED} more"
        text += "."
    return text


def lead_owner(ctx: Ctx) -> Plan:
    """ "whose lead is tom becker": the person's, or a teammate's (the API names no users,
    so a teammate is not named). "who owns the acme account": every lead at that company,
    by whose it is."""
    ref: LeadRef = ctx.intent.slots.get("ref") or LeadRef()
    lead: Record | None = None
    if ref.text and not (ref.pronoun or ref.is_email or ref.is_phone):
        found, how = yield from search_leads(ref)
        if how == "search" and is_company_match(found, ref):
            return (yield from _account_owners(found))
        if how == "search" and len(found) == 1 and not negated_names(ctx.whole):
            lead = found[0]
    if lead is None:
        lead = yield from find_lead(ctx, ref, purpose="do you mean")
    me = yield from my_user_id()
    who = f"**{replies.lead_short(lead)}**"
    if me is None or not lead.get("owner_id"):
        return Reply(f"I can't tell whose lead {who} is: I learn who you are from your tasks.")
    if lead.get("owner_id") == me:
        return Reply(f"{who} is yours.")
    return Reply(f"{who} isn't yours: a teammate owns it (the CRM doesn't tell me their name).")


def _account_owners(leads: list[Record]) -> Plan:
    """Whose each of a company's leads is: the person's, or a teammate's."""
    company = str(leads[0].get("company") or "that company")
    me = yield from my_user_id()
    if me is None:
        return Reply(
            f"I can't tell whose the {company} leads are: I learn who you are from your tasks."
        )
    yours = [lead for lead in leads if lead.get("owner_id") == me]
    theirs = [lead for lead in leads if lead.get("owner_id") != me]

    def names(group: list[Record]) -> str:
        shown = ", ".join(str(lead.get("name")) for lead in group[:NAMED])
        return shown + (f", and {len(group) - NAMED} more" if len(group) > NAMED else "")

    lines = []
    if yours:
        lines.append(f"Yours ({len(yours)}): {names(yours)}")
    if theirs:
        lines.append(f"A teammate's ({len(theirs)}): {names(theirs)}")
    text = f"**{company}** has {len(leads)} leads.\n\n" + replies.bullets(lines)
    if theirs:
        text += "\n\n(The CRM doesn't tell me teammates' names, only that they aren't yours.)"
    return Reply(text)
