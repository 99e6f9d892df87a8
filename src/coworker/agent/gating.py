"""The one way a call that must wait for a person becomes a pending action.

Our agent loop and MCP clients' own models (agent/direct.py) both end up here, so the rules
are the same whoever asked: the call is prepared (validated against the contract, completed
and described in names a person recognises), the gate opens a pending action (atomically
within the per-person cap), and a proposal for the same thing as one already waiting in the
conversation replaces it: the older one ends `superseded`, never run.

"The same thing" (`target_of`) is the same tool acting on the same target: for an email its
recipient address (`to_email`) when the call names one, otherwise the records the call
names by id (`lead_id`, `task_id`, `sequence_id`, ...), except the mailbox a message is sent
from (`email_account_id`): a second email to Jane from another mailbox replaces the first,
a text to Jane and a text to Bob are two things and both stay pending.

A **batch** is the set of gated calls one model response proposes together ("email all
new leads at Acme"): they share a `batch_id` (`new_batch`), so a channel shows one card
with one decision, while each stays its own action. One response may propose at most
`ConfirmationGate.max_batch`; a response proposing more is refused whole (`too_big`):
nothing is recorded and the model is told to ask the person to narrow it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coworker.agent.confirmations import ConfirmationGate
from coworker.agent.events import ActionView
from coworker.errors import DialsheetError, ToolInputError
from coworker.store.pending_cap import TooManyPendingActions, too_many_pending_text
from coworker.tools.executor import PreparedCall, ToolExecutor, ToolOutcome, describe_failure

# Ids that say how something is done, not what it acts on.
NOT_TARGETS = frozenset({"email_account_id"})
RECIPIENT_FIELDS = ("to_email",)


def target_of(tool_name: str, arguments: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a call acts on, for "a new proposal for the same thing" (see the module)."""
    for field in RECIPIENT_FIELDS:
        value = arguments.get(field)
        if isinstance(value, str) and value.strip():
            return (tool_name, field, value.strip().lower())
    ids = sorted(
        (key, str(value))
        for key, value in arguments.items()
        if key.endswith("_id") and key not in NOT_TARGETS and value not in (None, "")
    )
    return (tool_name, *ids)


def new_batch(gated_calls: int) -> str | None:
    """The batch id shared by a response's gated calls; None for a call proposed alone."""
    return uuid.uuid4().hex if gated_calls > 1 else None


def too_big(gate: ConfirmationGate, name: str, gated_calls: int) -> Gated | None:
    """The refusal of a response proposing more gated calls than one batch may hold."""
    if gated_calls <= gate.max_batch:
        return None
    text = (
        f"{name} did NOT run and nothing was proposed, sent or changed: this response "
        f"proposed {gated_calls} actions that need the person's approval, and at most "
        f"{gate.max_batch} can be approved together. Tell the person so, and ask them to "
        "narrow it (fewer people, or a smaller group at a time)."
    )
    return Gated("too_many_in_batch", outcome=ToolOutcome(text, is_error=True))


@dataclass(frozen=True)
class Gated:
    """What became of a call that must wait: a pending action (and the ones it replaced),
    or a result the model reads instead (`outcome`, with `status` for the metrics)."""

    status: str  # confirmation_required | invalid_input | error | too_many_pending[_in_batch]
    action: ActionView | None = None
    outcome: ToolOutcome | None = None
    superseded: tuple[ActionView, ...] = ()


async def prepare(executor: ToolExecutor, name: str, arguments: Any) -> PreparedCall | Gated:
    """The call ready for a card, or why it cannot be proposed (the model reads that)."""
    try:
        return await executor.prepare(name, arguments, describe=True)
    except ToolInputError as error:
        return Gated("invalid_input", outcome=ToolOutcome(error.message, is_error=True))
    except DialsheetError as error:
        return Gated("error", outcome=ToolOutcome(describe_failure(name, error), is_error=True))


async def request(
    gate: ConfirmationGate,
    call: PreparedCall,
    *,
    conversation_id: str,
    user_id: str,
    tool_use_id: str,
    batch_id: str | None = None,
) -> Gated:
    """Open the pending action, then close the ones it replaces in the conversation."""
    try:
        action = await gate.request(conversation_id, user_id, tool_use_id, call, batch_id)
    except TooManyPendingActions as refused:
        text = too_many_pending_text(call.tool.name, refused)
        return Gated("too_many_pending", outcome=ToolOutcome(text, is_error=True))
    target = target_of(call.tool.name, call.arguments)
    replaced = []
    for older in await gate.store.list_actions(conversation_id=conversation_id, status="pending"):
        if older.id != action.id and target_of(older.tool_name, older.input) == target:
            closed = await gate.supersede(older)
            if closed is not None:
                replaced.append(gate.view(closed))
    return Gated("confirmation_required", action=action, superseded=tuple(replaced))


async def gate_call(
    gate: ConfirmationGate,
    executor: ToolExecutor,
    name: str,
    arguments: Any,
    *,
    conversation_id: str,
    user_id: str,
    tool_use_id: str,
    batch_id: str | None = None,
) -> Gated:
    """Prepare, describe and gate one call (the loop's path; MCP records its call between
    the two halves, so an invalid call leaves no conversation behind)."""
    prepared = await prepare(executor, name, arguments)
    if isinstance(prepared, Gated):
        return prepared
    return await request(
        gate,
        prepared,
        conversation_id=conversation_id,
        user_id=user_id,
        tool_use_id=tool_use_id,
        batch_id=batch_id,
    )
