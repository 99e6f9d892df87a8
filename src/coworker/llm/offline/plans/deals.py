"""Deal listings: the pipeline by stage, lead, close date or owner, and its totals.

Reading deals is one concept, shared with the summaries in `talk`, `activity` and `bulk`:
which deals a question means and how they are listed. Opening and changing a deal lives
in `deal_edits`, which reuses the lead-and-deal-name reading here.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from datetime import timedelta
from typing import Any

from coworker.dialsheet.contract import parse_day
from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Batch, Call, Plan, Reply, Stop, many, one
from coworker.llm.offline.intents.deal_filters import size_words, within
from coworker.llm.offline.names import is_company_match, narrow, relevant
from coworker.llm.offline.resolve import Ctx, find_lead, my_user_id
from coworker.llm.offline.slots import LeadRef, lead_ref
from coworker.llm.offline.vocab import OPEN_STAGES

STAGE_ORDER = {
    stage: i
    for i, stage in enumerate(
        ("negotiation", "proposal", "qualification", "prospecting", "closed_won", "closed_lost")
    )
}


def open_pipeline_calls() -> list[Call]:
    """One listing per open stage: each fits the result size cap, together they are complete."""
    return [Call("list_opportunities", {"stage": stage, "limit": 100}) for stage in OPEN_STAGES]


def _total(deals: list[dict[str, Any]]) -> str:
    by_currency: dict[str, float] = {}
    for deal in deals:
        try:
            value = float(deal.get("value") or 0)
        except (TypeError, ValueError):
            continue
        currency = str(deal.get("currency") or "USD")
        by_currency[currency] = by_currency.get(currency, 0.0) + value
    return " + ".join(replies.money(v, c) for c, v in sorted(by_currency.items())) or replies.money(
        0
    )


def deal_lines(deals: list[dict[str, Any]], ctx: Ctx, limit: int = 12) -> list[str]:
    lines = []
    for deal in deals[:limit]:
        line = replies.deal_label(deal)
        close = replies.day_label(deal.get("expected_close_date"), ctx.clock)
        if close and deal.get("stage") in OPEN_STAGES:
            line += f" · closes {close}"
        lines.append(line)
    return lines


def list_deals(ctx: Ctx) -> Plan:  # noqa: C901 - one branch per way of asking
    intent = ctx.intent
    ref: LeadRef = intent.slots.get("ref") or LeadRef()
    stage: str | None = intent.slots.get("stage")
    closing: str | None = intent.slots.get("closing")
    whose: str | None = intent.slots.get("whose")
    mine = bool(intent.slots.get("mine"))
    if whose and _is_the_person(ctx, whose):  # "what does alex have in ..." asked by Alex
        ref, mine = LeadRef(), True
    who = ""
    if not ref.empty:
        if ref.pronoun or ref.ordinal is not None:
            lead = yield from find_lead(ctx, ref)
            leads = [lead]
        else:
            leads, named = yield from _leads_and_deal_words(ref)
            if not leads and whose:
                return (yield from _teammates_deals(ctx, whose, stage))
            if not leads:
                return Reply(replies.no_lead(ref))
        results = yield from many(
            [Call("list_opportunities", {"lead_id": lead["id"]}) for lead in leads[:8]]
        )
        deals = [d for r in results for d in r.items("opportunities")]
        # "the initech annual license deal": the words after the company name the deal
        deals = [d for d in deals if _names_deal(d, named)] or deals
        who = f" for {replies.lead_short(leads[0]) if len(leads) == 1 else ref.describe()}"
        if stage:
            deals = [d for d in deals if d.get("stage") == stage]
    else:
        deals = yield from _deals_in(stage)
    if closing:
        deals = _closing(ctx, deals, closing)
    if mine:
        me = yield from my_user_id()
        if me is None:
            return Reply("I couldn't tell which deals are yours (I learn it from your tasks).")
        deals = [d for d in deals if d.get("owner_id") == me]
    least, most = intent.slots.get("value_min"), intent.slots.get("value_max")
    deals = [d for d in deals if within(d, least, most)]  # "over 100k": kept to that size
    deals.sort(key=lambda d: (STAGE_ORDER.get(str(d.get("stage")), 9), -float(d.get("value") or 0)))
    stage_name = replies.STAGE_NAMES.get(stage or "", "")
    what = f"{stage_name} deals" if stage else ("deals" if who else "open deals")
    what += size_words(least, most)
    if closing and stage in ("closed_won", "closed_lost"):
        what = f"deals {'won' if stage == 'closed_won' else 'lost'} {closing}"
    elif closing:
        what = f"open deals closing {'in the ' if closing.endswith(' days') else ''}{closing}"
    if mine:
        what = f"{what[0].lower() + what[1:]}"
        if not deals:
            return Reply(f"You have no {what}{who}.")
        what = f"your {what}"
    if not deals:
        return Reply(f"No {what}{who}.")
    extreme = _EXTREME.search(ctx.utterance.raw)
    if extreme is not None and len(deals) > 1:
        # "whats my biggest open deal": the one deal, so that "move it to ..." is that one
        small = extreme[0].lower().startswith(("small", "tini", "low"))
        pick = (min if small else max)(deals, key=lambda d: float(d.get("value") or 0))
        line = deal_lines([pick], ctx)[0]
        return Reply(f"The {extreme[0].lower()} of {what}{who} ({len(deals)}): {line}.")
    heading = f"{what[0].upper() + what[1:]}{who}: {len(deals)}, worth {_total(deals)}."
    lines = deal_lines(deals, ctx)
    text = heading + "\n\n" + replies.bullets(lines)
    if len(deals) > len(lines):
        text += f"\n\n…and {len(deals) - len(lines)} more."
    return Reply(text)


_EXTREME = re.compile(
    r"\b(?:biggest|largest|highest|most valuable|smallest|tiniest|lowest)\b"
    r"(?!\s+(?:\d|few|three|five|ten|(?:open\s+)?(?:deals|opps|opportunities|ones)))",
    re.I,
)


def _is_the_person(ctx: Ctx, name: str) -> bool:
    """Whether `name` is the person's own ("alex", "alex rivera" for Alex Rivera)."""
    own = (ctx.clock.user_name or "").lower().split()
    said = name.lower().split()
    return bool(own) and (said == own or said == own[:1])


