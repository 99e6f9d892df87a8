"""One decision for a batch: the gated actions one model response proposed together.

A batch adds no way of running anything. Deciding it is a thin loop over the service's
own `approve` and `reject`, one item at a time in card order, so each item keeps its own
conditional claim, audit events, effect re-check and at-most-once run. What this module
adds is the check that makes one request safe to act on many actions: every id listed
must be a pending action of that batch and of the caller, checked for all of them before
any is decided (404 for an id that is not, 409 for one no longer pending), so a request
can never reach an action the person did not list, another person's action or an item of
another batch. Ids of the batch not listed stay pending. An item decided elsewhere while
the loop runs is skipped and shown as it ended; a replayed request finds nothing pending
and is refused before anything happens.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coworker.agent.cards import normalise_edits
from coworker.agent.events import ActionDecided, ErrorEvent, Event, TurnDone
from coworker.dialsheet.profiles import ToolProfile
from coworker.errors import ActionNotFound, ActionNotPending, ToolInputError
from coworker.store.records import ActionRecord, UserRecord

if TYPE_CHECKING:
    from coworker.agent.service import Coworker

LEFT_OUT = "Left out of the batch"


@dataclass(frozen=True)
class BatchDecision:
    """What the person decided on a batch card: the items approved (with their edits) and
    the items left out (rejected). Items of the batch named in neither stay pending."""

    approve: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    edits: Mapping[str, dict[str, Any]] = field(default_factory=dict)

    def check(self) -> None:
        listed = [*self.approve, *self.reject]
        if not listed:
            raise ToolInputError("name at least one action to approve or reject")
        if len(set(listed)) != len(listed):
            raise ToolInputError("each action may be listed once, to approve or to reject")
        stray = sorted(set(self.edits) - set(self.approve))
        if stray:
            raise ToolInputError(f"edits are only for actions being approved: {', '.join(stray)}")


async def checked_items(
    coworker: Coworker, user: UserRecord, batch_id: str, decision: BatchDecision
) -> list[ActionRecord]:
    """The listed actions in card order, once each is known to be the caller's, of this
    batch and pending, and each edit allowed; else the refusal, before anything is decided."""
    decision.check()
    listed = {*decision.approve, *decision.reject}
    batch = [
        record
        for record in await coworker.store.list_actions(user_id=user.id, batch_id=batch_id)
        if record.id in listed
    ]
    found = {record.id for record in batch}
    for action_id in [*decision.approve, *decision.reject]:
        if action_id not in found:  # unknown, another person's, or of another batch
            raise ActionNotFound(action_id)
    for record in batch:
        if record.status != "pending":
            raise ActionNotPending(record.id, record.status)
    for record in batch:
        if record.id in decision.edits:
            tool = coworker.catalog.get(record.tool_name)
            profile = tool.profile if tool else ToolProfile()
            normalise_edits(record.tool_name, profile, decision.edits[record.id])
    return sorted(batch, key=lambda record: record.created_at)


async def decide_batch(
    coworker: Coworker, user: UserRecord, batch_id: str, decision: BatchDecision
) -> AsyncIterator[Event]:
    """Decide the listed items one by one; the model's turn goes on once, after the last
    card of its response is decided, so the one `TurnDone` is reported at the end."""
    items = await checked_items(coworker, user, batch_id, decision)
    approved = set(decision.approve)
    last_done: TurnDone | None = None
    for record in items:
        if record.id in approved:
            events = coworker.approve(user, record.id, decision.edits.get(record.id))
        else:
            events = coworker.reject(user, record.id, LEFT_OUT)
        try:
            async for event in events:
                if isinstance(event, TurnDone):
                    last_done = event
                else:
                    yield event
        except ActionNotPending:  # decided elsewhere meanwhile: show it as it ended
            yield ActionDecided(await coworker.get_action(user, record.id))
        except ToolInputError as error:  # its edit broke the contract; it stays pending
            yield ErrorEvent(f"{record.id}: {error.message}", "invalid_edit")
    yield last_done or await _still_waiting(coworker, user, items)


async def _still_waiting(
    coworker: Coworker, user: UserRecord, items: Sequence[ActionRecord]
) -> TurnDone:
    conversation_id = items[0].conversation_id
    pending = await coworker.list_actions(user, status="pending", conversation_id=conversation_id)
    return TurnDone(conversation_id, "", "confirmation", pending=tuple(pending))
