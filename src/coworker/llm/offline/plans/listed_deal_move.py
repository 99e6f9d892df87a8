"""A task's move said of a deal the last reply listed: "which of my deals close this week?"
then "push the acme one out a week" moves the Acme deal's close date, never a task that
only shares the word through its lead's company.

The words "push X out a week" read as a task's move (`intents/task_updates.py`), since the
reader does not see the conversation; here, with the listing in memory, a phrase that fits
a listed deal and none of the listed tasks is the deal's, and its close date moves instead.
"""

from __future__ import annotations

from dataclasses import replace

from coworker.llm.offline.engine import Plan
from coworker.llm.offline.intents import Intent
from coworker.llm.offline.intents.common import make_intent
from coworker.llm.offline.listed import deals_pointed, tasks_fitting
from coworker.llm.offline.plans.deal_edits import update_deal
from coworker.llm.offline.resolve import Ctx
from coworker.llm.offline.slots import LeadRef


def deal_move_meant(ctx: Ctx) -> Intent | None:
    """The deal change a task move's words mean after a list of deals, or None when they may
    be a task's (a task listed fits, no listed deal fits, or no date moves)."""
    slots = ctx.intent.slots
    phrase = slots.get("phrase")
    listed, leads = ctx.memory.listed, ctx.memory.leads
    if not phrase or not listed.deals or tasks_fitting(listed.tasks, phrase, leads):
        return None
    if not deals_pointed(listed.deals, phrase, leads):
        return None
    ref = LeadRef(text=phrase, listed=True)
    said = ctx.utterance.raw
    if slots.get("shift_days"):
        return make_intent(
            "update_deal", ref=ref, close_shift_days=slots["shift_days"], close_raw=said
        )
    due = slots.get("due")
    if isinstance(due, str) and not slots.get("priority"):
        return make_intent("update_deal", ref=ref, close=due[:10], close_raw=said)
    return None


def move_listed_deal(ctx: Ctx, intent: Intent) -> Plan:
    """The deal's plan, run for the words read as a task's move."""
    return (yield from update_deal(replace(ctx, intent=intent)))
