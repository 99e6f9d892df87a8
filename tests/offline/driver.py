"""A small stand-in for the agent loop and confirmation gate, over the in-process sandbox.

It speaks to the model exactly like `coworker.agent.loop` does (windowed transcript, tool
results merged into the trailing user message, outbound/destructive calls held until a
decision, the same result texts after approve/reject/supersede, a card left waiting by a
new message answered "waiting" and its later decision told as a note), so the offline model can be
developed and tested without the store. The dev-set test also runs on the real service.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from coworker.agent.context import system_prompt, window
from coworker.agent.gating import target_of
from coworker.dialsheet.client import DialsheetClient
from coworker.errors import DialsheetError, ToolInputError
from coworker.llm.base import Block, Message, Model, ModelRequest
from coworker.llm.decisions import LateDecision, late_decision_block
from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.seed import DEMO_USERS
from coworker.tools.catalog import build_catalog
from coworker.tools.executor import PreparedCall, ToolExecutor, describe_failure
from coworker.tools.policy import DEFAULT_CONFIRM

# The calls that wait for the person: outbound and destructive, as the contract's profiles say.
GATED = frozenset(tool.name for tool in build_catalog() if tool.risk in DEFAULT_CONFIRM)
SUPERSEDED = "Not executed: replaced by a newer proposal for the same thing."
WAITING = (
    "Waiting for the person's approval (action id {id}); not executed yet. Their decision "
    "will be added to the conversation when they make it."
)


class InventedId(AssertionError):
    """The model used an id no tool result had shown it."""


@dataclass
class Pending:
    use: Block
    call: PreparedCall
    answered: bool = False  # its tool_use got the "waiting" result: the person wrote again


@dataclass
class Turn:
    """What one message (or decision) produced."""

    text: str = ""
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Driver:
    def __init__(
        self,
        executor: ToolExecutor,
        model: Model,
        *,
        timezone: str = "UTC",
        now: datetime | None = None,
        max_steps: int = 12,
    ) -> None:
        self.executor = executor
        self.model = model
        self.messages: list[Message] = []
        self.pending: list[Pending] = []
        self.max_steps = max_steps
        self.system = system_prompt(
            user_name=DEMO_USERS[0].name, timezone=timezone, now=now or datetime.now(UTC)
        )
        self.tools = build_catalog().definitions()

    def _add_user(self, blocks: list[Block]) -> None:
        if self.messages and self.messages[-1]["role"] == "user":
            merged = [*self.messages[-1]["content"], *blocks]
            results = [b for b in merged if b.get("type") == "tool_result"]
            others = [b for b in merged if b.get("type") != "tool_result"]
            self.messages[-1] = {"role": "user", "content": results + others}
        else:
            self.messages.append({"role": "user", "content": list(blocks)})

    async def say(self, text: str) -> Turn:
        """A new message leaves the cards waiting: their calls are answered "waiting"."""
        self._add_user(
            [
                {
                    "type": "tool_result",
                    "tool_use_id": p.use["id"],
                    "content": WAITING.format(id=p.use["id"]),
                }
                for p in self.pending
                if not p.answered
            ]
        )
        for p in self.pending:
            p.answered = True
        self._add_user([{"type": "text", "text": text}])
        return await self._loop()

    async def decide(
        self, *, approve: bool, reason: str | None = None, edits: dict[str, Any] | None = None
    ) -> Turn:
        assert self.pending, "nothing to decide"
        item = self.pending.pop(0)
        if approve:
            arguments = {**item.call.arguments, **(edits or {})}
            prepared = await self.executor.prepare(item.call.tool.name, arguments)
            outcome = await self.executor.run(prepared)
            if outcome.is_error:
                text = (
                    f"The person approved this. It failed and nothing was done: {outcome.content}"
                )
            else:
                text = f"The person approved this. It was done. Result: {outcome.content}"
            block: Block = {"type": "tool_result", "tool_use_id": item.use["id"], "content": text}
            if outcome.is_error:
                block["is_error"] = True
        else:
            said = f' Their reason: "{reason}".' if reason else " They gave no reason."
            block = {
                "type": "tool_result",
                "tool_use_id": item.use["id"],
                "content": f"The person rejected this action; it was NOT executed.{said}",
                "is_error": True,
            }
        if item.answered:  # decided after the person wrote again: the outcome is a note
            self._add_user(
                [
                    {
                        "type": "tool_result",
                        "tool_use_id": p.use["id"],
                        "content": WAITING.format(id=p.use["id"]),
                    }
                    for p in self.pending
                    if not p.answered
                ]
            )
            for p in self.pending:
                p.answered = True
            content = str(block["content"])
            note = LateDecision(
                item.use["name"], item.use["id"], item.use["id"], content, "is_error" in block
            )
            self._add_user([late_decision_block(note)])
            return await self._loop()
        self._add_user([block])
        if any(not p.answered for p in self.pending):
            return Turn(pending=list(self.pending))
        return await self._loop()

    async def _loop(self) -> Turn:
        turn = Turn()
        for _ in range(self.max_steps):
            request = ModelRequest(
                system=self.system, messages=window(self.messages), tools=self.tools
            )
            reply = await self.model.complete(request)
            content = [b for b in reply.content if b.get("type") != "text" or b.get("text")]
            self.messages.append({"role": "assistant", "content": content})
            turn.text += "".join(b["text"] for b in content if b.get("type") == "text")
            uses = [b for b in content if b.get("type") == "tool_use"]
            if not uses:
                return turn
            self._check_ids(uses)
            results: dict[str, Block] = {}
            for use in uses:
                turn.calls.append((use["name"], dict(use.get("input") or {})))
                if use["name"] in GATED:
                    try:
                        prepared = await self.executor.prepare(
                            use["name"], use.get("input"), describe=True
                        )
                    except ToolInputError as error:
                        results[use["id"]] = {
                            "type": "tool_result",
                            "tool_use_id": use["id"],
                            "content": error.message,
                            "is_error": True,
                        }
                        continue
                    except DialsheetError as error:
                        results[use["id"]] = {
                            "type": "tool_result",
                            "tool_use_id": use["id"],
                            "content": describe_failure(use["name"], error),
                            "is_error": True,
                        }
                        continue
                    target = target_of(use["name"], prepared.arguments)
                    for older in list(self.pending):
                        if target_of(older.use["name"], older.call.arguments) == target:
                            self.pending.remove(older)  # superseded by this proposal
                            if older.use["id"] in {u["id"] for u in uses}:
                                results[older.use["id"]] = {
                                    "type": "tool_result",
                                    "tool_use_id": older.use["id"],
                                    "content": SUPERSEDED,
                                    "is_error": True,
                                }
                    self.pending.append(Pending(use, prepared))
                    continue
                outcome = await self.executor.call_tool(use["name"], use.get("input"))
                if outcome.is_error:
                    turn.errors.append(f"{use['name']}: {outcome.content[:200]}")
                results[use["id"]] = outcome.block(use["id"])
            answered = [results[u["id"]] for u in uses if u["id"] in results]
            if answered:
                self._add_user(answered)
            if any(not p.answered for p in self.pending):
                turn.pending = list(self.pending)
                return turn
        turn.text += "(step limit)"
        return turn

    def _check_ids(self, uses: list[Block]) -> None:
        """Every id the model sends must come from a tool result it was shown (never made up)."""
        shown = "".join(
            str(block.get("content"))
            for message in self.messages
            if message["role"] == "user"
            for block in message["content"]
            if block.get("type") == "tool_result"
        )
        for use in uses:
            for key, value in (use.get("input") or {}).items():
                if key.endswith("_id") and value not in shown:
                    raise InventedId(f"{use['name']}.{key}={value!r} was never in a tool result")

    def transcript_json(self) -> str:
        return json.dumps(self.messages, indent=1, ensure_ascii=False)


@asynccontextmanager
async def sandbox_executor(user_index: int = 0) -> AsyncIterator[ToolExecutor]:
    """A ToolExecutor on a fresh, seeded in-memory sandbox, as the given demo user."""
    app = create_sandbox_app(database_url="sqlite+aiosqlite://")
    await app.state.database.ensure_ready()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
            client = DialsheetClient("http://sandbox", DEMO_USERS[user_index].key, http=http)
            yield ToolExecutor(build_catalog(), client)
    finally:
        await app.state.database.dispose()
