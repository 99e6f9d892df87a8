"""One trial: play a case's steps through the coworker service and keep the evidence.

The runner plays the person: it says each line, and approves, rejects or edits the pending
action of the named tool, exactly as a channel would (`Coworker.chat/approve/reject`; a
batch card with one `Coworker.decide_batch`, each item kept as its own decision). What
comes out is a `TrialRecord`, everything the graders need and nothing they must recompute:
the replies, the transcript, the actions, the person's decisions, every request that reached
the CRM, and the CRM before and after.
"""

from __future__ import annotations

import copy
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coworker.agent.batches import LEFT_OUT
from coworker.agent.events import ActionView, ErrorEvent, Event, TextDelta, TurnDone
from coworker.config import Settings
from coworker.errors import CoworkerError
from coworker.evals.cases import BatchDecide, Case, Decide, Say
from coworker.evals.resources import Snapshot, take_snapshot
from coworker.evals.world import WireCall, World, open_world
from coworker.llm.base import Message, Model, Usage
from coworker.store.records import ActionRecord


@dataclass(frozen=True)
class Decision:
    """What the person decided, numbered on the same counter as the CRM requests.

    `shown_input` and `shown_display` are the confirmation card as the person saw it when
    they decided (copied then, not read back from the store afterwards): the safety grader
    checks what reached the CRM against them and the person's `edits`.
    """

    seq: int
    kind: str  # approve | edit | reject
    tool: str
    action_id: str
    edits: dict[str, Any] | None = None
    reason: str | None = None
    shown_input: dict[str, Any] = field(default_factory=dict)
    shown_display: dict[str, Any] = field(default_factory=dict)


@dataclass
class StepRecord:
    index: int
    kind: str
    reply: str = ""
    seconds: float = 0.0
    usage: Usage = field(default_factory=Usage)
    problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class TrialRecord:
    case: Case
    trial: int
    now: datetime
    requester_id: str = ""
    steps: list[StepRecord] = field(default_factory=list)
    transcript: list[Message] = field(default_factory=list)
    actions: list[ActionRecord] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    wire: list[WireCall] = field(default_factory=list)
    before: Snapshot = field(default_factory=dict)
    after: Snapshot = field(default_factory=dict)
    seed_ids: set[str] = field(default_factory=set)
    crashed: str | None = None
    seconds: float = 0.0

    @property
    def final_reply(self) -> str:
        return self.steps[-1].reply if self.steps else ""

    @property
    def usage(self) -> Usage:
        total = Usage()
        for step in self.steps:
            total = total + step.usage
        return total

    @property
    def model_turns(self) -> int:
        return sum(1 for m in self.transcript if m["role"] == "assistant")


async def run_trial(
    case: Case, trial: int, model: Model, settings: Settings, now: datetime
) -> TrialRecord:
    """Run one trial of `case` in a world of its own; never raises for what the model does."""
    record = TrialRecord(case, trial, now)
    started = time.perf_counter()
    world: World | None = None
    try:
        world = await open_world(case, model, settings, now)
        record.requester_id = world.user.id
        record.before, record.seed_ids = world.before, world.seed_ids
        for index, step in enumerate(case.steps):
            record.steps.append(await _play(world, record, index, step))
        record.after = await take_snapshot(world.database)
        record.transcript = await world.store.load_messages(world.conversation_id)
        record.actions = await world.store.list_actions(conversation_id=world.conversation_id)
        record.wire = list(world.wire.calls)
    except Exception as error:  # noqa: BLE001 - one broken trial must not stop the suite
        record.crashed = f"{type(error).__name__}: {error}"
    finally:
        if world is not None:
            await world.aclose()
        record.seconds = time.perf_counter() - started
    return record


def _decision(world: World, kind: str, action: ActionView, **more: Any) -> Decision:
    """A decision with the card as the person saw it when they made it (copied now)."""
    return Decision(
        world.counter(),
        kind,
        action.tool,
        action.id,
        shown_input=copy.deepcopy(dict(action.input)),
        shown_display=copy.deepcopy(dict(action.display)),
        **more,
    )


async def _batch(
    world: World, record: TrialRecord, step: BatchDecide
) -> AsyncIterator[Event] | str:
    """The newest batch card decided at once, or why there is none to decide."""
    pending = await world.coworker.list_actions(
        world.user, status="pending", conversation_id=world.conversation_id
    )
    batch_id = next((a.batch_id for a in pending if a.batch_id), None)
    if batch_id is None:
        waiting = ", ".join(a.tool for a in pending) or "nothing"
        return f"no batch card to decide (pending: {waiting})"
    items = sorted((a for a in pending if a.batch_id == batch_id), key=lambda a: a.created_at)
    approve: list[str] = []
    reject: list[str] = []
    for action in items:
        left = step.kind == "reject" or action.input.get("lead_id") in step.leave_out
        (reject if left else approve).append(action.id)
        kind = "reject" if left else "approve"
        reason = LEFT_OUT if left else None
        record.decisions.append(_decision(world, kind, action, reason=reason))
    return world.coworker.decide_batch(world.user, batch_id, approve, reject)


async def _play(
    world: World, record: TrialRecord, index: int, step: Say | Decide | BatchDecide
) -> StepRecord:
    coworker, user = world.coworker, world.user
    kind = "say" if isinstance(step, Say) else step.kind
    result = StepRecord(index, f"batch {kind}" if isinstance(step, BatchDecide) else kind)
    started = time.perf_counter()
    events: AsyncIterator[Event]
    if isinstance(step, Say):
        events = coworker.chat(user, step.text, conversation_id=world.conversation_id)
    elif isinstance(step, BatchDecide):
        batch = await _batch(world, record, step)
        if isinstance(batch, str):
            result.problems.append(f"step {index + 1}: {batch}")
            return result
        events = batch
    else:
        pending = await coworker.list_actions(
            user, status="pending", conversation_id=world.conversation_id
        )
        action = next((a for a in pending if a.tool == step.tool), None)
        if action is None:
            waiting = ", ".join(a.tool for a in pending) or "nothing"
            result.problems.append(
                f"step {index + 1}: no pending {step.tool} to {step.kind} (pending: {waiting})"
            )
            return result
        decision = Decision(
            world.counter(),
            step.kind,
            step.tool,
            action.id,
            copy.deepcopy(step.edits),
            step.reason,
            shown_input=copy.deepcopy(dict(action.input)),
            shown_display=copy.deepcopy(dict(action.display)),
        )
        record.decisions.append(decision)
        if step.kind == "reject":
            events = coworker.reject(user, action.id, step.reason)
        else:
            events = coworker.approve(user, action.id, step.edits)
    try:
        async for event in events:
            if isinstance(event, TextDelta):
                result.reply += event.text
            elif isinstance(event, TurnDone):
                result.usage = result.usage + event.usage
            elif isinstance(event, ErrorEvent):
                result.errors.append(event.message)
    except CoworkerError as error:  # e.g. edits the contract refuses: the step could not run
        result.problems.append(f"step {index + 1}: {error.message}")
    result.seconds = time.perf_counter() - started
    return result
