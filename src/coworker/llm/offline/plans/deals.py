"""Deal plans: list by stage or lead, open a deal, move its stage or change its value."""

from __future__ import annotations

import re
from collections.abc import Generator
from datetime import timedelta
from typing import Any

from coworker.dialsheet.contract import parse_day
from coworker.llm.offline import replies
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Batch, Call, Plan, Reply, many, one
from coworker.llm.offline.intents import Intent
from coworker.llm.offline.names import is_company_match, narrow, relevant
from coworker.llm.offline.pick import find_deal
from coworker.llm.offline.resolve import Ctx, find_lead
from coworker.llm.offline.slots import LeadRef, lead_ref
from coworker.llm.offline.trust import (
    Unread,
    WritePlan,
    Written,
    money_confident,
    text_confident,
    unaccounted_numbers,
    write,
)
from coworker.llm.offline.vocab import OPEN_STAGES

STAGE_ORDER = {
    stage: i
    for i, stage in enumerate(
        ("negotiation", "proposal", "qualification", "prospecting", "closed_won", "closed_lost")
    )
}


# A close date worked out from an offset ("2 wks out", "end of next month") rather than read
# ("Dec 20", "friday"): shown to the person before the deal is opened.
WORKED_OUT = re.compile(
    r"\b(?:out|from now|end of|in \d+|\d+\s*(?:d|days?|wks?|weeks?|mos?|months?|qtrs?|"
    r"quarters?))\b",
    re.I,
)


def my_user_id() -> Generator[Batch, list[Result], str | None]:
    """The person's CRM user id: tasks are personal, so their owner is the person."""
    result: Result = yield from one("list_tasks", limit=1)
    return next((str(t["owner_id"]) for t in result.items("tasks") if t.get("owner_id")), None)


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
    ref: LeadRef = intent.get("ref") or LeadRef()
    stage: str | None = intent.get("stage")
    closing: str | None = intent.get("closing")
    who = ""
    if not ref.empty:
        if ref.pronoun or ref.ordinal is not None:
            lead = yield from find_lead(ctx, ref)
            leads = [lead]
        else:
            leads, named = yield from _leads_and_deal_words(ref)
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
    elif stage:
        result: Result = yield from one("list_opportunities", stage=stage, limit=100)
        if result.is_error:
            return Reply(replies.failure(result))
        deals = result.items("opportunities")
    else:
        results = yield from many(open_pipeline_calls())
        deals = [d for r in results for d in r.items("opportunities")]
    if closing:
        deals = _closing(ctx, deals, closing)
    if intent.get("mine"):
        me = yield from my_user_id()
        if me is None:
            return Reply("I couldn't tell which deals are yours (I learn it from your tasks).")
        deals = [d for d in deals if d.get("owner_id") == me]
        who = " of yours"
    deals.sort(key=lambda d: (STAGE_ORDER.get(str(d.get("stage")), 9), -float(d.get("value") or 0)))
    stage_name = replies.STAGE_NAMES.get(stage or "", "")
    what = f"{stage_name} deals" if stage else ("deals" if who else "open deals")
    if closing:
        what = f"open deals closing {closing}"
    if not deals:
        return Reply(f"No {what}{who}.")
    heading = f"{what[0].upper() + what[1:]}{who}: {len(deals)}, worth {_total(deals)}."
    lines = deal_lines(deals, ctx)
    text = heading + "\n\n" + replies.bullets(lines)
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
        if closing.startswith("next"):
            start += timedelta(days=7)
        end = start + timedelta(days=6)
    elif "quarter" in closing:
        q = (today.month - 1) // 3
        start = today.replace(month=3 * q + 1, day=1)
        if closing.startswith("next"):
            q = (q + 1) % 4
            start = start.replace(year=today.year + (1 if q == 0 else 0), month=3 * q + 1)
        end_month = start.month + 2
        end = (start.replace(month=end_month, day=28) + timedelta(days=4)).replace(
            day=1
        ) - timedelta(days=1)
    elif closing == "soon":
        start, end = today, today + timedelta(days=30)
    else:
        start = today.replace(day=1)
        if closing.startswith("next"):
            start = (start + timedelta(days=32)).replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    out = []
    for deal in deals:
        day = parse_day(deal.get("expected_close_date"))
        if day is not None and start <= day <= end:
            out.append(deal)
    return out


