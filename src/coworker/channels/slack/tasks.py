"""A turn's tool steps as Slack shows an agent's work: one task card per step.

Streamed as `task_update` chunks in a plan (`task_display_mode: "plan"`): a step appears
"in_progress" when it starts and turns "complete" or "error" when it ends; a call that
waits for approval ends "complete" with its card named in the output. The plan's title
says where the turn is ("Working on it" → "Done", "Stopped", "Error"). Slack caps each
chunk's text at 256 characters. Where a workspace has no agent sessions, the reply keeps
its one-line tool summary instead (`render.tool_line`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypedDict

TaskStatus = Literal["pending", "in_progress", "complete", "error"]
CHUNK_TEXT_LIMIT = 256
PLAN_WORKING = "Working on it"
PLAN_DONE = "Done"
PLAN_STOPPED = "Stopped"

# The verb a tool's name starts with, as the step reads while it runs.
_VERBS = {
    "search": "Searching",
    "list": "Listing",
    "get": "Reading",
    "find": "Finding",
    "create": "Creating",
    "add": "Adding",
    "update": "Updating",
    "log": "Logging",
    "complete": "Completing",
    "send": "Preparing",
    "enroll": "Preparing",
    "delete": "Preparing",
    "assign": "Assigning",
}


class TaskChunk(TypedDict, total=False):
    type: Literal["task_update"]
    id: str
    title: str
    status: TaskStatus
    output: str


class PlanChunk(TypedDict):
    type: Literal["plan_update"]
    title: str


def task_title(tool: str) -> str:
    """`search_leads` → "Searching leads…": the action in plain words, never the API."""
    verb, _, rest = tool.partition("_")
    words = rest.replace("_", " ")
    doing = _VERBS.get(verb)
    if doing is None:
        return _cap(tool.replace("_", " ").capitalize())
    return _cap(f"{doing} {words}…" if words else f"{doing}…")


def _cap(text: str) -> str:
    return text if len(text) <= CHUNK_TEXT_LIMIT else text[: CHUNK_TEXT_LIMIT - 1] + "…"


def task_chunk(task_id: str, title: str, status: TaskStatus, output: str = "") -> TaskChunk:
    chunk: TaskChunk = {"type": "task_update", "id": task_id, "title": title, "status": status}
    if output:
        chunk["output"] = _cap(output)
    return chunk


def plan_chunk(title: str) -> PlanChunk:
    return {"type": "plan_update", "title": _cap(title)}


@dataclass
class Step:
    id: str
    tool: str
    title: str
    status: TaskStatus = "in_progress"


@dataclass
class Progress:
    """The turn's steps in the order they started: what the task cards show, and what a
    stopped turn reports as done and not done."""

    steps: dict[str, Step] = field(default_factory=dict)

    def start(self, task_id: str, tool: str, title: str | None = None) -> Step:
        step = Step(task_id, tool, title or task_title(tool))
        self.steps[task_id] = step
        return step

    def end(self, task_id: str, tool: str, *, error: bool) -> Step:
        step = self.steps.get(task_id) or self.start(task_id, tool)
        step.status = "error" if error else "complete"
        return step

    def open_steps(self) -> list[Step]:
        return [s for s in self.steps.values() if s.status in ("in_progress", "pending")]

    def finished(self) -> list[Step]:
        return [s for s in self.steps.values() if s.status == "complete"]


def stopped_note(progress: Progress) -> str:
    """What a person is told when they stopped a turn: what was done, what was cut off,
    and that nothing went out (sends only ever run once they approve the card)."""
    lines = ["_Stopped._"]
    done = [s.title.rstrip("…") for s in progress.finished()]
    cut = [s.title.rstrip("…") for s in progress.open_steps()]
    if done:
        lines.append("Done before the stop: " + "; ".join(done) + ".")
    if cut:
        lines.append(
            "Cut off: " + "; ".join(cut) + " (it may not have finished; ask me to check "
            "before doing it again)."
        )
    if not done and not cut:
        lines.append("Nothing had been done yet.")
    lines.append("Nothing was sent: emails and texts go out only when you approve them.")
    return "\n".join(lines)
