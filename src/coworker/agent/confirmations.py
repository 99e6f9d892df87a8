"""The confirmation gate: the PendingAction state machine (docs/ARCHITECTURE.md).

    pending -> executing -> succeeded | failed | unknown      (approve)
    pending -> executing -> stale                              (approved, effect changed)
    pending -> rejected | expired | superseded                (no execution; superseded:
                                                               replaced by a new proposal
                                                               for the same thing)
    unknown -> succeeded                                       (reconciled from CRM history)

Every move out of `pending` is one conditional UPDATE (`WHERE status = 'pending'`), so a
double click, a retried webhook or a second replica executes an action at most once. What
runs is the exact input the person saw, with only the fields they may edit changed, and
only while what the CRM will act on is what the card showed (tools/effect.py): a recipient
whose phone changed after the card makes the action `stale`, never executed. Every
transition is an audit event, and each end state becomes the tool_result the model reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from coworker.agent.cards import normalise_edits, view
from coworker.agent.events import ACTION_STATUSES, ActionView
from coworker.agent.reconcile import find_in_history
from coworker.dialsheet.profiles import ToolProfile
from coworker.errors import (
    ActionNotFound,
    ActionNotPending,
    DialsheetError,
    DialsheetOutcomeUnknown,
    NotAllowed,
)
from coworker.llm.base import Block
from coworker.store.facade import Store
from coworker.store.records import ActionRecord
from coworker.tools.catalog import ToolCatalog
from coworker.tools.effect import UnknownReference, card_names, display_changes
from coworker.tools.effect import changes as effect_changes
from coworker.tools.executor import PreparedCall, ToolExecutor, ToolOutcome

FINAL = frozenset(ACTION_STATUSES) - {"pending", "executing"}
# What a person is told did not happen, by the tool's risk.
NOTHING_DONE = {"outbound": "nothing was sent", "destructive": "nothing was deleted"}
SUPERSEDED = "Not executed: replaced by a newer proposal for the same thing."


class Clock(Protocol):
    def __call__(self) -> datetime: ...


@dataclass(frozen=True)
class Decision:
    """The outcome of approving or rejecting: the action as it ended, and its tool_result."""

    action: ActionView
    result: Block


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class ConfirmationGate:
    def __init__(
        self,
        store: Store,
        catalog: ToolCatalog,
        *,
        ttl: timedelta,
        clock: Clock,
        approvers: frozenset[str] = frozenset(),
        max_pending: int | None = None,
        max_batch: int = 25,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.ttl = ttl
        self.clock = clock
        self.approvers = approvers
        # Every channel's actions are created here, so this one cap holds for all of them.
        self.max_pending = max_pending
        # Gated calls one model response may propose together (agent/gating.py).
        self.max_batch = max_batch

    async def request(
        self,
        conversation_id: str,
        user_id: str,
        tool_use_id: str,
        call: PreparedCall,
        batch_id: str | None = None,
    ) -> ActionView:
        """Open a pending action; TooManyPendingActions (nothing created) if the person
        already has `max_pending` waiting, decided atomically by the store. `batch_id`
        joins it to the other actions its model response proposed."""
        record = await self.store.create_action(
            conversation_id,
            user_id,
            tool_use_id,
            call.tool.name,
            call.arguments,
            expires_at=self.clock() + self.ttl,
            display=call.display,
            max_pending=self.max_pending,
            effect=call.effect,
            batch_id=batch_id,
        )
        data = {"tool": call.tool.name, "input_hash": record.input_hash, "batch_id": batch_id}
        await self.store.add_audit(
            "action.created",
            actor=user_id,
            action_id=record.id,
            conversation_id=conversation_id,
            data=data,
        )
        return self.view(record)

    def view(self, record: ActionRecord) -> ActionView:
        return view(record, self.catalog)

    async def get(self, action_id: str) -> ActionRecord:
        record = await self.store.get_action(action_id)
        if record is None:
            raise ActionNotFound(action_id)
        return record

    def check_decider(self, record: ActionRecord, user_id: str, *aliases: str) -> None:
        """The requester decides; so may anyone named in COWORKER_APPROVERS, by id or by an
        external id such as `web:alice` or `slack:T1:U2`."""
        if user_id != record.user_id and not self.approvers & {user_id, *aliases}:
            raise NotAllowed("only the person who asked for this action can approve or cancel it")

    async def expire_if_due(self, record: ActionRecord) -> ActionRecord | None:
        """Close a pending action whose time ran out; returns it when this call closed it."""
        if record.status != "pending" or record.expires_at > self.clock():
            return None
        closed = await self.store.claim_action(
            record.id, to_status="expired", decided_by=None, now=self.clock()
        )
        if closed:
            await self.store.add_audit(
                "action.expired", action_id=record.id, conversation_id=record.conversation_id
            )
        return closed

    async def _open_for_decision(self, record: ActionRecord, user_id: str, *aliases: str) -> None:
        """Only the requester (or an approver) decides, and never after the time ran out."""
        self.check_decider(record, user_id, *aliases)
        if await self.expire_if_due(record):
            raise ActionNotPending(record.id, "expired")

    async def _claim(
        self,
        record: ActionRecord,
        user_id: str,
        to_status: str,
        *,
        audit: tuple[str, dict[str, Any]],
        edits: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> ActionRecord:
        """The one conditional UPDATE out of `pending`; whoever loses learns the status."""
        claimed = await self.store.claim_action(
            record.id,
            to_status=to_status,
            decided_by=user_id,
            edits=edits,
            reason=reason,
            now=self.clock(),
        )
        if claimed is None:
            raise ActionNotPending(record.id, (await self.get(record.id)).status)
        kind, data = audit
        await self.store.add_audit(
            kind,
            actor=user_id,
            action_id=record.id,
            conversation_id=record.conversation_id,
            data=data,
        )
        return claimed

    async def approve(
        self,
        record: ActionRecord,
        user_id: str,
        executor: ToolExecutor,
        edits: dict[str, Any] | None = None,
        aliases: tuple[str, ...] = (),
    ) -> Decision:
        await self._open_for_decision(record, user_id, *aliases)
        tool = self.catalog.get(record.tool_name)
        changes = normalise_edits(record.tool_name, tool.profile if tool else ToolProfile(), edits)
        final_input = {**record.input, **changes}
        # The edited payload must still satisfy the contract before anything is claimed.
        prepared = await executor.prepare(record.tool_name, final_input)
        claimed = await self._claim(
            record,
            user_id,
            "executing",
            audit=("action.approved", {"edited": sorted(changes)}),
            edits=changes or None,
        )
        checked = await self._recheck(claimed, prepared, executor)
        finished, content, is_error = checked or await self._execute(claimed, prepared, executor)
        edited = f" with their edits to {', '.join(sorted(changes))}" if changes else ""
        block = ToolOutcome(f"The person approved this{edited}. {content}", is_error).block(
            record.tool_use_id
        )
        return Decision(self.view(finished), block)

    async def _recheck(
        self, record: ActionRecord, call: PreparedCall, executor: ToolExecutor
    ) -> tuple[ActionRecord, str, bool] | None:
        """Read again what the CRM will act on, after the claim and before the call; None
        if it is still what the card showed, else the end of the action (not executed).

        An approval binds to the effect the person saw, not only to the arguments: a lead's
        phone changed after the card (by an MCP client, a colleague, an import) must not
        get the text. After the claim, so racing approvals check once; as late as
        possible, so the window left is the one between this read and the call. A read
        that fails is not a pass: nothing runs on a guess.
        """
        nothing = NOTHING_DONE.get(call.tool.risk.value, "nothing was changed")
        try:
            now = await executor.effect(call)
        except (DialsheetError, UnknownReference) as error:
            why = error.message if isinstance(error, DialsheetError) else str(error)
            message = (
                f"Could not check with the CRM what this would act on ({why}), so it was not "
                f"run; {nothing}."
            )
            failed = await self.store.finish_action(record.id, status="failed", error=message)
            await self.store.add_audit(
                "action.failed",
                action_id=record.id,
                conversation_id=record.conversation_id,
                data={"stage": "recheck"},
            )
            return failed, f"It was NOT run: {message} Propose it again later.", True
        if record.effect is not None:
            said = effect_changes(record.effect, now)
        else:  # recorded before effects were kept: the card's names are what was seen
            said = display_changes(record.display or {}, card_names(call.tool, call.arguments, now))
        if not said:
            return None
        message = f"{'; '.join(said)} since you saw the card; {nothing}."
        message = message[:1].upper() + message[1:]
        stale = await self.store.finish_action(record.id, status="stale", error=message)
        await self.store.add_audit(
            "action.stale",
            action_id=record.id,
            conversation_id=record.conversation_id,
            data={"changes": said},
        )
        return stale, self._stale_text(record, message), True

    def _stale_text(self, record: ActionRecord, message: str) -> str:
        """The tool_result of a stale action: what changed, and to propose a fresh card."""
        keep = f", keeping the person's edits {_dumps(record.edits)}" if record.edits else ""
        return (
            f"It was NOT run. {message} Tell the person what changed, then propose it again "
            f"(call {record.tool_name} again with the same input{keep}) so they can approve a "
            "fresh card showing what it would do now. Do not say it was done."
        )

    async def _execute(
        self, record: ActionRecord, call: PreparedCall, executor: ToolExecutor
    ) -> tuple[ActionRecord, str, bool]:
        try:
            outcome = await executor.run(call)
        except Exception as error:  # after the claim, anything may have reached the CRM
            message = (
                error.message
                if isinstance(error, DialsheetOutcomeUnknown)
                else f"the call failed inside the coworker ({type(error).__name__})"
            )
            unknown = await self.store.finish_action(record.id, status="unknown", error=message)
            await self.store.add_audit(
                "action.unknown", action_id=record.id, conversation_id=record.conversation_id
            )
            reconciled = await self.reconcile(unknown, executor)
            if reconciled.status == "succeeded":
                return (
                    reconciled,
                    "The CRM answered late, but its history shows it was done.",
                    False,
                )
            return (
                reconciled,
                "The CRM did not answer in time, so it is unknown whether this happened. It was "
                "NOT retried. Tell the person to check before trying again.",
                True,
            )
        if outcome.is_error:
            failed = await self.store.finish_action(
                record.id, status="failed", error=outcome.content
            )
            await self.store.add_audit(
                "action.failed", action_id=record.id, conversation_id=record.conversation_id
            )
            return failed, f"It failed and nothing was done: {outcome.content}", True
        result = json.loads(outcome.content)
        done = await self.store.finish_action(record.id, status="succeeded", result=result)
        await self.store.add_audit(
            "action.succeeded", action_id=record.id, conversation_id=record.conversation_id
        )
        return done, f"It was done. Result: {outcome.content}", False

    async def reconcile(self, record: ActionRecord, executor: ToolExecutor) -> ActionRecord:
        """Look an `unknown` send up in the CRM's history; never send again to find out."""
        if record.status != "unknown":
            return record
        tool = self.catalog.get(record.tool_name)
        found = await find_in_history(record, tool.profile if tool else ToolProfile(), executor.crm)
        if found is None:
            return record
        done = await self.store.finish_action(record.id, status="succeeded", result=found)
        await self.store.add_audit(
            "action.reconciled", action_id=record.id, conversation_id=record.conversation_id
        )
        return done

    async def reject(
        self,
        record: ActionRecord,
        user_id: str,
        reason: str | None,
        aliases: tuple[str, ...] = (),
    ) -> Decision:
        await self._open_for_decision(record, user_id, *aliases)
        reason = (reason or "").strip() or None
        closed = await self._claim(
            record,
            user_id,
            "rejected",
            audit=("action.rejected", {"reason": reason}),
            reason=reason,
        )
        said = f' Their reason: "{reason}".' if reason else " They gave no reason."
        text = f"The person rejected this action; it was NOT executed.{said}"
        block = ToolOutcome(text, is_error=True).block(record.tool_use_id)
        return Decision(self.view(closed), block)

    async def answer_open(self, record: ActionRecord) -> Decision:
        """The tool_result of an action whose tool_use must be answered before the person's
        next message: one still pending stays pending (the card waits for its decision, and
        the outcome joins the conversation when it comes); an expired or already-decided one
        is reported as it ended (this also heals a transcript after a crash mid-decision)."""
        current = await self.expire_if_due(record) or record
        if current.status == "pending":
            text = (
                f"Waiting for the person's approval (action id {current.id}); not executed "
                "yet. Their decision will be added to the conversation when they make it."
            )
            return Decision(self.view(current), ToolOutcome(text).block(current.tool_use_id))
        return Decision(self.view(current), self.result_for(current))

    async def supersede(self, record: ActionRecord) -> ActionRecord | None:
        """Close a pending action replaced by a new proposal for the same thing."""
        claimed = await self.store.claim_action(
            record.id, to_status="superseded", decided_by=None, now=self.clock()
        )
        if claimed:
            await self.store.add_audit(
                "action.superseded", action_id=record.id, conversation_id=record.conversation_id
            )
        return claimed

    def result_for(self, record: ActionRecord) -> Block:
        status = record.status
        if status == "superseded":
            text = SUPERSEDED
        elif status == "expired":
            text = "Not executed: the approval request expired. Mention it if it still matters."
        elif status == "succeeded":
            text = f"The person approved this and it was done. Result: {_dumps(record.result)}"
        elif status == "rejected":
            text = f"The person rejected this action; it was NOT executed. Reason: {record.reason}"
        elif status == "stale":
            text = (
                f"The person approved this, but it was NOT run. {record.error or ''} Propose "
                "it again if it still matters."
            )
        elif status in {"unknown", "executing"}:
            text = (
                "Approved, but it is unknown whether it happened (no answer came back). It "
                "was NOT retried: tell the person to check before sending again."
            )
        else:
            text = f"Not executed (status {status}). {record.error or ''}".strip()
        return ToolOutcome(text, is_error=status != "succeeded").block(record.tool_use_id)
