"""The lead a question points at: "her", or "the jane one" in the list just shown.

"whats the deal w the jane one" after the day's tasks means the task about Jane, and so
Jane: the question is answered from that lead's records. A task or deal the last reply
listed is tried first, as it is what the person is looking at (`listed.py`); a lead listed
or searched for otherwise (`resolve.find_lead`), which asks when the words fit several.
"""

from __future__ import annotations

from coworker.llm.offline.lead_search import Gen
from coworker.llm.offline.listed import deals_fitting, leads_fitting, tasks_fitting
from coworker.llm.offline.resolve import Ctx, find_lead
from coworker.llm.offline.slots import LeadRef


def lead_meant(ctx: Ctx, ref: LeadRef) -> Gen:
    """The id of the lead `ref` points at (stops to ask when it can't tell)."""
    memory = ctx.memory
    if ref.listed and ref.text:
        leads = memory.leads
        for fitting in (
            tasks_fitting(memory.listed.tasks, ref.text, leads),
            deals_fitting(memory.listed.deals, ref.text, leads),
        ):
            ids = {str(r.get("lead_id")) for r in fitting if r.get("lead_id")}
            if len(ids) == 1:
                return ids.pop()
    lead = yield from find_lead(ctx, ref, purpose="do you mean")
    return str(lead["id"])


def points_at_task(ctx: Ctx, ref: LeadRef) -> bool:
    """Whether "the call script one" means a task the last reply listed, not a lead: the
    words fit one of its tasks and none of the leads it showed."""
    memory = ctx.memory
    if not (ref.listed and ref.text) or leads_fitting(memory.listed.leads, ref.text):
        return False
    return bool(tasks_fitting(memory.listed.tasks, ref.text, memory.leads))
