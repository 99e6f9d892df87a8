"""Tool calls that come straight from a client's own model, not from ours (the MCP channel).

An MCP client picks tools itself, so there is no agent loop here, but the rules are the
same as for our model: reads and writes run at once through the same executor (validated
against the contract, results compacted), and whatever the policy says must wait
(outbound and destructive by default) becomes a PendingAction through the same gate. Such
an action is then listed, approved and rejected like any other: in the web chat (which
shows actions waiting from elsewhere) or with `coworker actions`. The caller only ever
gets the pending action back, and a person has at most COWORKER_MAX_PENDING_ACTIONS
waiting, from every channel together: the gate (the store, atomically) enforces that cap;
the count here only spares a refused call its conversation.

Each waiting call gets a conversation of its own (`Coworker.propose` records the request
and the tool call there, since only the service writes transcripts), so a second call
never supersedes the first, even a call for the same thing. Preparing and gating are the
loop's own (`agent/gating.py`): one set of rules whoever proposed the call.

Every call is counted and logged like the agent's: the executor does it for calls that run;
calls that wait (or fail before they could wait) are recorded here, with the same tool-call
line (no inputs unless COWORKER_LOG_CONTENT=1), under the caller's hashed id.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from coworker.agent import gating
from coworker.agent.events import ActionView
from coworker.agent.service import Coworker
from coworker.errors import CoworkerError, DialsheetError, ToolInputError
from coworker.observability import context, record
from coworker.observability.logs import content_enabled, log_fields
from coworker.store.pending_cap import TooManyPendingActions, too_many_pending_text
from coworker.store.records import UserRecord
from coworker.tools.catalog import Tool
from coworker.tools.executor import LOGGED_RESULT_CHARS, ToolOutcome, describe_failure

log = logging.getLogger("coworker.tools")  # the executor's: one kind of tool-call line


@dataclass(frozen=True)
class DirectOutcome:
    """Either the call ran (`result`, possibly an error that says how to fix the call) or
    it waits for the person's approval (`action`)."""

    result: ToolOutcome | None = None
    action: ActionView | None = None


class DirectCalls:
    def __init__(self, coworker: Coworker, *, channel: str) -> None:
        self.coworker = coworker
        self.channel = channel

    @property
    def max_pending(self) -> int | None:
        """The one per-person cap, the gate's (None: no cap)."""
        return self.coworker.gate.max_pending

    def tools(self) -> list[Tool]:
        return list(self.coworker.catalog)

    def waits_for_approval(self, tool: Tool) -> bool:
        return self.coworker.policy.needs_confirmation(tool.risk)

    async def call(self, user: UserRecord, name: str, arguments: Any) -> DirectOutcome:
        """Run `name` for `user` with their own Dialsheet key, or hand it to the gate."""
        context.bind(user_id=user.id, channel_name=self.channel)
        started = time.perf_counter()
        try:
            executor = self.coworker.executor(user)
            tool = executor.tool(name)
            if not self.waits_for_approval(tool):
                return DirectOutcome(result=await executor.call_tool(name, arguments))
            cap = self.max_pending
            if cap is not None:
                # Advisory only (a race can pass it): the gate's atomic insert decides.
                waiting = await self.coworker.store.count_waiting(user.id)
                if waiting >= cap:
                    refused = TooManyPendingActions(waiting, cap)
                    return DirectOutcome(result=self._too_many(tool, refused, started, arguments))
            prepared = await gating.prepare(executor, name, arguments)
        except ToolInputError as error:
            outcome = ToolOutcome(error.message, is_error=True)
            self._observe(name, "invalid_input", started, arguments, outcome)
            return DirectOutcome(result=outcome)
        except DialsheetError as error:
            outcome = ToolOutcome(describe_failure(name, error), is_error=True)
            self._observe(name, "error", started, arguments, outcome)
            return DirectOutcome(result=outcome)
        except CoworkerError as error:  # no Dialsheet key connected, say
            outcome = ToolOutcome(error.message, is_error=True)
            self._observe(name, "error", started, arguments, outcome)
            return DirectOutcome(result=outcome)
        if isinstance(prepared, gating.Gated):
            assert prepared.outcome is not None
            self._observe(name, prepared.status, started, arguments, prepared.outcome)
            return DirectOutcome(result=prepared.outcome)
        gated = await self.coworker.propose(user, prepared, channel=self.channel)
        if gated.action is None:
            assert gated.outcome is not None
            self._observe(name, gated.status, started, arguments, gated.outcome)
            return DirectOutcome(result=gated.outcome)
        self._observe(name, gated.status, started, prepared.arguments, None, gated.action.id)
        return DirectOutcome(action=gated.action)

    def _too_many(
        self, tool: Tool, refused: TooManyPendingActions, started: float, arguments: Any
    ) -> ToolOutcome:
        outcome = ToolOutcome(too_many_pending_text(tool.name, refused), is_error=True)
        self._observe(tool.name, "too_many_pending", started, arguments, outcome)
        return outcome

    def _observe(
        self,
        tool: str,
        outcome: str,
        started: float,
        arguments: Any,
        result: ToolOutcome | None,
        action_id: str | None = None,
    ) -> None:
        """Count and log a call the executor did not run (it records those it runs)."""
        name = tool if self.coworker.catalog.get(tool) is not None else "unknown_tool"
        record.tool_call(name, outcome)
        fields: dict[str, Any] = {
            "tool": name,
            "outcome": outcome,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        if action_id is not None:
            fields["action_id"] = action_id
        if content_enabled():
            fields["input"] = arguments
            if result is not None:
                fields["result"] = result.content[:LOGGED_RESULT_CHARS]
        log.info("tool call", extra=log_fields(**fields))
