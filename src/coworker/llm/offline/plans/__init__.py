"""One plan per intent; `plan_for` picks it."""

from __future__ import annotations

from collections.abc import Callable

from coworker.llm.offline.engine import Call, Plan
from coworker.llm.offline.plans import (
    activity,
    bulk,
    corrections,
    daily,
    deals,
    leads,
    messages,
    talk,
    tasks,
)
from coworker.llm.offline.resolve import Ctx

PLANS: dict[str, Callable[[Ctx], Plan]] = {
    "find_leads": leads.find_leads,
    "create_lead": leads.create_lead,
    "update_status": leads.update_status,
    "update_lead": leads.update_lead,
    "tag_lead": leads.tag_lead,
    "delete_lead": leads.delete_lead,
    "call_lead": leads.call_lead,
    "add_note": activity.add_note,
    "list_notes": activity.list_notes,
    "list_calls": activity.list_calls,
    "create_task": tasks.create_task,
    "list_tasks": tasks.list_tasks,
    "complete_task": tasks.complete_task,
    "update_task": tasks.update_task,
    "delete_task": tasks.delete_task,
    "send_email": messages.send_email,
    "send_sms": messages.send_sms,
    "bulk_send": bulk.bulk_send,
    "enroll": messages.enroll,
    "list_sent": messages.list_sent,
    "list_mailboxes": messages.list_mailboxes,
    "list_sequences": messages.list_sequences,
    "list_deals": deals.list_deals,
    "create_deal": deals.create_deal,
    "update_deal": deals.update_deal,
    "list_tags": talk.list_tags,
    "create_tag": talk.create_tag,
    "overview": talk.overview,
    "next_calls": daily.next_calls,
    "undo": corrections.undo,
    "correct_value": corrections.correct_value,
    "correct_time": corrections.correct_time,
    "activity_report": daily.activity_report,
    "prep_brief": daily.prep_brief,
    "pipeline_report": daily.pipeline_report,
    "help": talk.help_plan,
    "greet": talk.greet,
    "unsupported": talk.unsupported,
    "empty": talk.empty,
    "noise": talk.noise,
    "foreign": talk.foreign,
    "too_long": talk.too_long,
}


def plan_for(ctx: Ctx, pending: Call | None = None, pending_say: str = "") -> Plan:
    """The plan for the context's intent (`pending`: an action a typed "yes" may repeat)."""
    if ctx.intent.kind == "confirm":
        return talk.confirm(ctx, pending, pending_say)
    return PLANS.get(ctx.intent.kind, talk.unsupported)(ctx)
