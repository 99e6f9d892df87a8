"""What earlier turns established: the records seen, and which lead, deal or task is "it".

Follow-ups lean on context ("log a note on her", "move it to negotiation", "email the second
one"). The interpreter may only use ids it has seen in tool results of this conversation, so
everything here comes from those results, newest last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from coworker.llm.offline.conversation import Episode, Result
from coworker.llm.offline.listed import Listed, listed_in
from coworker.llm.offline.names import relevant
from coworker.llm.offline.slots import lead_ref

LEAD_TOOLS = ("get_lead", "create_lead", "update_lead")


_UNDOABLE = (
    "update_lead",
    "update_task",
    "update_opportunity",
    "create_opportunity",
    "create_task",
)


# Writes "undo" can't take back: one made after a change means "undo" is no longer about it
_KEPT = ("create_note",)


@dataclass(frozen=True)
class LastWrite:
    """A change the coworker made: the call, and the record before it (empty if created)."""

    tool: str
    input: dict[str, Any]
    before: dict[str, Any]
    # the record a create_ made ("scratch that" after a new task: the task that now exists)
    created: dict[str, Any] = field(default_factory=dict)


@dataclass
class Memory:
    leads: dict[str, dict[str, Any]] = field(default_factory=dict)
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    deals: dict[str, dict[str, Any]] = field(default_factory=dict)
    lead: dict[str, Any] | None = None  # the lead being talked about
    deal: dict[str, Any] | None = None
    task: dict[str, Any] | None = None
    shown: list[dict[str, Any]] = field(default_factory=list)  # the last list of leads shown
    # the leads, tasks and deals the last reply that showed any showed ("the one at wonka")
    listed: Listed = field(default_factory=Listed)
    deleted: set[str] = field(default_factory=set)
    last_write: LastWrite | None = None  # the coworker's last change, for "undo that"
    # every change made for the latest message that made any ("mark tom and luis as
    # contacted" is two): what "undo that" takes back
    last_changes: list[LastWrite] = field(default_factory=list)
    # messages since those changes (a bare "yes"/"ok" not counted): 0 when "no, don't do
    # that" can only mean them
    since_change: int = 0
    _new_message: bool = True
    _focused: set[str] = field(default_factory=set)  # the leads this message was about
    last_task_written: str | None = None  # the task the last write of any kind created or changed
    # the one task the last reply showed ("whats my bluth task"): "push it" is about it
    task_just_shown: str | None = None
    # a write that can't be taken back (a note) made after `last_changes`, in a later message
    later_write: str | None = None
    # the lead a note was logged on in the person's last message: "set me a fu for fri" said
    # next, naming no one, follows up that call
    noted: str | None = None

    def lead_name(self, lead_id: str | None) -> str | None:
        lead = self.leads.get(lead_id or "")
        return str(lead["name"]) if lead and lead.get("name") else None

    def learn(self, result: Result) -> None:  # noqa: C901 - one branch per tool
        """Take in one result; called in transcript order."""
        if result.ok and result.name.startswith(("create_", "update_")):
            task = result.record("task") if result.name.endswith("_task") else None
            self.last_task_written = str(task["id"]) if task and task.get("id") else None
        if result.name in _UNDOABLE and result.ok and result.decision is None:
            made = result.record(result.name.removeprefix("create_"))
            created = dict(made) if result.name.startswith("create_") and made else {}
            self.last_write = LastWrite(
                result.name, dict(result.input), self._before(result), created
            )
            if self._new_message:
                self.last_changes, self._new_message = [], False
                self.later_write = None
            self.last_changes.append(self.last_write)
        elif result.ok and result.name in _KEPT and self._new_message and self.last_changes:
            self.later_write = result.name
        if result.ok and result.name == "create_note":
            self.noted = str(result.input.get("lead_id") or "") or None
        if result.name == "search_leads" and result.ok:
            found = result.items("leads")
            query = result.input.get("search")
            if isinstance(query, str) and query:
                found = relevant(found, lead_ref(query))
            for lead in found:
                self._lead(lead, focus=False)
            self.shown = found
            if len(found) == 1:
                self.lead = self.leads[found[0]["id"]]
                self._focused.add(str(found[0]["id"]))
            return
        if result.name in LEAD_TOOLS and result.ok:
            record = result.record("lead")
            if record and record.get("id"):
                self._lead(record, focus=True)
                for deal in record.get("opportunities") or []:
                    self._deal(deal, focus=False)
                open_tasks = record.get("open_tasks") or []
                for task in open_tasks:
                    self._task(task, focus=len(open_tasks) == 1)
                if len(record.get("opportunities") or []) == 1:
                    self.deal = self.deals.get(str(record["opportunities"][0].get("id")))
            return
        if result.name == "prep_brief" and result.ok:
            self._briefed(result)
            return
        if result.name == "delete_lead" and result.ok:
            lead_id = str(result.input.get("lead_id", ""))
            self.deleted.add(lead_id)
            if self.lead and self.lead.get("id") == lead_id:
                self.lead = None
            return
        if result.name == "list_opportunities" and result.ok:
            deals = result.items("opportunities")
            for deal in deals:
                self._deal(deal, focus=len(deals) == 1)
            return
        if result.name in ("create_opportunity", "update_opportunity") and result.ok:
            deal = result.record("opportunity")
            if deal:
                self._deal(deal, focus=True)
            return
        if result.name == "list_tasks" and result.ok:
            tasks = result.items("tasks")
            for task in tasks:
                self._task(task, focus=len(tasks) == 1)
            return
        if result.name in ("create_task", "update_task") and result.ok:
            task = result.record("task")
            if task:
                self._task(task, focus=True)
            return
        used = result.input.get("lead_id")
        if isinstance(used, str) and used in self.leads and not result.is_error:
            self.lead = self.leads[used]
            self._focused.add(used)

    def new_message(self) -> None:
        """What is learnt from here on was done for another message of the person's."""
        self._new_message = True
        self._focused = set()

    def end_message(self) -> None:
        """Two people looked at or changed for one message ("pull up marcus and tom"):
        neither is "him" after it; the person is asked who they mean."""
        if len(self._focused) > 1:
            self.lead = None

    def _before(self, result: Result) -> dict[str, Any]:
        """The record as it was before `result` changed it (what "undo" puts back)."""
        if result.name == "update_lead":
            return dict(self.leads.get(str(result.input.get("lead_id")), {}))
        if result.name == "update_task":
            return dict(self.tasks.get(str(result.input.get("task_id")), {}))
        if result.name == "update_opportunity":
            return dict(self.deals.get(str(result.input.get("opportunity_id")), {}))
        return {}

    def _lead(self, lead: dict[str, Any], *, focus: bool) -> None:
        lead_id = str(lead.get("id", ""))
        if not lead_id:
            return
        merged = {**self.leads.get(lead_id, {}), **lead}
        self.leads[lead_id] = merged
        if focus:
            self.lead = merged
            self._focused.add(lead_id)

    def _briefed(self, result: Result) -> None:
        """A brief on one lead ("catch me up on jane"): she is "her" after it."""
        data = result.data or {}
        lead_id = data.get("lead_id")
        who = data.get("who") or {}
        if isinstance(lead_id, str) and lead_id and isinstance(who, dict):
            known = ("name", "title", "company", "email", "phone")
            self._lead({"id": lead_id, **{k: who[k] for k in known if who.get(k)}}, focus=True)

    def _deal(self, deal: dict[str, Any], *, focus: bool) -> None:
        if deal.get("id"):
            self.deals[str(deal["id"])] = deal
            if focus:
                self.deal = deal

    def _task(self, task: dict[str, Any], *, focus: bool) -> None:
        if task.get("id"):
            self.tasks[str(task["id"])] = task
            if focus:
                self.task = task


