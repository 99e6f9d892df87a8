"""The real agent stack for tests: runtime, store, in-process sandbox, a scripted model."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from coworker.agent.events import ConfirmationRequired, Event, TurnDone
from coworker.config import Settings
from coworker.crm import EmbeddedSandbox
from coworker.dialsheet.client import DialsheetClient
from coworker.llm.base import Message, Model, ModelRequest
from coworker.llm.scripted import ScriptedModel
from coworker.runtime import Runtime, open_runtime
from coworker.sandbox.seed import DEMO_USERS
from coworker.store.records import UserRecord

IN_MEMORY = "sqlite+aiosqlite://"


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "database_url": IN_MEMORY,
        "sandbox_database_url": IN_MEMORY,
    }
    values.update(overrides)
    return Settings(**values)


async def collect(events: AsyncIterator[Event]) -> list[Event]:
    return [event async for event in events]


def pending_of(events: list[Event]) -> list[Any]:
    return [e.action for e in events if isinstance(e, ConfirmationRequired)]


def done_of(events: list[Event]) -> TurnDone:
    done = [e for e in events if isinstance(e, TurnDone)]
    assert len(done) == 1, events
    return done[0]


def tool_results(request: ModelRequest) -> list[dict[str, Any]]:
    """The tool_result blocks of the last message of a request (what the model just got)."""
    return [b for b in request.messages[-1]["content"] if b.get("type") == "tool_result"]


def result_json(request: ModelRequest, index: int = 0) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(tool_results(request)[index]["content"])
    return parsed


def assert_valid_transcript(messages: list[Message], *, open_ok: bool = False) -> None:
    """What the Messages API requires, and the rule the agent promises: one result per call.

    `open_ok` allows the last assistant message's calls to wait for a decision.
    """
    assert messages and messages[0]["role"] == "user"
    for before, after in zip(messages, messages[1:], strict=False):
        assert before["role"] != after["role"], "roles must alternate"
    for index, message in enumerate(messages):
        uses = [b["id"] for b in message["content"] if b.get("type") == "tool_use"]
        if message["role"] != "assistant" or not uses:
            continue
        if open_ok and index == len(messages) - 1:
            continue
        assert index + 1 < len(messages), "a tool_use at the end has no result"
        following = messages[index + 1]["content"]
        results = [b["tool_use_id"] for b in following if b.get("type") == "tool_result"]
        assert sorted(results) == sorted(uses), (uses, results)
        kinds = [b.get("type") for b in following]
        assert kinds == sorted(kinds, key=lambda k: k != "tool_result"), "tool results go first"


@dataclass
class World:
    runtime: Runtime
    user: UserRecord
    model: Model

    @property
    def coworker(self) -> Any:
        return self.runtime.coworker

    async def conversation(self) -> str:
        cid: str = await self.coworker.start_conversation(self.user, channel="test")
        return cid

    async def say(self, text: str, conversation_id: str) -> list[Event]:
        return await collect(self.coworker.chat(self.user, text, conversation_id=conversation_id))

    async def crm(self, operation: str, **arguments: Any) -> dict[str, Any]:
        """Look at the sandbox directly, as Alex, bypassing the agent."""
        assert isinstance(self.runtime.backend, EmbeddedSandbox)
        transport = httpx.ASGITransport(app=self.runtime.backend.app)
        async with DialsheetClient("http://sandbox", DEMO_USERS[0].key, transport=transport) as c:
            return await c.call(operation, arguments)

    async def transcript(self, conversation_id: str) -> list[Message]:
        messages: list[Message] = await self.runtime.store.load_messages(conversation_id)
        return messages


WorldFactory = Callable[..., Awaitable[World]]


@pytest.fixture
async def make_world(tmp_path: Path) -> AsyncIterator[WorldFactory]:
    opened: list[Runtime] = []

    async def make(
        turns: list[Any] | None = None, *, model: Model | None = None, **settings: Any
    ) -> World:
        chosen = model or ScriptedModel(turns or [])
        runtime = await open_runtime(settings_for(tmp_path, **settings), model=chosen)
        opened.append(runtime)
        return World(runtime, await runtime.local_user(), chosen)

    yield make
    for runtime in opened:
        await runtime.aclose()