def _value(intent: Intent) -> Written | None:
    value = intent.get("value")
    if value is None:
        return None
    raw = str(intent.get("value_raw") or "")
    shown = replies.money(value, intent.get("currency") or "USD")
    return Written("value", value, "value", shown, "words", money_confident(raw), raw)


def create_deal(ctx: Ctx) -> Plan:
    intent = ctx.intent
    ref: LeadRef = intent.get("ref") or LeadRef()
    lead = yield from find_lead(ctx, ref, purpose="should the deal be for")
    values: list[Written] = []
    value = _value(intent)
    if value is not None:
        values.append(value)
        if intent.get("currency"):
            values.append(
                Written("currency", intent.get("currency"), "in", str(intent.get("currency")))
            )
    stage = intent.get("stage")
    if stage:
        values.append(Written("stage", stage, "stage", replies.STAGE_NAMES.get(stage, stage)))
    name = intent.get("name")
    if name:
        values.append(Written("name", name, "named", f"“{name}”", confident=text_confident(name)))
    close = intent.get("close")
    if close:
        shown = replies.day_label(close, ctx.clock)
        raw = str(intent.get("close_raw") or "")
        sure = not WORKED_OUT.search(str(intent.get("close_words") or raw))
        values.append(Written("expected_close_date", close, "closing", shown, "words", sure, raw))
    unread = []
    if intent.get("close_words") and not close:
        unread.append(Unread("close date", str(intent.get("close_words"))))
    read = [ref.text, ref.company or "", name or "", *(v.raw for v in values)]
    numbers = unaccounted_numbers(ctx.utterance.text, read)
    if numbers and not unread:
        unread.append(Unread("meaning of", ", ".join(numbers)))
    plan = WritePlan(
        "create_opportunity",
        {"lead_id": lead["id"]},
        tuple(values),
        f"New deal for **{replies.lead_short(lead)}**",
        tuple(unread),
    )
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    deal = result.record("opportunity") or plan.call().input
    return Reply(f"Opened a deal for **{replies.lead_short(lead)}**: {replies.deal_label(deal)}.")


def update_deal(ctx: Ctx) -> Plan:
    intent = ctx.intent
    stage: str | None = intent.get("stage")
    deal = yield from find_deal(
        ctx,
        intent.get("ref") or LeadRef(),
        purpose="should I update",
        prefer_open=True,
        target_stage=stage,
    )
    changes: dict[str, Any] = {}
    values: list[Written] = []
    if stage:
        changes["stage"] = stage
        values.append(Written("stage", stage, "stage", replies.STAGE_NAMES.get(stage, stage)))
    value = _value(intent)
    if value is not None:
        changes["value"] = value.value
        values.append(value)
        if intent.get("currency"):
            changes["currency"] = intent.get("currency")
            values.append(
                Written("currency", intent.get("currency"), "in", str(intent.get("currency")))
            )
    if stage and deal.get("stage") == stage and "value" not in changes:
        return Reply(
            f"**{deal.get('name')}** is already in {replies.STAGE_NAMES.get(stage, stage)}."
        )
    plan = WritePlan(
        "update_opportunity",
        {"opportunity_id": deal["id"]},
        tuple(values),
        f"Update the deal **{deal.get('name')}**",
    )
    result: Result = yield from write(ctx, plan)
    if result.is_error:
        return Reply(replies.failure(result))
    said = []
    if stage:
        was = (
            f" (was {replies.STAGE_NAMES.get(str(deal.get('stage')), deal.get('stage'))})"
            if deal.get("stage")
            else ""
        )
        said.append(f"moved to **{replies.STAGE_NAMES.get(stage, stage)}**{was}")
    if "value" in changes:
        was = (
            f" (was {replies.money(deal.get('value'), deal.get('currency'))})"
            if deal.get("value") is not None
            else ""
        )
        amount = replies.money(changes["value"], changes.get("currency") or deal.get("currency"))
        said.append(f"value set to **{amount}**{was}")
    return Reply(f"Updated **{deal.get('name')}**: " + "; ".join(said) + ".")
