"""Tool calls that come straight from a client's own model, not from ours (the MCP channel).

An MCP client picks tools itself, so there is no agent loop here, but the rules are the
same as for our model: reads and writes run at once through the same executor (validated
against the contract, results compacted), and whatever the policy says must wait
(outbound and destructive by default) becomes a PendingAction through the same gate. Such
an action is then listed, approved and rejected like any other: in the web chat, with
`coworker actions`, in Slack. The caller only ever gets the pending action back.

Each waiting call gets a conversation of its own, holding the request and the tool call,
so the stored transcript stays valid (every tool_use answered once it is decided) and a
second call never supersedes the first, as a new chat message would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from coworker.agent.events import ActionView
from coworker.agent.service import Coworker
from coworker.agent.transcript import Transcript
from coworker.errors import CoworkerError, DialsheetError, ToolInputError
from coworker.store.queries import UserRecord
from coworker.tools.catalog import Tool
from coworker.tools.executor import PreparedCall, ToolOutcome, describe_failure


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

    def tools(self) -> list[Tool]:
        return list(self.coworker.catalog)

    def waits_for_approval(self, tool: Tool) -> bool:
        return self.coworker.policy.needs_confirmation(tool.risk)

    async def call(self, user: UserRecord, name: str, arguments: Any) -> DirectOutcome:
        """Run `name` for `user` with their own Dialsheet key, or hand it to the gate."""
        try:
            executor = self.coworker.executor(user)
            tool = executor.tool(name)
            if not self.waits_for_approval(tool):
                return DirectOutcome(result=await executor.call_tool(name, arguments))
            call = await executor.prepare(name, arguments, describe=True)
        except ToolInputError as error:
            return DirectOutcome(result=ToolOutcome(error.message, is_error=True))
        except DialsheetError as error:
            return DirectOutcome(result=ToolOutcome(describe_failure(name, error), is_error=True))
        except CoworkerError as error:  # no Dialsheet key connected, say
            return DirectOutcome(result=ToolOutcome(error.message, is_error=True))
        return DirectOutcome(action=await self._request(user, call))

    async def _request(self, user: UserRecord, call: PreparedCall) -> ActionView:
        """Record the call as a conversation (the request, then the tool_use) and open the
        PendingAction for it, so approving resumes that conversation like any other."""
        name = call.tool.name
        record = await self.coworker.store.get_or_create_conversation(
            user.id, self.channel, uuid4().hex, title=f"{name} (from {self.channel.upper()})"
        )
        tool_use_id = f"toolu_{self.channel}_{uuid4().hex}"
        async with self.coworker.lock(record.id):
            transcript = await Transcript.load(self.coworker.store, record.id)
            request = (
                f"Through an {self.channel.upper()} client I asked you to run {name}; it waits "
                "for my approval. Tell me how it went once I decide."
            )
            await transcript.add_user_blocks([{"type": "text", "text": request}])
            await transcript.add_assistant(
                [{"type": "tool_use", "id": tool_use_id, "name": name, "input": call.arguments}]
            )
            return await self.coworker.gate.request(record.id, user.id, tool_use_id, call)
