"""next_best_actions: who the person should contact now and why, ranked.

Most pressing first: overdue tasks, tasks due today, deals whose expected close date has
passed, open deals gone quiet, warm leads (last outcome interested, call back or meeting
booked) not touched for `stale_days`, then new leads nobody has called or noted yet. One
entry per lead: a lead that qualifies twice keeps its first reason and lists the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coworker.dialsheet.words import inline, word
from coworker.tools.derived.agenda import STALE_DAYS, WARM_OUTCOMES, Agenda, agenda
from coworker.tools.derived.reader import Moment, Reader, days_between

DEFAULT_LIMIT = 10


@dataclass(slots=True)
class NextAction:
    kind: str  # overdue_task | task_due_today | deal_past_close | quiet_deal | warm_lead | new_lead
    reason: str
    suggestion: str
    lead_id: str | None = None
    lead: str | None = None
    task_id: str | None = None
    deal_id: str | None = None
    also: list[str] = field(default_factory=list)

    def as_json(self, rank: int) -> dict[str, Any]:
        item: dict[str, Any] = {"rank": rank, "kind": self.kind}
        for key in ("lead", "lead_id", "task_id", "deal_id"):
            if getattr(self, key):
                item[key] = getattr(self, key)
        item["reason"] = self.reason
        item["suggested_action"] = self.suggestion
        if self.also:
            item["also"] = self.also
        return item


@dataclass(frozen=True, slots=True)
class NextBestActions:
    actions: tuple[NextAction, ...]
    considered: int  # candidates before the limit
    agenda: Agenda

    def as_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "report": "next_best_actions",
            "whose": "yours",
            "actions": [a.as_json(n) for n, a in enumerate(self.actions, start=1)],
            "more": max(0, self.considered - len(self.actions)),
            "stale_after_days": self.agenda.stale_days,
        }
        if self.agenda.me is None:
            result["note"] = (
                "Could not tell the person's own leads and deals from the team's (they have "
                "no task to learn their CRM user from); these include the team's."
            )
        if not self.actions:
            result["note_empty"] = "Nothing pressing: no task due, no deal or lead waiting."
        return result


def _ago(at: datetime, now: datetime) -> str:
    days = days_between(at, now)
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"


def _candidates(plan: Agenda) -> list[NextAction]:
    now, today = plan.moment.now, plan.moment.today
    name = plan.lead_names.get
    found: list[NextAction] = []
    for task in plan.overdue:
        who = name(task.lead_id) if task.lead_id else None
        found.append(
            NextAction(
                "overdue_task",
                f"{inline(task.priority)}-priority task overdue since {task.due:%a %d %b %H:%M}",
                f"Do it now: {task.title}",
                task.lead_id,
                who,
                task_id=task.id,
            )
        )
    for task in plan.due_today:
        who = name(task.lead_id) if task.lead_id else None
        found.append(
            NextAction(
                "task_due_today",
                f"{inline(task.priority)}-priority task due today at {task.due:%H:%M}",
                f"Get it done today: {task.title}",
                task.lead_id,
                who,
                task_id=task.id,
            )
        )
    open_deals = [d for d in plan.deals if d.open]
    for deal in sorted(open_deals, key=lambda d: (-d.value, d.name)):
        if deal.expected_close is None or deal.expected_close >= today:
            continue
        who = name(deal.lead_id)
        late = (today - deal.expected_close).days
        found.append(
            NextAction(
                "deal_past_close",
                f"{deal.name} ({word(deal.stage)}, {deal.value:,.0f} {deal.currency}) was "
                f"expected to close {deal.expected_close:%d %b}, {late} days ago",
                f"Call {who or 'the contact'} to confirm timing, then update the close date "
                "or the stage",
                deal.lead_id,
                who,
                deal_id=deal.id,
            )
        )
    for deal in plan.stale_deals():
        who = name(deal.lead_id)
        quiet = (
            f"nothing logged since {deal.last_activity:%d %b}"
            if deal.last_activity
            else f"no note or call in {plan.stale_days}+ days"
        )
        found.append(
            NextAction(
                "quiet_deal",
                f"{deal.name} ({word(deal.stage)}, {deal.value:,.0f} {deal.currency}) has gone "
                f"quiet: {quiet}",
                f"Re-engage {who or 'the contact'} with a call or a short follow-up email",
                deal.lead_id,
                who,
                deal_id=deal.id,
            )
        )
    warm: list[NextAction] = []
    new: list[NextAction] = []
    for lead in plan.leads:
        said = plan.outcome.get(lead.id)
        touched = plan.touched.get(lead.id)
        if touched is not None and touched >= plan.quiet_since:
            continue
        if said is not None and said[0] in WARM_OUTCOMES:
            warm.append(
                NextAction(
                    "warm_lead",
                    f"last outcome {inline(said[0])} {_ago(said[1], now)}, nothing since",
                    f"Follow up with {lead.name} while they are still interested",
                    lead.id,
                    lead.name,
                )
            )
        elif lead.status == "new" and touched is None:
            company = f" at {lead.company}" if lead.company else ""
            new.append(
                NextAction(
                    "new_lead",
                    f"new lead{company}, created {_ago(lead.created_at, now)}, not contacted yet",
                    f"Make a first call or email to {lead.name}",
                    lead.id,
                    lead.name,
                )
            )
    found += warm + new
    return found


def rank(plan: Agenda) -> list[NextAction]:
    """The candidates in order, one per lead (later reasons for a lead join its `also`)."""
    ranked: list[NextAction] = []
    by_lead: dict[str, NextAction] = {}
    for action in _candidates(plan):
        first = by_lead.get(action.lead_id) if action.lead_id else None
        if first is not None:
            first.also.append(action.reason)
            continue
        ranked.append(action)
        if action.lead_id:
            by_lead[action.lead_id] = action
    return ranked


async def next_best_actions(
    reader: Reader, moment: Moment, *, limit: int = DEFAULT_LIMIT, stale_days: int = STALE_DAYS
) -> NextBestActions:
    plan = await agenda(reader, moment, stale_days=stale_days)
    ranked = rank(plan)
    return NextBestActions(tuple(ranked[:limit]), len(ranked), plan)
