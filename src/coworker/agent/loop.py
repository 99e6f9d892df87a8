"""The agent loop: model turn -> tools -> results -> model turn, until the model is done.

It stops when the model ends its turn, when a call waits for a person's approval, or at the
step limit; it emits channel-neutral events all along. Whatever happens (a tool failing, the
model failing mid-turn), the stored transcript stays valid: every tool_use is answered.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from anthropic.types import ToolUseBlockParam

from coworker.agent import gating
from coworker.agent.confirmations import SUPERSEDED, ConfirmationGate
from coworker.agent.context import window
from coworker.agent.events import (
    ActionDecided,
    ActionView,
    ConfirmationRequired,
    ErrorEvent,
    Event,
    TextDelta,
    ToolFinished,
    ToolStarted,
    TurnDone,
)
from coworker.agent.transcript import Transcript
from coworker.errors import ModelError
from coworker.llm.base import (
    Block,
    Model,
    ModelRequest,
    ModelTurn,
    Usage,
    is_text,
    is_tool_use,
)
from coworker.observability import context, record
from coworker.observability.logs import content_enabled, log_fields
from coworker.tools.catalog import ToolCatalog
from coworker.tools.executor import ToolExecutor, ToolOutcome
from coworker.tools.policy import ConfirmationPolicy, Risk

log = logging.getLogger("coworker.agent")

CUT_OFF = "\n\n(My reply was cut off because it got too long. Ask me to continue.)"
REFUSED = "I can't help with that request."
TOO_LONG = (
    "This conversation has grown too long for me to keep in mind. Please start a new "
    "conversation; everything done so far is saved in the CRM."
)


@dataclass
class RunContext:
    transcript: Transcript
    executor: ToolExecutor
    user_id: str
    system: str
    usage: Usage = field(default_factory=Usage)
    text: list[str] = field(default_factory=list)
    model_calls: int = 0


def _step_limit_text(limit: int) -> str:
    return (
        f"I stopped after {limit} steps without finishing, so I don't loop forever. Here is "
        "where things stand; tell me how you'd like to continue."
    )


class AgentLoop:
    def __init__(
        self,
        model: Model,
        catalog: ToolCatalog,
        policy: ConfirmationPolicy,
        gate: ConfirmationGate,
        *,
        max_steps: int = 12,
    ) -> None:
        self.model = model
        self.catalog = catalog
        self.policy = policy
        self.gate = gate
        self.max_steps = max_steps

    async def run(self, ctx: RunContext) -> AsyncIterator[Event]:
        """Run until the turn ends; each run is timed, counted and logged exactly once."""
        context.bind(conversation=ctx.transcript.conversation_id, user_id=ctx.user_id)
        started = time.perf_counter()
        message = _person_text(ctx) if content_enabled() else None
        outcome: str | None = None
        try:
            async for event in self._steps(ctx):
                if isinstance(event, TurnDone):
                    outcome = event.stop_reason
                    self._observe_turn(ctx, outcome, time.perf_counter() - started, message)
                yield event
        except Exception:
            if outcome is None:
                outcome = "crashed"
                self._observe_turn(ctx, outcome, time.perf_counter() - started, message)
            raise
        finally:
            if outcome is None:  # the consumer stopped listening (a client went away)
                self._observe_turn(ctx, "interrupted", time.perf_counter() - started, message)

    def _observe_turn(
        self, ctx: RunContext, outcome: str, seconds: float, message: str | None
    ) -> None:
        record.turn(seconds, outcome)
        fields: dict[str, object] = {
            "outcome": outcome,
            "duration_ms": round(seconds * 1000, 1),
            "model_calls": ctx.model_calls,
            "input_tokens": ctx.usage.input_tokens,
            "output_tokens": ctx.usage.output_tokens,
        }
        if content_enabled():
            fields |= {"message_text": message, "reply": "".join(ctx.text)}
        log.info("turn done", extra=log_fields(**fields))

    def _model_done(self, ctx: RunContext, started: float, outcome: str) -> None:
        ctx.model_calls += 1
        record.model_call(self.model.name, time.perf_counter() - started, outcome)

    async def _steps(self, ctx: RunContext) -> AsyncIterator[Event]:
        conversation_id = ctx.transcript.conversation_id
        for _ in range(self.max_steps):
            request = ModelRequest(
                system=ctx.system,
                messages=window(ctx.transcript.messages),
                tools=self.catalog.definitions(),
            )
            turn: ModelTurn | None = None
            model_started = time.perf_counter()
            try:
                async for item in self.model.stream(request):
                    if isinstance(item, ModelTurn):
                        turn = item
                    else:
                        yield TextDelta(item.text)
            except ModelError as error:
                self._model_done(ctx, model_started, "error")
                record.error("model")
                log.warning("model failed: %s", error.message)
                yield ErrorEvent(f"The model is unavailable right now: {error.message}", "model")
                yield TurnDone(conversation_id, "".join(ctx.text), "error", ctx.usage)
                return
            except Exception:
                # A bug in a model adapter must not take the request (or the transcript) down.
                self._model_done(ctx, model_started, "crashed")
                record.error("model_crash")
                log.exception("model %s crashed", self.model.name)
                yield ErrorEvent("The model failed unexpectedly; please try again.", "model")
                yield TurnDone(conversation_id, "".join(ctx.text), "error", ctx.usage)
                return
            if turn is None:
                self._model_done(ctx, model_started, "error")
                record.error("model")
                yield ErrorEvent("The model ended without a reply.", "model")
                yield TurnDone(conversation_id, "".join(ctx.text), "error", ctx.usage)
                return
            self._model_done(ctx, model_started, "ok")
            record.tokens(turn.usage)
            ctx.usage = ctx.usage + turn.usage
            content, extra = self._settle_content(turn)
            if extra:
                yield TextDelta(extra)
            ctx.text.extend(b["text"] for b in content if is_text(b))
            ctx.transcript.add_assistant(content, usage=turn.usage.as_dict())
            if turn.stop_reason == "pause_turn":
                continue
            uses = [b for b in content if is_tool_use(b)]
            if not uses:
                yield TurnDone(conversation_id, "".join(ctx.text), turn.stop_reason, ctx.usage)
                return
            pending: list[ActionView] = []
            async for event in self._run_tools(ctx, uses, pending):
                yield event
            if pending:
                yield TurnDone(
                    conversation_id, "".join(ctx.text), "confirmation", ctx.usage, tuple(pending)
                )
                return
        text = _step_limit_text(self.max_steps)
        ctx.transcript.add_assistant([{"type": "text", "text": text}])
        ctx.text.append(text)
        yield TextDelta(text)
        yield TurnDone(conversation_id, "".join(ctx.text), "step_limit", ctx.usage)

    def _settle_content(self, turn: ModelTurn) -> tuple[list[Block], str]:
        """The blocks to store for a turn, and any text to add for the person."""
        content = [b for b in turn.content if b.get("type") != "text" or b.get("text")]
        if turn.stop_reason == "max_tokens":
            # A tool call cut off mid-way cannot run; keep the text and say it was cut.
            content = [b for b in content if b.get("type") != "tool_use"]
            content.append({"type": "text", "text": CUT_OFF.strip()})
            return content, CUT_OFF
        if turn.stop_reason == "refusal" and not any(b.get("type") == "text" for b in content):
            return [{"type": "text", "text": REFUSED}], REFUSED
        if turn.stop_reason == "model_context_window_exceeded":
            content = [b for b in content if b.get("type") != "tool_use"]
            content.append({"type": "text", "text": TOO_LONG})
            return content, TOO_LONG
        if not content:
            content = [{"type": "text", "text": "(no reply)"}]
        return content, ""

    def _has_effects(self, use: ToolUseBlockParam) -> bool:
        tool = self.catalog.get(use["name"])
        return tool is not None and (
            tool.risk is not Risk.READ or self.policy.needs_confirmation(tool.risk)
        )

    def _needs_decision(self, use: ToolUseBlockParam) -> bool:
        tool = self.catalog.get(use["name"])
        return tool is not None and self.policy.needs_confirmation(tool.risk)

    async def _run_tools(
        self, ctx: RunContext, uses: list[ToolUseBlockParam], pending: list[ActionView]
    ) -> AsyncIterator[Event]:
        effects = any(self._has_effects(use) for use in uses)
        if effects:
            # A write, a send or a pending action must never be without the tool_use that
            # asked for it on record: after a crash, that is how the call is found again.
            await ctx.transcript.save()
        results: dict[str, Block] = {}
        immediate: list[ToolUseBlockParam] = []
        asked = {use["id"] for use in uses}
        gated_calls = sum(1 for use in uses if self._needs_decision(use))
        batch_id = gating.new_batch(gated_calls)
        for use in uses:
            tool = self.catalog.get(use["name"])
            if tool is None or not self.policy.needs_confirmation(tool.risk):
                immediate.append(use)
                continue
            gated = gating.too_big(self.gate, use["name"], gated_calls) or await gating.gate_call(
                self.gate,
                ctx.executor,
                use["name"],
                use.get("input"),
                conversation_id=ctx.transcript.conversation_id,
                user_id=ctx.user_id,
                tool_use_id=use["id"],
                batch_id=batch_id,
            )
            record.tool_call(tool.name, gated.status)
            for replaced in gated.superseded:
                yield ActionDecided(replaced)
                if replaced.tool_use_id in asked:  # proposed twice in this turn: answer it
                    pending[:] = [p for p in pending if p.id != replaced.id]
                    results[replaced.tool_use_id] = ToolOutcome(SUPERSEDED, is_error=True).block(
                        replaced.tool_use_id
                    )
            if gated.action is None:
                assert gated.outcome is not None  # why it could not wait: the model reads it
                results[use["id"]] = gated.outcome.block(use["id"])
                yield ToolFinished(use["id"], use["name"], True, gated.outcome.content)
                continue
            pending.append(gated.action)
            yield ConfirmationRequired(gated.action)

        for use in immediate:
            yield ToolStarted(use["id"], use["name"], dict(use.get("input") or {}))
        outcomes = await asyncio.gather(
            *(ctx.executor.call_tool(use["name"], use.get("input")) for use in immediate),
            return_exceptions=True,
        )
        for use, outcome in zip(immediate, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                known = self.catalog.get(use["name"]) is not None
                record.tool_call(use["name"] if known else "unknown_tool", "crashed")
                record.error("tool_crash")
                log.exception("tool %s crashed", use["name"], exc_info=outcome)
                outcome = ToolOutcome(f"{use['name']} failed inside the coworker.", is_error=True)
            results[use["id"]] = outcome.block(use["id"])
            yield ToolFinished(use["id"], use["name"], outcome.is_error, outcome.content)
        # Answered in the order the model asked; pending ones are answered when decided.
        ctx.transcript.add_user_blocks([results[u["id"]] for u in uses if u["id"] in results])
        if effects:
            # What a write did goes on record now, not after the next model call: after a
            # crash, "may or may not have run" would invite the model to do it twice.
            await ctx.transcript.save()


def _person_text(ctx: RunContext) -> str | None:
    """What the person just said (for content logging), if a message started this run."""
    messages = ctx.transcript.messages
    if not messages or messages[-1]["role"] != "user":
        return None
    texts = [b.get("text", "") for b in messages[-1]["content"] if is_text(b)]
    return "\n".join(texts) or None
