"""prep_brief: everything to know before a call with one lead, and the next step.

At most 5 calls: the lead by name when no id is given, the lead with its recent notes,
calls, open tasks and deals (`get_lead` holds them), its emails and SMS, and who the person
is (so "owner: you" is true). A name matching several leads returns the candidates to
choose from instead of guessing.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from coworker.dialsheet.words import inline, word
from coworker.errors import DialsheetNotFound, ToolInputError
from coworker.tools.derived.items import CLOSED_STAGES, whose_label
from coworker.tools.derived.reader import Moment, Reader, Record, my_user_id, parse_time

SHOWN = 5
TEXT_CHARS = 200
NEXT_BY_OUTCOME = {
    "callback": "They asked to be called back: call them",
    "meeting_booked": "A meeting is booked: confirm it and agree the agenda",
    "interested": "They are interested: propose a concrete next step (a demo or pricing)",
    "no_answer": "No answer last time: try again, or leave a short email or text",
    "voicemail": "Voicemail last time: try again at another hour, or send a short email",
    "not_interested": "They said not interested: decide whether to keep pursuing",
    "wrong_number": "The number was wrong: find the right one before calling",
}


@dataclass(frozen=True, slots=True)
class PrepBrief:
    lead: Record
    owner: str
    notes: tuple[Record, ...]
    calls: tuple[Record, ...]
    emails: tuple[Record, ...]
    sms: tuple[Record, ...]
    tasks: tuple[Record, ...]
    deals: tuple[Record, ...]
    next_step: str

    def as_json(self, moment: Moment) -> dict[str, Any]:
        lead = self.lead

        def when(value: Any) -> str | None:
            at = parse_time(value)
            return moment.local(at).strftime("%Y-%m-%d %H:%M") if at else None

        def cut(value: Any) -> str:
            text = str(value or "")
            return text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1] + "…"

        def age(deal: Record) -> int | None:
            created = parse_time(deal.get("created_at"))
            return (moment.now - created).days if created else None

        who = {k: lead.get(k) for k in ("name", "title", "company", "email", "phone")}
        return {
            "report": "prep_brief",
            "lead_id": lead.get("id"),
            "who": {k: v for k, v in who.items() if v}
            | {
                "status": word(str(lead.get("status") or "new")),
                "source": word(str(lead["source"])) if lead.get("source") else None,
                "owner": self.owner,
                "tags": lead.get("tags") or [],
            },
            "recent_notes": [
                {
                    "at": when(n.get("created_at")),
                    "outcome": inline(n["outcome"]) if n.get("outcome") else None,
                    "text": cut(n.get("content")),
                }
                for n in self.notes
            ],
            "recent_calls": [
                {
                    "at": when(c.get("started_at")),
                    "direction": c.get("direction"),
                    "outcome": inline(str(c.get("outcome"))),
                    "minutes": round(int(c.get("duration_seconds") or 0) / 60, 1),
                    "summary": cut(c.get("summary")),
                }
                for c in self.calls
            ],
            "recent_emails": [
                {"at": when(e.get("sent_at")), "subject": cut(e.get("subject"))}
                for e in self.emails
            ],
            "recent_sms": [
                {"at": when(s.get("sent_at")), "text": cut(s.get("message"))} for s in self.sms
            ],
            "open_tasks": [
                {
                    "title": t.get("title"),
                    "due": when(t.get("due_date")),
                    "priority": inline(str(t.get("priority") or "medium")),
                    "overdue": _overdue(t, moment),
                    # what the task is about ("volume pricing for 40 seats"): often the
                    # only place the open question with the lead is written down
                    "about": cut(t.get("description")) or None,
                }
                for t in self.tasks
            ],
            "open_deals": [
                {
                    "deal_id": d.get("id"),
                    "name": d.get("name"),
                    "stage": word(str(d.get("stage"))),
                    "value": d.get("value"),
                    "currency": d.get("currency"),
                    "age_days": age(d),
                    "expected_close": d.get("expected_close_date"),
                }
                for d in self.deals
            ],
            "suggested_next_step": self.next_step,
        }


def _overdue(task: Record, moment: Moment) -> bool:
    due = parse_time(task.get("due_date"))
    return due is not None and due < moment.now


def _next_step(
    lead: Record,
    moment: Moment,
    tasks: list[Record],
    deals: list[Record],
    touches: list[tuple[Any, Record]],
) -> str:
    late = [t for t in tasks if _overdue(t, moment)]
    if late:
        return f"Start with the overdue task: {late[0].get('title')}"
    said = [(at, r) for at, r in touches if at is not None and r.get("outcome")]
    if said:
        _, latest = max(said, key=lambda pair: pair[0])
        step = NEXT_BY_OUTCOME.get(str(latest.get("outcome")))
        if step:
            return step
    late_stage = [d for d in deals if d.get("stage") in ("proposal", "negotiation")]
    if late_stage:
        return f"Ask where the decision on {late_stage[0].get('name')} stands"
    if tasks:
        return f"Work through the open task: {tasks[0].get('title')}"
    if not touches:
        return f"First contact: introduce yourself to {lead.get('name')}"
    return "Check in: ask how things stand and what they need next"


async def _find(reader: Reader, name: str) -> str | list[Record]:
    found = await reader.call("search_leads", {"search": name, "page": 1, "limit": SHOWN})
    leads: list[Record] = found.get("leads") or []
    exact = [lead for lead in leads if str(lead.get("name", "")).lower() == name.lower()]
    if len(exact) == 1 or len(leads) == 1:
        return str((exact or leads)[0]["id"])
    if not leads:
        raise ToolInputError(f"No lead matches {name!r}. Check the spelling or search_leads.")
    return leads


async def prep_brief(
    reader: Reader, moment: Moment, *, lead_id: str | None = None, name: str | None = None
) -> PrepBrief | list[Record]:
    """The brief, or the candidate leads when `name` matches several."""
    if not lead_id:
        if not name:
            raise ToolInputError("prep_brief needs a lead_id, or the lead's name.")
        chosen = await _find(reader, name)
        if isinstance(chosen, list):
            return chosen
        lead_id = chosen
    try:
        detail, emails, sms, me = await asyncio.gather(
            reader.call("get_lead", {"id": lead_id}),
            reader.call("list_emails", {"lead_id": lead_id, "page": 1, "limit": SHOWN}),
            reader.call("list_sms", {"lead_id": lead_id, "page": 1, "limit": SHOWN}),
            my_user_id(reader),
        )
    except DialsheetNotFound as error:
        raise ToolInputError(
            f"No lead with id {lead_id}. Search for the lead (search_leads) and use an id from "
            "the results."
        ) from error
    lead: Record = detail["lead"]
    notes = list(lead.get("recent_notes") or [])[:SHOWN]
    calls = list(lead.get("recent_calls") or [])[:SHOWN]
    tasks = [t for t in lead.get("open_tasks") or [] if not t.get("completed")]
    deals = [d for d in lead.get("opportunities") or [] if d.get("stage") not in CLOSED_STAGES]
    touches = [(parse_time(n.get("created_at")), n) for n in notes] + [
        (parse_time(c.get("started_at")), c) for c in calls
    ]
    return PrepBrief(
        lead={k: v for k, v in lead.items() if not isinstance(v, list) or k == "tags"},
        owner=whose_label(lead.get("owner_id"), me),
        notes=tuple(notes),
        calls=tuple(calls),
        emails=tuple(emails.get("emails") or [])[:SHOWN],
        sms=tuple(sms.get("sms") or [])[:SHOWN],
        tasks=tuple(tasks),
        deals=tuple(deals),
        next_step=_next_step(lead, moment, tasks, deals, touches),
    )
