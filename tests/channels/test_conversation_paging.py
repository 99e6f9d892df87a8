"""GET /api/conversations/{id} pages: the latest messages first, older ones by `before`.

Over real HTTP, on a conversation seeded straight into the store: the pages, read back to
the start, show exactly what the whole conversation shows (a call and its result never
split across two pages); each page reads a bounded number of rows however long the
conversation; the actions that come with a page are those of its calls plus every one
still waiting.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from coworker.channels.web.routes import display_messages
from coworker.llm.base import Message
from coworker.llm.scripted import ScriptedModel
from coworker.runtime import LOCAL_USER
from coworker.server import create_app
from coworker.store.facade import Store
from coworker.store.records import StoredMessage
from coworker.store.tables import utcnow
from tests.agent.conftest import settings_for
from tests.support.servers import serve_asgi


def _chat(exchanges: int) -> list[Message]:
    """Text, and every third exchange a call answered by its result in the next message."""
    messages: list[Message] = []
    for n in range(exchanges):
        messages.append({"role": "user", "content": [{"type": "text", "text": f"q{n}"}]})
        if n % 3 == 0:
            use = {"type": "tool_use", "id": f"tu{n}", "name": "search_leads", "input": {}}
            messages.append({"role": "assistant", "content": [use]})
            result = {"type": "tool_result", "tool_use_id": f"tu{n}", "content": f'{{"n": {n}}}'}
            messages.append({"role": "user", "content": [result]})
        messages.append({"role": "assistant", "content": [{"type": "text", "text": f"a{n}"}]})
    return messages


class Seeded:
    def __init__(self, http: httpx.AsyncClient, store: Store, conversation_id: str) -> None:
        self.http, self.store, self.id = http, store, conversation_id

    async def page(self, **params: Any) -> dict[str, Any]:
        answer = await self.http.get(f"/api/conversations/{self.id}", params=params)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body


@pytest.fixture
async def seeded(tmp_path: Path) -> AsyncIterator[Any]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    settings = settings_for(tmp_path, database_url=url, scheduler_enabled=False)
    app = create_app(settings, model=ScriptedModel([]))
    async with serve_asgi(app) as base_url:
        store = await Store.open(url)
        try:

            async def make(messages: list[Message]) -> Seeded:
                user = await store.ensure_user(LOCAL_USER)
                record = await store.get_or_create_conversation(user.id, "web", str(len(messages)))
                for first in range(0, len(messages), 500):
                    await store.append_messages(record.id, messages[first : first + 500])
                http = httpx.AsyncClient(base_url=base_url, timeout=30)
                return Seeded(http, store, record.id)

            yield make
        finally:
            await store.close()


async def test_pages_read_back_show_the_whole_conversation(seeded: Any) -> None:
    messages = _chat(36)  # 120 messages; calls at many page boundaries
    conversation = await seeded(messages)
    for limit in (2, 7, 50):
        shown: list[dict[str, Any]] = []
        before: int | None = None
        pages = 0
        while True:
            params: dict[str, Any] = {"limit": limit}
            if before is not None:
                params["before"] = before
            body = await conversation.page(**params)
            assert body["id"] == conversation.id
            shown = body["messages"] + shown
            before = body["next_before"]
            pages += 1
            if before is None:
                break
        assert shown == display_messages(messages), limit
        assert pages >= len(messages) // (limit + 1)
    first = await conversation.page()
    assert first["next_before"] is not None
    assert first["messages"] == display_messages(messages[-50:])  # a clean cut here


async def test_a_page_costs_the_same_at_any_length(
    seeded: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows: list[int] = []
    real = Store.load_latest_messages

    async def counted(self: Store, *args: Any, **kwargs: Any) -> list[StoredMessage]:
        found = await real(self, *args, **kwargs)
        rows.append(len(found))
        return found

    async def whole(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the display must not load the whole transcript")

    monkeypatch.setattr(Store, "load_latest_messages", counted)
    monkeypatch.setattr(Store, "load_messages", whole)
    read: dict[int, list[int]] = {}
    for exchanges in (3, 1_500):
        conversation = await seeded(_chat(exchanges))
        rows.clear()
        body = await conversation.page()
        older = await conversation.page(before=body["next_before"]) if exchanges > 3 else None
        read[exchanges] = list(rows)
        assert len(body["messages"]) <= 51 and (older is None or older["messages"])
    assert read[3] == [8]  # all of a short one (fewer than the limit + 2 asked for)
    assert read[1_500] == [52, 52]  # the limit + 2 each page, never the 5,000


async def test_a_page_brings_the_actions_of_its_calls_and_every_waiting_one(
    seeded: Any,
) -> None:
    messages = _chat(60)
    conversation = await seeded(messages)
    store: Store = conversation.store
    owner = (await store.ensure_user(LOCAL_USER)).id
    expires = utcnow() + timedelta(hours=1)

    async def action(tool_use_id: str) -> Any:
        return await store.create_action(
            conversation.id, owner, tool_use_id, "search_leads", {}, expires
        )

    waiting, done, recent = await action("tu0"), await action("tu3"), await action("tu57")
    await store.finish_action(done.id, status="succeeded")
    await store.finish_action(recent.id, status="succeeded")

    first = await conversation.page(limit=10)
    assert {a["id"] for a in first["actions"]} == {waiting.id, recent.id}
    oldest = await conversation.page(limit=10, before=12)
    assert {a["id"] for a in oldest["actions"]} == {waiting.id, done.id}


async def test_limit_and_before_are_checked(seeded: Any) -> None:
    conversation = await seeded(_chat(2))
    for params in ({"limit": 0}, {"limit": 10_000}, {"before": 0}, {"before": "x"}):
        answer = await conversation.http.get(f"/api/conversations/{conversation.id}", params=params)
        assert answer.status_code == 422, params
    assert (await conversation.page(before=1))["messages"] == []
