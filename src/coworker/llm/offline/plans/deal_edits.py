"""Deal edits: open a deal for a lead, move its stage, change its value or close date.

Every plan here writes through an approved card and asks rather than guesses when the
amount, stage or close date is not plain; that care is its own concept, apart from the
listings in `deals`.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from datetime import timedelta
from typing import Any

from coworker.dialsheet.contract import parse_day
from coworker.llm.offline import replies, vocab
from coworker.llm.offline.conversation import Result
from coworker.llm.offline.engine import Batch, Call, Option, Plan, Reply, Stop, many
from coworker.llm.offline.intents import Intent
from coworker.llm.offline.pick import find_deal
from coworker.llm.offline.plans.deal_answer import amount_asked
from coworker.llm.offline.plans.deals import _leads_and_deal_words, _names_deal
from coworker.llm.offline.resolve import Ctx, choose, find_lead, my_user_id
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

# A close date worked out from an offset ("2 wks out", "end of next month") rather than read
# ("Dec 20", "friday"): shown to the person before the deal is opened.
WORKED_OUT = re.compile(
    r"\b(?:out|from now|end of|in \d+|\d+\s*(?:d|days?|wks?|weeks?|mos?|months?|qtrs?|"
    r"quarters?)|(?:next|this)\s+(?:wk|week|mo|month|qtr|quarter|year))\b",
    re.I,
)

# A week's end names one day, its Friday ("close end of next week"), as a weekday does; a
# month's end is still worked out (its last day, or its last working day?).
_WEEK_END = re.compile(
    r"\b(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?(?:this\s+|next\s+|nxt\s+)?(?:week|wk)\b|\beow\b",
    re.I,
)


def _value(intent: Intent) -> Written | None:
    value = intent.slots.get("value")
    if value is None:
        return None
    raw = str(intent.slots.get("value_raw") or "")
    shown = replies.money(value, intent.slots.get("currency") or "USD")
    sure = money_confident(raw) and not intent.slots.get("value_unsure")
    return Written("value", value, "value", shown, "words", sure, raw)


def _close(ctx: Ctx, intent: Intent, moving: dict[str, Any] | None = None) -> Written | None:
    """The close date said. A new deal's date worked out from words ("2 wks out") is shown
    with the rest of the deal before it opens; an open deal's date moved to a day the words
    name with confidence ("3 wks from today") is set, the old date shown beside it."""
    close = intent.slots.get("close")
    if not close:
        return None
    shown = replies.day_label(close, ctx.clock)
    was = parse_day(moving.get("expected_close_date")) if moving else None
    if was is not None and was.isoformat() != close:
        shown += f" (was {replies.day_label(was.isoformat(), ctx.clock)})"
    raw = str(intent.slots.get("close_raw") or "")
    said = _WEEK_END.sub(" ", str(intent.slots.get("close_words") or raw))
    sure = moving is not None or not WORKED_OUT.search(said)
    sure = sure and not intent.slots.get("close_unsure")  # "fri 2": which hour, which day?
    return Written("expected_close_date", close, "closing", shown, "words", sure, raw)


def _close_shifted(ctx: Ctx, intent: Intent, deal: dict[str, Any]) -> Written | None:
    """ "push close out 2 wks": the deal's close date moved by the span, from the date it has,
    set and shown with the old date; from today when it has none, a guess shown first."""
    days = intent.slots.get("close_shift_days")
    if not days:
        return None
    was = parse_day(deal.get("expected_close_date"))
    base = was or ctx.clock.now.date()
    day = (base + timedelta(days=int(days))).isoformat()
    shown = replies.day_label(day, ctx.clock)
    if was is not None:
        shown += f" (was {replies.day_label(was.isoformat(), ctx.clock)})"
    raw = str(intent.slots.get("close_raw") or "")
    return Written("expected_close_date", day, "closing", shown, "words", was is not None, raw)


def create_deal(ctx: Ctx) -> Plan:
    intent = ctx.intent
    ref: LeadRef = intent.slots.get("ref") or LeadRef()
    lead = yield from find_lead(ctx, ref, purpose="should the deal be for")
    if intent.slots.get("value") is None:
        intent = amount_asked(ctx, intent, replies.lead_short(lead))
    if not intent.slots.get("stage") and intent.slots.get("stage_words"):
        picked = _stage_asked(
            ctx,
            str(intent.slots.get("stage_words")),
            f"Which stage is the new deal for **{replies.lead_short(lead)}** in?",
        )
        intent = intent.but(stage=picked)
    values: list[Written] = []
    value = _value(intent)
    if value is not None:
        values.append(value)
        if intent.slots.get("currency"):
            values.append(
                Written(
                    "currency",
                    intent.slots.get("currency"),
                    "in",
                    str(intent.slots.get("currency")),
                )
            )
    stage = intent.slots.get("stage")
    if stage:
        sure = not intent.slots.get("stage_unsure")  # "X closed!!": won, asked first
        shown = replies.STAGE_NAMES.get(stage, stage)
        values.append(Written("stage", stage, "stage", shown, "words", sure))
    name = intent.slots.get("name")
    if name:
        values.append(Written("name", name, "named", f"“{name}”", confident=text_confident(name)))
    close = _close(ctx, intent)
    if close is not None:
        values.append(close)
    unread = []
    if intent.slots.get("close_words") and not close:
        unread.append(Unread("close date", str(intent.slots.get("close_words"))))
    if intent.slots.get("unread_words"):  # "…, and loop in his boss": asked, never dropped
        unread.append(Unread("rest of your answer", str(intent.slots.get("unread_words"))))
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


def _deal_named(
    ctx: Ctx, ref: LeadRef, stage: str | None, *, mine: bool = False
) -> Generator[Batch, list[Result], dict[str, Any]]:
    """The deal `ref` names; with `mine` ("my blue sun deal") the person's own of those.

    A question "which of these deals?" is narrowed to the person's own deals (the owner of
    their tasks is them, `my_user_id`): one left is the deal meant, none is said, never a
    teammate's deal picked for them."""
    try:
        deal: dict[str, Any] = yield from _deal_of_ref(ctx, ref, stage)
    except Stop as stop:
        question = stop.reply.question
        if not mine or question is None or not question.key.startswith("deal"):
            raise
        me = yield from my_user_id()
        own = [o for o in question.options if o.record and o.record.get("owner_id") == me]
        if len(own) == 1 and own[0].record is not None:
            return own[0].record
        if not own or me is None:
            raise
        text = f"You have {len(own)} deals for {ref.describe()}. Which one should I update?"
        text += "\n\n" + replies.numbered([o.label for o in own])
        return choose(ctx, question.key, text, own)
    if mine and not ref.pronoun:
        me = yield from my_user_id()
        if me is not None and deal.get("owner_id") != me:
            raise Stop(
                Reply(
                    f"**{deal.get('name')}** isn't yours (it's a teammate's deal), so I left "
                    "it as it is. Did you mean another deal? Tell me its company or lead."
                )
            )
    return deal


