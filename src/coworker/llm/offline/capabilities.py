"""What the offline model can do: every intent, declared once, with its plan beside it.

The offline model is a pipeline (docs/ARCHITECTURE.md, "The offline model"):

    normalise -> split into requests -> classify -> typed slots -> resolve -> plan

`shorthand.normalise` and `intents.common.strip_preamble` normalise a message, `split`
cuts it into requests, the readers of `intents` classify each one into an `Intent` (its
kind and slots, read with the spans the trust check needs), `resolve` finds the records
its slots name in the CRM, and the plan below, a replayable generator (`engine`), makes
the calls. Adding a capability is one reader (in `intents/`), one plan (in `plans/`), one
row here and its cases; `tests/offline/test_capabilities.py` checks that every kind a
reader can produce has exactly one row, and that each row's example reaches its kind.

`example` is a request a person would write for it: living documentation, and the proof
that the reader, not only the plan, exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coworker.llm.offline.engine import Call, Plan
from coworker.llm.offline.intents.common import IntentKind
from coworker.llm.offline.plans import (
    activity,
    bulk,
    choices,
    corrections,
    daily,
    deal_edits,
    deals,
    lead_edits,
    lead_lists,
    leads,
    listed_questions,
    messages,
    offer_back,
    outbox,
    revisions,
    talk,
    task_moves,
    tasks,
)
from coworker.llm.offline.resolve import Ctx

# A plan that acts on the card the person left open ("yes", "send it from outlook"): given
# that card's call and the text shown with it, or None when no card waits.
OnCard = Callable[[Ctx, Call | None, str], Plan]


@dataclass(frozen=True)
class Capability:
    kind: IntentKind
    plan: Callable[[Ctx], Plan]
    example: str
    on_card: OnCard | None = None


def _confirm(ctx: Ctx) -> Plan:
    return talk.confirm(ctx, None, "")


def _switch_mailbox(ctx: Ctx, card: Call | None, _shown: str) -> Plan:
    return messages.switch_mailbox(ctx, card)


CAPABILITIES: tuple[Capability, ...] = (
    # leads
    Capability("find_leads", leads.find_leads, "anyone at acme"),
    Capability("list_leads", lead_lists.list_leads, "which acme leads are mine"),
    Capability("lead_owner", lead_lists.lead_owner, "whose lead is tom becker"),
    Capability("create_lead", lead_edits.create_lead, "add a lead: Ada Byrne at Globex"),
    Capability("update_status", lead_edits.update_status, "mark jane smith as contacted"),
    Capability("unknown_status", choices.unknown_status, "mark jane as hot lead status"),
    Capability("update_lead", lead_edits.update_lead, "jane smith's title is now COO"),
    Capability("tag_lead", lead_edits.tag_lead, "tag jane smith as hot"),
    Capability("delete_lead", lead_edits.delete_lead, "delete lead jane smith"),
    Capability("call_lead", leads.call_lead, "call jane smith"),
    Capability("create_tag", talk.create_tag, "create a tag called vip"),
    Capability("list_tags", talk.list_tags, "what tags do we have"),
    # notes and calls
    Capability("add_note", activity.add_note, "log a note on jane smith: she wants a demo"),
    Capability("list_notes", activity.list_notes, "notes on jane smith"),
    Capability("list_calls", activity.list_calls, "call history with marcus reed"),
    # tasks
    Capability("create_task", tasks.create_task, "remind me to call jane smith tomorrow at 10am"),
    Capability("list_tasks", tasks.list_tasks, "what's due today"),
    Capability(
        "longest_waiting", listed_questions.longest_waiting, "which ones been sitting the longest"
    ),
    Capability("complete_task", tasks.complete_task, "mark the task call jane smith done"),
    Capability("update_task", tasks.update_task, "move my task about pricing to friday"),
    Capability("delete_task", tasks.delete_task, "delete the task about pricing"),
    Capability(
        "bulk_task_move", task_moves.bulk_task_move, "push all my overdue tasks to tomorrow"
    ),
    # sending: every one of these waits on a card the person approves
    Capability("send_email", messages.send_email, "email jane smith: hi jane, quick check-in"),
    Capability("send_sms", messages.send_sms, "text jane smith: running late"),
    Capability("bulk_send", bulk.bulk_send, "email all new leads at acme a quick hello"),
    Capability("bulk_status", bulk.bulk_status, "mark all my new acme leads as contacted"),
    Capability("enroll", messages.enroll, "enroll jane smith in the onboarding sequence"),
    Capability("list_sent", outbox.list_sent, "what emails did i send today"),
    Capability("list_mailboxes", outbox.list_mailboxes, "which mailboxes do i have"),
    Capability("list_sequences", outbox.list_sequences, "list sequences"),
    Capability(
        "switch_mailbox",
        messages.switch_mailbox,
        "actually send it from outlook",
        on_card=_switch_mailbox,
    ),
    # deals
    Capability(
        "revise_message",
        revisions.revise_plain,
        "actually make it: running 10 min late",
        on_card=revisions.revise_message,
    ),
    Capability("list_deals", deals.list_deals, "my deals in negotiation"),
    Capability("create_deal", deal_edits.create_deal, "new deal for jane smith, 12k, prospecting"),
    Capability("update_deal", deal_edits.update_deal, "move the acme team plan deal to closed won"),
    # the day, through the derived tools
    Capability("overview", talk.overview, "what's on my plate today"),
    Capability("next_calls", daily.next_calls, "who should i call next"),
    Capability("activity_report", daily.activity_report, "what did i do yesterday"),
    Capability("prep_brief", daily.prep_brief, "prep me for my call with jane smith"),
    Capability("pipeline_report", daily.pipeline_report, "how's my pipeline"),
    Capability("recent_leads", daily.recent_leads, "any new leads since yesterday"),
    # corrections of the coworker's own last change
    Capability("undo", corrections.undo, "undo that"),
    Capability("correct_value", corrections.correct_value, "sorry 15k not 12k"),
    Capability("correct_time", corrections.correct_time, "make that 4pm"),
    Capability("offer_undo", offer_back.offer_back, "ugh no thats not what i meant"),
    # the conversation itself
    Capability("confirm", _confirm, "yes", on_card=talk.confirm),
    Capability("help", talk.help_plan, "help"),
    Capability("greet", talk.greet, "hi"),
    Capability("unsupported", talk.unsupported, "book me a flight to denver"),
    Capability("empty", talk.empty, ""),
    Capability("noise", talk.noise, "???"),
    Capability("foreign", talk.foreign, "bonjour, pouvez-vous m'aider avec mes prospects"),
    Capability("too_long", talk.too_long, "lorem ipsum " * 300),
)
BY_KIND: dict[str, Capability] = {c.kind: c for c in CAPABILITIES}


def plan_for(ctx: Ctx, pending: Call | None = None, pending_say: str = "") -> Plan:
    """The plan for the context's intent (`pending`: the card the person left open, which a
    typed "yes" may offer again, and `pending_say` the text shown with it)."""
    row = BY_KIND[ctx.intent.kind]
    return row.on_card(ctx, pending, pending_say) if row.on_card else row.plan(ctx)
