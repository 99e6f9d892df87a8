"""Render `SummaryData` as the message a person reads.

Two paths with the same facts: `render_offline` (deterministic Markdown, used with the
offline model, in previews and whenever the model gives nothing usable) and
`render_with_model` (exactly one model call with `prompts/daily_summary.md`, no tools), so
a summary costs one model call per person however much data it covers.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from coworker.agent.context import load_prompt
from coworker.dialsheet.words import inline, word
from coworker.errors import ModelError
from coworker.llm.base import Model, ModelRequest, is_text
from coworker.summary.gather import SummaryData, TaskItem

log = logging.getLogger("coworker.summary")

PROMPT_NAME = "daily_summary.md"
SHOWN_PER_SECTION = 8
OFFLINE_MODEL = "offline"


def summary_prompt() -> str:
    return load_prompt(PROMPT_NAME)


def _money(value: float, currency: str = "USD") -> str:
    return f"${value:,.0f}" if currency == "USD" else f"{value:,.0f} {currency}"


def _when(at: datetime, data: SummaryData) -> str:
    if at.date() == data.local_date:
        return f"today {at:%H:%M}"
    return f"{at:%a %d %b}"


def _task_line(task: TaskItem, data: SummaryData) -> str:
    return f"- **{task.title}** ({inline(task.priority)}, due {_when(task.due, data)})"


def _capped(lines: list[str], total: int) -> list[str]:
    shown = lines[:SHOWN_PER_SECTION]
    if total > len(shown):
        shown.append(f"- …and {total - len(shown)} more")
    return shown


def suggested_actions(data: SummaryData) -> list[str]:
    """Three next steps, most pressing first: the top overdue task, the biggest quiet deal,
    the newest lead; then the top tasks due today fill any gap."""
    ideas: list[str] = []
    if data.overdue:
        task = data.overdue[0]
        ideas.append(
            f"Finish **{task.title}**: {inline(task.priority)} priority, "
            f"overdue since {task.due:%a %d %b}."
        )
    if data.stale_deals:
        deal = data.stale_deals[0]
        quiet = (
            f"nothing logged since {deal.last_activity:%d %b}"
            if deal.last_activity
            else f"no note or call in {data.stale_days}+ days"
        )
        ideas.append(
            f"Re-engage **{deal.name}** ({inline(deal.stage)}, "
            f"{_money(deal.value, deal.currency)}): "
            f"{quiet}. Ask me to draft a follow-up."
        )
    if data.new_leads:
        lead = data.new_leads[0]
        company = f" at {lead.company}" if lead.company else ""
        ideas.append(f"Reach out to new lead **{lead.name}**{company} while the interest is fresh.")
    for task in data.due_today:
        if len(ideas) >= 3:
            break
        ideas.append(f"Get **{task.title}** done ({inline(task.priority)}, due {task.due:%H:%M}).")
    for task in data.overdue[1:]:
        if len(ideas) >= 3:
            break
        ideas.append(f"Clear **{task.title}** (overdue since {task.due:%a %d %b}).")
    if not ideas:
        ideas.append("Nothing is pressing: a good day to prospect. Ask me for leads to call.")
    return ideas[:3]


def render_offline(data: SummaryData) -> str:
    """The summary as structured Markdown, written without a model."""
    who = f", {data.person.split()[0]}" if data.person else ""
    lines = [f"**Good morning{who}. Here is your {data.local_date:%A, %d %B %Y}.**", ""]

    lines.append(f"### Tasks ({len(data.overdue)} overdue, {len(data.due_today)} due today)")
    if not data.overdue and not data.due_today:
        lines.append("- Nothing due today and nothing overdue.")
    if data.overdue:
        lines += ["", "**Overdue**", ""]
        lines += _capped([_task_line(t, data) for t in data.overdue], len(data.overdue))
    if data.due_today:
        lines += ["", "**Due today**", ""]
        lines += _capped([_task_line(t, data) for t in data.due_today], len(data.due_today))

    lines += ["", f"### New leads ({len(data.new_leads)} since {data.since:%a %d %b %H:%M})"]
    if data.new_leads:
        new = [
            f"- {lead.name}"
            + (f", {lead.company}" if lead.company else "")
            + (f" (via {inline(lead.source)})" if lead.source else "")
            for lead in data.new_leads
        ]
        lines += _capped(new, len(data.new_leads))
    else:
        lines.append("- No new leads.")

    lines += ["", f"### Deals going quiet (no note or call for {data.stale_days}+ days)"]
    if data.stale_deals:
        quiet = [
            f"- **{d.name}**: {word(d.stage)}, {_money(d.value, d.currency)}"
            + (f", last touched {d.last_activity:%d %b}" if d.last_activity else "")
            for d in data.stale_deals
        ]
        lines += _capped(quiet, len(data.stale_deals))
    else:
        lines.append("- Every open deal has had recent activity.")

    lines += ["", "### Pipeline"]
    if data.pipeline:
        lines += ["| Stage | Deals | Value |", "|---|---:|---:|"]
        lines += [f"| {word(s.stage)} | {s.count} | {_money(s.value)} |" for s in data.pipeline]
    else:
        lines.append("- No deals yet.")

    lines += [
        "",
        f"### Yesterday: {data.calls.count} calls, {data.emails.count} emails, "
        f"{data.sms.count} SMS",
    ]
    for label, activity in (("Call", data.calls), ("Email", data.emails), ("SMS", data.sms)):
        lines += [f"- {label}: {example}" for example in activity.examples[:3]]

    lines += ["", "### Suggested next actions"]
    lines += [f"{n}. {idea}" for n, idea in enumerate(suggested_actions(data), start=1)]
    lines += ["", "_Reply here and I'll get started on any of these._"]
    return "\n".join(lines)


def compact_json(data: SummaryData) -> str:
    return json.dumps(data.as_json(), separators=(",", ":"), ensure_ascii=False)


async def render_with_model(model: Model, data: SummaryData, prompt: str | None = None) -> str:
    """One model call writes the summary from the data; the offline model (and a reply with no
    text, or a failed call) falls back to `render_offline`, never to a second call."""
    if model.name == OFFLINE_MODEL:
        return render_offline(data)
    request = ModelRequest(
        system=prompt or summary_prompt(),
        messages=[{"role": "user", "content": [{"type": "text", "text": compact_json(data)}]}],
        tools=[],
        max_tokens=2048,
    )
    try:
        turn = await model.complete(request)
    except ModelError as error:
        log.warning("summary model call failed (%s); using the offline summary", error.message)
        return render_offline(data)
    text = "".join(b.get("text", "") for b in turn.content if is_text(b)).strip()
    return text or render_offline(data)
