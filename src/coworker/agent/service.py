"""The Coworker service: what every channel calls.

Channels translate their input into `chat`, `approve` or `reject` and render the events that
come back. The service finds (or starts) the conversation, takes its lock so one turn runs at
a time, answers any tool call left open, and runs the loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from anthropic.types import ToolResultBlockParam, ToolUseBlockParam

from coworker.agent import batches, feedback, titles
from coworker.agent.confirmations import ConfirmationGate, Decision
from coworker.agent.context import system_prompt
from coworker.agent.conversations import Conversations, OwnerCache
from coworker.agent.events import ActionDecided, ActionView, Event, TextDelta, TurnDone
from coworker.agent.feedback import FeedbackInput, FeedbackRecord
from coworker.agent.loop import AgentLoop, RunContext
from coworker.agent.transcript import Transcript
from coworker.config import Settings
from coworker.errors import MessageTooLong
from coworker.llm.base import Model
from coworker.llm.decisions import LateDecision, late_decision_block
from coworker.store.facade import Store
from coworker.store.records import ActionRecord, UserRecord
from coworker.tools.catalog import ToolCatalog
from coworker.tools.executor import CrmCaller, ToolExecutor, ToolOutcome
from coworker.tools.policy import ConfirmationPolicy, Risk

EMPTY_REPLY = "I didn't get any text. What can I do for you in the CRM?"


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Coworker(Conversations):
    """The one way in for every channel (docs/ARCHITECTURE.md): turns and decisions here,
    finding, showing and seeding conversations in `Conversations`."""

    def __init__(
        self,
        *,
        store: Store,
        model: Model,
        catalog: ToolCatalog,
        crm_for: Callable[[UserRecord], CrmCaller],
        policy: ConfirmationPolicy,
        action_ttl: timedelta = timedelta(hours=24),
        max_steps: int = 12,
        max_message_chars: int = 20_000,
        approvers: frozenset[str] = frozenset(),
        clock: Callable[[], datetime] = _utcnow,
        max_pending: int | None = None,
        max_batch: int = 25,
    ) -> None:
        self.store = store
        self.model = model
        self.catalog = catalog
        self.crm_for = crm_for
        self.policy = policy
        self.clock = clock
        self.max_message_chars = max_message_chars
        self.gate = ConfirmationGate(
            store,
            catalog,
            ttl=action_ttl,
            clock=clock,
            approvers=approvers,
            max_pending=max_pending,
            max_batch=max_batch,
        )
        self.loop = AgentLoop(model, catalog, policy, self.gate, max_steps=max_steps)
        self._owners = OwnerCache()

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        store: Store,
        model: Model,
        crm_for: Callable[[UserRecord], CrmCaller],
        catalog: ToolCatalog | None = None,
        clock: Callable[[], datetime] = _utcnow,
    ) -> Coworker:
        """`clock` pins "now" (evals replay a recorded run on the day it was recorded)."""
        from coworker.tools.catalog import build_catalog

        return cls(
            store=store,
            model=model,
            catalog=catalog or build_catalog(),
            crm_for=crm_for,
            policy=ConfirmationPolicy.from_names(
                settings.confirm_risks.split(","), allow_below_default=settings.allow_unconfirmed
            ),
            action_ttl=timedelta(hours=settings.action_ttl_hours),
            max_steps=settings.max_steps,
            max_message_chars=settings.max_message_chars,
            approvers=frozenset(a.strip() for a in settings.approvers.split(",") if a.strip()),
            clock=clock,
            max_pending=settings.max_pending_actions,
            max_batch=settings.max_batch_actions,
        )

    def executor(self, user: UserRecord) -> ToolExecutor:
        return ToolExecutor(
            self.catalog, self.crm_for(user), timezone=user.timezone, clock=self.clock
        )

    def _run(self, user: UserRecord, transcript: Transcript) -> AsyncIterator[Event]:
        context = RunContext(
            transcript=transcript,
            executor=self.executor(user),
            user_id=user.id,
            system=system_prompt(
                user_name=user.display_name, timezone=user.timezone, now=self.clock()
            ),
        )
        return self.loop.run(context)

    async def chat(
        self, user: UserRecord, text: str, *, conversation_id: str
    ) -> AsyncIterator[Event]:
        """Run one user message through the agent; events stream as they happen."""
        if len(text) > self.max_message_chars:
            raise MessageTooLong(len(text), self.max_message_chars)
        await self.own_conversation(user, conversation_id)
        if not text.strip():
            yield TextDelta(EMPTY_REPLY)
            yield TurnDone(conversation_id, EMPTY_REPLY, "empty_message")
            return
        async with self.lock(conversation_id):
            transcript = await Transcript.load(self.store, conversation_id)
            try:
                for action in await self.answer_open_calls(transcript):
                    yield ActionDecided(action)
                if not transcript.messages:  # its first request names it (agent/titles.py)
                    transcript.title = titles.title_from(text)
                transcript.add_user_blocks([{"type": "text", "text": text}])
                await transcript.save()  # the person's words, before the model reads them
                async for event in _saved_when_done(transcript, self._run(user, transcript)):
                    yield event
            finally:
                await transcript.settle()  # before the lock lets the next turn load it

    async def answer_open_calls(self, transcript: Transcript) -> list[ActionView]:
        """Give every unanswered tool_use its one tool_result before the conversation moves on.

        A card still waiting stays pending (its result says so; the decision joins the
        conversation when it comes). Returns the actions found ended (expired, or decided
        before a crash), for the channels to show.
        """
        open_uses = transcript.unanswered_tool_uses()
        if not open_uses:
            return []
        actions = {
            a.tool_use_id: a
            for a in await self.store.list_actions(conversation_id=transcript.conversation_id)
        }
        results = []
        ended: list[ActionView] = []
        for use in open_uses:
            action = actions.get(use["id"])
            if action is not None:
                decision = await self.gate.answer_open(action)
                results.append(decision.result)
                if decision.action.status != "pending":
                    ended.append(decision.action)
            else:
                results.append(self._interrupted(use))
        transcript.add_user_blocks(results)
        return ended

    def _interrupted(self, use: ToolUseBlockParam) -> ToolResultBlockParam:
        """A call cut off mid-run (a dropped stream, a restart): a write may have happened."""
        tool = self.catalog.get(use["name"])
        if tool is not None and tool.risk is Risk.READ:
            text = "Not run: the coworker was interrupted. Call it again if it is still needed."
        else:
            text = (
                "Interrupted: this call may or may not have run. Check the CRM before repeating it."
            )
        return ToolOutcome(text, is_error=True).block(use["id"])

    async def approve(
        self, user: UserRecord, action_id: str, edits: dict[str, Any] | None = None
    ) -> AsyncIterator[Event]:
        async for event in self._decide(user, action_id, approve=True, edits=edits, reason=None):
            yield event

    async def reject(
        self, user: UserRecord, action_id: str, reason: str | None = None
    ) -> AsyncIterator[Event]:
        async for event in self._decide(user, action_id, approve=False, edits=None, reason=reason):
            yield event

    def decide_batch(
        self,
        user: UserRecord,
        batch_id: str,
        approve: Sequence[str] = (),
        reject: Sequence[str] = (),
        edits: Mapping[str, dict[str, Any]] | None = None,
    ) -> AsyncIterator[Event]:
        """One decision for the cards one response proposed: each listed item approved or
        left out through `approve`/`reject`, in card order (agent/batches.py)."""
        decision = batches.BatchDecision(tuple(approve), tuple(reject), dict(edits or {}))
        return batches.decide_batch(self, user, batch_id, decision)

    async def _decide(
        self,
        user: UserRecord,
        action_id: str,
        *,
        approve: bool,
        edits: dict[str, Any] | None,
        reason: str | None,
    ) -> AsyncIterator[Event]:
        record = await self.gate.get(action_id)
        self.gate.check_decider(record, user.id, user.external_id)
        async with self.lock(record.conversation_id):
            record = await self.gate.get(action_id)
            transcript = await Transcript.load(self.store, record.conversation_id)
            try:
                # It runs as the person who asked, with their key, whoever approves it.
                owner = await self.store.get_user(record.user_id) or user
                if approve:
                    decision = await self.gate.approve(
                        record, user.id, self.executor(owner), edits, aliases=(user.external_id,)
                    )
                else:
                    decision = await self.gate.reject(
                        record, user.id, reason, aliases=(user.external_id,)
                    )
                yield ActionDecided(decision.action)
                if not await self._tell_decision(transcript, record, decision):
                    pending = await self.list_actions(
                        user, status="pending", conversation_id=record.conversation_id
                    )
                    await transcript.save()
                    yield TurnDone(
                        record.conversation_id, "", "confirmation", pending=tuple(pending)
                    )
                    return
                async for event in _saved_when_done(transcript, self._run(owner, transcript)):
                    yield event
            finally:
                await transcript.settle()

    async def _tell_decision(
        self, transcript: Transcript, record: ActionRecord, decision: Decision
    ) -> bool:
        """Put a decision where the model reads it; False while other cards of the same
        turn still wait (the model goes on once the last of them is decided).

        Decided in the turn that proposed it, the outcome is the tool_use's own result.
        Decided after the person wrote again, that tool_use was answered "waiting" already:
        the outcome follows as a note (`llm/decisions.py`), after any card still open gets
        its own "waiting" result, so the transcript stays valid for the Messages API.
        """
        if record.tool_use_id in {u["id"] for u in transcript.unanswered_tool_uses()}:
            transcript.add_user_blocks([decision.result])
            await transcript.save()
            return not transcript.unanswered_tool_uses()
        await self.answer_open_calls(transcript)
        content = decision.result.get("content")
        note = LateDecision(
            record.tool_name,
            record.id,
            record.tool_use_id,
            content if isinstance(content, str) else "",
            bool(decision.result.get("is_error")),
        )
        transcript.add_user_blocks([late_decision_block(note)])
        await transcript.save()
        return True

    async def reconcile(self, user: UserRecord, action_id: str) -> ActionView:
        """Look an `unknown` send up in the CRM's history (never by sending again)."""
        record = await self.gate.get(action_id)
        self.gate.check_decider(record, user.id, user.external_id)
        owner = await self.store.get_user(record.user_id) or user
        return self.gate.view(await self.gate.reconcile(record, self.executor(owner)))

    async def record_feedback(self, user: UserRecord, entry: FeedbackInput) -> FeedbackRecord:
        """A person's thumbs up or down on a reply of their own conversation (another
        person's is not found); a second press on the same reply replaces the first."""
        feedback.check(entry)
        await self.own_conversation(user, entry.conversation_id)
        return await feedback.record_feedback(self.store, user, entry, model=self.model.name)

    async def get_action(self, user: UserRecord, action_id: str) -> ActionView:
        record = await self.gate.get(action_id)
        self.gate.check_decider(record, user.id, user.external_id)
        return self.gate.view(record)


async def _saved_when_done(
    transcript: Transcript, events: AsyncIterator[Event]
) -> AsyncIterator[Event]:
    """The loop's events, with a turn reported done only once its transcript is saved: a
    channel that shows "done" (or a client that reloads) must find every message stored.
    Saved, its final reply has the id a person's feedback names it by."""
    async for event in events:
        if isinstance(event, TurnDone):
            await transcript.save()
            seq = transcript.final_reply_seq()
            if seq is not None:
                event = replace(event, reply_id=feedback.reply_id_of(seq))
        yield event