def remember(history: list[Episode]) -> Memory:
    """The memory after the given (earlier) episodes."""
    memory = Memory()
    for episode in history:
        memory.new_message()
        memory.task_just_shown = None
        memory.noted = None  # a note of an earlier message is no call just logged
        if memory.last_changes and not _acknowledgement(episode):
            memory.since_change += 1
        before = memory.last_write
        task_before = memory.task
        for step in episode.steps:
            listed: dict[str, dict[str, Any]] = {}
            for result in step.results:
                memory.learn(result)
                if result.name == "list_opportunities" and result.ok:
                    listed |= {str(d.get("id")): d for d in result.items("opportunities")}
            if len(listed) > 1:
                # several deals read together (one list per lead): "it" is the one the reply
                # showed, when it showed one ("the initech annual license deal"), else none
                named = [d for d in listed.values() if _shows(episode.final_text, d)]
                memory.deal = named[0] if len(named) == 1 else None
        if memory.task is not task_before and not _task_shown(episode, memory.task):
            # one task read to learn who the person is (`limit=1`), never shown: not "it"
            memory.task = task_before
        shown = listed_in(episode)
        if not shown.empty:
            memory.listed = shown
            if len(shown.deals) == 1 and not shown.leads[1:]:
                # "your biggest open deal is Brightline Dental ...": "it" is that deal
                memory.deal = shown.deals[0]
            if len(shown.tasks) == 1 and not shown.leads and not shown.deals:
                # "whats my bluth task": the one task shown is "it" ("push it to thursday")
                memory.task = memory.tasks.get(str(shown.tasks[0].get("id")), shown.tasks[0])
                memory.task_just_shown = str(shown.tasks[0].get("id"))
            if len(shown.leads) == 1 and memory.lead is None:
                # "who's my contact at dunder mifflin": the search found the teammates' too,
                # but the reply showed one lead, and she is "her" in the next message
                memory.lead = memory.leads.get(str(shown.leads[0].get("id")), shown.leads[0])
        if memory.last_write is not before:
            memory.since_change = 0
        memory.end_message()
    return memory


_ACK = re.compile(
    r"^\W*(?:y|ya|yes|yeah|yep|yup|sure|ok|okay|k|kk|cool|great|perfect|nice|thanks|thx|ty|"
    r"thank you|got it|sounds good)\W*$",
    re.I,
)


def _acknowledgement(episode: Episode) -> bool:
    """A bare "yes"/"ok" that did nothing: it does not move the conversation on."""
    return not episode.steps and bool(_ACK.match(episode.request.strip()))


def _task_shown(episode: Episode, task: dict[str, Any] | None) -> bool:
    """Whether the reply to `episode` named `task` (a task created or moved is named)."""
    title = str((task or {}).get("title") or "")
    return task is None or not episode.final_text or bool(title) and title in episode.final_text


def _shows(text: str, deal: dict[str, Any]) -> bool:
    name = str(deal.get("name") or "")
    return bool(name) and name in text