def _deal_of_ref(
    ctx: Ctx, ref: LeadRef, stage: str | None
) -> Generator[Batch, list[Result], dict[str, Any]]:
    """The deal `ref` names; "the acme team plan deal" names no lead, but Acme's leads and a
    deal of theirs called "... Team plan ..."."""
    try:
        deal: dict[str, Any] = yield from find_deal(
            ctx, ref, purpose="should I update", prefer_open=True, target_stage=stage
        )
        return deal
    except Stop as stop:
        if stop.reply.question is not None or ref.pronoun or len(ref.text.split()) < 2:
            raise
        missing = stop
    if re.search(r"[^s']s$", ref.text):  # "chris johnsons deal": a possessive, unmarked
        try:
            deal = yield from find_deal(
                ctx,
                lead_ref(ref.text[:-1]),
                purpose="should I update",
                prefer_open=True,
                target_stage=stage,
            )
            return deal
        except Stop as stop:
            if stop.reply.question is not None:
                raise
    leads, named = yield from _leads_and_deal_words(ref)
    if not leads or not named:
        raise missing
    lists = yield from many(
        [Call("list_opportunities", {"lead_id": str(lead["id"])}) for lead in leads[:8]]
    )
    deals = [d for r in lists for d in r.items("opportunities") if _names_deal(d, named)]
    if not deals:
        raise missing
    if len(deals) == 1:
        return deals[0]
    options = [Option(str(d["id"]), replies.deal_label(d), d) for d in deals[:8]]
    text = f"Which “{ref.text}” deal should I update?\n\n" + replies.numbered(
        [o.label for o in options]
    )
    return choose(ctx, "deal", text, options)


def _stage_asked(ctx: Ctx, words: str, question: str, *, lead_in: str = "") -> str:
    """The stage the person picks when their word for it is none the CRM has ("almost
    done", "disco"), or when they said two: never a guess, the stages listed to choose from."""
    options = [Option(s, replies.STAGE_NAMES.get(s, s)) for s in vocab.STAGES]
    lead_in = lead_in or f"“{words}” isn't a deal stage."
    text = f"{lead_in} {question}\n\n" + replies.numbered([o.label for o in options])
    return str(choose(ctx, "deal:stage", text, options)["id"])