def _deals_in(stage: str | None) -> Generator[Batch, list[Result], list[dict[str, Any]]]:
    """The team's deals in `stage`, or its whole open pipeline."""
    if stage:
        result: Result = yield from one("list_opportunities", stage=stage, limit=100)
        if result.is_error:
            raise Stop(Reply(replies.failure(result)))
        return result.items("opportunities")
    results = yield from many(open_pipeline_calls())
    return [d for r in results for d in r.items("opportunities")]


def _teammates_deals(
    ctx: Ctx, whose: str, stage: str | None
) -> Generator[Batch, list[Result], Reply]:
    """A teammate's deals ("what does sam have in negotiation"): the CRM names leads, not the
    team's users, so the deals shown are the team's that are not the person's own, said so."""
    deals = yield from _deals_in(stage)
    me = yield from my_user_id()
    if me is None:
        return Reply(
            f"I couldn't tell whose deals are {whose.title()}'s: no lead is called that, and I "
            "learn who you are from your tasks."
        )
    deals = [d for d in deals if d.get("owner_id") != me]
    deals.sort(key=lambda d: (STAGE_ORDER.get(str(d.get("stage")), 9), -float(d.get("value") or 0)))
    what = f"{replies.STAGE_NAMES.get(stage or '', '')} deals" if stage else "open deals"
    note = (
        f"No lead is called “{whose}”, so I read it as a teammate. The CRM doesn't tell me "
        f"which teammate is {whose.title()}, so these are the team's {what.lower()} that "
        "aren't yours"
    )
    if not deals:
        return Reply(f"{note}: there are none.")
    lines = deal_lines(deals, ctx)
    text = f"{note}: {len(deals)}, worth {_total(deals)}.\n\n" + replies.bullets(lines)
    if len(deals) > len(lines):
        text += f"\n\n…and {len(deals) - len(lines)} more."
    return Reply(text)


def _leads_and_deal_words(
    ref: LeadRef,
) -> Generator[Batch, list[Result], tuple[list[dict[str, Any]], list[str]]]:
    """The leads `ref` names, and the words left over when only its first words name them
    ("initech annual license": Initech's leads, and "annual license" for the deal)."""
    words = ref.text.split()
    for cut in range(len(words), 0, -1):
        part = lead_ref(" ".join(words[:cut])) if cut < len(words) else ref
        found: Result = yield from one("search_leads", search=part.text)
        leads = relevant(found.items("leads"), part)
        if leads:
            if not is_company_match(leads, part):
                leads = narrow(leads, part)
            return leads, words[cut:]
        if len(words) - cut >= 2:
            break  # two words unread at most: a deal's name, not a lead's
    return [], []


def _names_deal(deal: dict[str, Any], words: list[str]) -> bool:
    name = str(deal.get("name") or "").lower()
    return bool(words) and all(w.lower() in name for w in words)


def _closing(ctx: Ctx, deals: list[dict[str, Any]], closing: str) -> list[dict[str, Any]]:
    today = ctx.clock.now.date()
    if "week" in closing:
        start = today - timedelta(days=today.weekday())
        if closing.startswith(("next", "last")):
            start += timedelta(days=7 if closing.startswith("next") else -7)
        end = start + timedelta(days=6)
        if today.weekday() >= 5 and closing.startswith("this"):
            end += timedelta(days=7)  # at the weekend "this week" is the working week ahead
    elif "quarter" in closing:
        q = (today.month - 1) // 3
        start = today.replace(month=3 * q + 1, day=1)
        if closing.startswith("next"):
            q = (q + 1) % 4
            start = start.replace(year=today.year + (1 if q == 0 else 0), month=3 * q + 1)
        elif closing.startswith("last"):
            start = (start - timedelta(days=1)).replace(day=1)
            start = start.replace(month=start.month - 2)
        end_month = start.month + 2
        end = (start.replace(month=end_month, day=28) + timedelta(days=4)).replace(
            day=1
        ) - timedelta(days=1)
    elif closing == "soon":
        start, end = today, today + timedelta(days=30)
    elif closing.startswith("next") and closing.endswith(" days"):  # "in the next 2 wks"
        start, end = today, today + timedelta(days=int(closing.split()[1]))
    else:
        start = today.replace(day=1)
        if closing.startswith("next"):
            start = (start + timedelta(days=32)).replace(day=1)
        elif closing.startswith("last"):
            start = (start - timedelta(days=1)).replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    out = []
    for deal in deals:
        day = parse_day(deal.get("expected_close_date"))
        if day is not None and start <= day <= end:
            out.append(deal)
    return out