def update_deal(ctx: Ctx) -> Plan:
    intent = ctx.intent
    stage: str | None = intent.slots.get("stage")
    deal = yield from _deal_named(
        ctx, intent.slots.get("ref") or LeadRef(), stage, mine=bool(intent.slots.get("mine"))
    )
    if intent.slots.get("close_words") and not intent.slots.get("close"):
        # a close date said but not read: the other changes wait for it (never half done)
        return Reply(
            f"I couldn't read a close date in “{intent.slots.get('close_words')}”, so I changed "
            f"nothing on **{deal.get('name')}**. Say it again with a date, e.g. “push close "
            "to Jan 15”."
        )
    if intent.slots.get("unread_words"):
        # "to 40k and hers to 20k": one change read, another not; neither is made alone
        return Reply(
            f"I read a new value for **{deal.get('name')}**, but not what "
            f"“{intent.slots.get('unread_words')}” changes (which deal, whose?), so I changed "
            "nothing. Say each change on its own, e.g. “set the Initech deal to 20k”."
        )
    said = intent.slots.get("stages_said")
    if not stage and said:  # "lost it, mark it closed won": which one is asked
        names = " and ".join(replies.STAGE_NAMES.get(s, s) for s in said)
        stage = _stage_asked(
            ctx,
            "",
            f"Which stage should **{deal.get('name')}** move to?",
            lead_in=f"You said both {names}.",
        )
    if not stage and intent.slots.get("stage_words"):
        now_in = replies.STAGE_NAMES.get(str(deal.get("stage")), str(deal.get("stage") or "none"))
        stage = _stage_asked(
            ctx,
            str(intent.slots.get("stage_words")),
            f"Which stage should **{deal.get('name')}** move to (it's in {now_in} now)?",
        )
    changes: dict[str, Any] = {}
    values: list[Written] = []
    close = _close(ctx, intent, moving=deal) or _close_shifted(ctx, intent, deal)
    if close is not None:
        changes["expected_close_date"] = close.value
        values.append(close)
    if stage:
        changes["stage"] = stage
        sure = not intent.slots.get("stage_unsure")  # "X closed!!": won, asked first
        shown = replies.STAGE_NAMES.get(stage, stage)
        values.append(Written("stage", stage, "stage", shown, "words", sure))
    value = _value(intent)
    if value is not None and intent.slots.get("value_sign"):
        # "up 5k": the deal's value and the change, worked out and shown before it is set
        now = float(deal.get("value") or 0)
        total = now + int(intent.slots.get("value_sign") or 1) * float(value.value)
        if total <= 0:
            return Reply(
                f"**{deal.get('name')}** is worth {replies.money(now, deal.get('currency'))}; "
                f"that change would take it to nothing. What should its value be?"
            )
        shown = f"{replies.money(total, deal.get('currency'))} (was {replies.money(now)})"
        value = Written("value", total, "value", shown, "words", False, value.raw)
    elif value is not None and intent.slots.get("value_unsure"):
        value = Written("value", value.value, "value", value.shown, "words", False, value.raw)
    if value is not None:
        changes["value"] = value.value
        values.append(value)
        if intent.slots.get("currency"):
            changes["currency"] = intent.slots.get("currency")
            values.append(
                Written(
                    "currency",
                    intent.slots.get("currency"),
                    "in",
                    str(intent.slots.get("currency")),
                )
            )
    if stage and deal.get("stage") == stage and set(changes) == {"stage"}:
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
    done = []
    if stage:
        was = (
            f" (was {replies.STAGE_NAMES.get(str(deal.get('stage')), deal.get('stage'))})"
            if deal.get("stage")
            else ""
        )
        done.append(f"moved to **{replies.STAGE_NAMES.get(stage, stage)}**{was}")
    if "value" in changes:
        was = (
            f" (was {replies.money(deal.get('value'), deal.get('currency'))})"
            if deal.get("value") is not None
            else ""
        )
        amount = replies.money(changes["value"], changes.get("currency") or deal.get("currency"))
        done.append(f"value set to **{amount}**{was}")
    if "expected_close_date" in changes:
        done.append(f"closing {close.shown if close else changes['expected_close_date']}")
    return Reply(f"Updated **{deal.get('name')}**: " + "; ".join(done) + ".")
