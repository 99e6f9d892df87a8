"""Limits over real HTTP: one cap on waiting actions for every channel, pages on every list,
and a message rate shared by two replicas (two apps on one PostgreSQL database)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from coworker.channels.web.identity import mint_token
from coworker.channels.web.limits import RateLimiter, SharedRateLimiter
from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import demo_id
from coworker.server import create_app
from coworker.store.paging import encode_cursor
from tests.agent.conftest import settings_for
from tests.support.databases import shared_database
from tests.support.servers import serve_asgi

S = ScriptedModel
JANE = demo_id("lead", "northwind:jane-smith")
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}
SMS = {"lead_id": JANE, "message": "Call me back?"}
SECRET = "test-web-secret"
Turn = ModelTurn | Callable[[ModelRequest], ModelTurn]


def said_back(request: ModelRequest) -> ModelTurn:
    """The model repeats the tool results it just got (so the test reads what it read)."""
    blocks = request.messages[-1]["content"]
    return S.text(" | ".join(str(b.get("content")) for b in blocks if b["type"] == "tool_result"))


@asynccontextmanager
async def serving(
    tmp_path: Path, turns: list[Turn], **settings: Any
) -> AsyncIterator[httpx.AsyncClient]:
    settings.setdefault("scheduler_enabled", False)
    app = create_app(settings_for(tmp_path, **settings), model=ScriptedModel(turns))
    async with serve_asgi(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as http:
        yield http


# -- one cap on waiting actions ---------------------------------------------------------------


async def test_web_chat_is_capped_and_the_model_reads_why(tmp_path: Path) -> None:
    """Web chat had no cap at all. With COWORKER_MAX_PENDING_ACTIONS=2, a turn asking for
    three sends gets two cards; the third call's result tells the model, which tells the
    person; a later chat in another conversation is refused too, until one is decided."""
    turns: list[Turn] = [
        S.tool_calls(("send_email", EMAIL), ("send_sms", SMS), ("send_email", EMAIL)),
        S.tool_calls(("send_sms", SMS)),
        said_back,
        S.tool_calls(("send_sms", SMS)),
    ]
    async with serving(tmp_path, turns, max_pending_actions=2) as http:
        first = (await http.post("/api/chat", json={"message": "email and text Jane"})).json()
        assert [a["status"] for a in first["actions"]] == ["pending", "pending"]
        second = await http.post("/api/chat", json={"message": "text Jane again"})
        assert second.status_code == 200  # refused inside the turn, never a 500
        reply = second.json()["reply"]
        assert "send_sms did NOT run" in reply and "2 actions waiting" in reply
        assert "approve or reject some of the waiting ones first" in reply
        waiting = (await http.get("/api/actions", params={"status": "pending"})).json()
        assert len(waiting["actions"]) == 2
        rejected = await http.post(f"/api/actions/{first['actions'][0]['id']}/reject", json={})
        assert rejected.status_code == 200
        third = (await http.post("/api/chat", json={"message": "now text her"})).json()
        assert [a["status"] for a in third["actions"]] == ["pending"]


async def test_one_cap_for_mcp_and_web_chat_together(tmp_path: Path) -> None:
    """The cap is the person's, not a channel's: actions asked for over MCP fill it for the
    web chat too."""
    turns: list[Turn] = [S.tool_calls(("send_email", EMAIL)), said_back]
    settings = settings_for(tmp_path, max_pending_actions=2, scheduler_enabled=False)
    app = create_app(settings, model=ScriptedModel(turns))
    async with serve_asgi(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as http:
        async with (
            httpx2.AsyncClient(timeout=30) as raw,
            Client(streamable_http_client(f"{url}/mcp", http_client=raw)) as client,
        ):
            results = [await client.call_tool("send_sms", SMS) for _ in range(3)]
        assert [r.is_error for r in results] == [False, False, True]
        assert "did NOT run" in results[2].content[0].text  # type: ignore[union-attr]
        chat = (await http.post("/api/chat", json={"message": "email Jane"})).json()
        assert chat["actions"] == [] and "send_email did NOT run" in chat["reply"]
        waiting = (await http.get("/api/actions", params={"status": "pending"})).json()
        assert len(waiting["actions"]) == 2


# -- pages on every list ----------------------------------------------------------------------


async def test_actions_and_conversations_page_with_a_cursor(tmp_path: Path) -> None:
    turns: list[Turn] = [S.tool_calls(("send_sms", SMS)) for _ in range(5)]
    async with serving(tmp_path, turns, web_secret=SECRET) as http:
        alice = {"Authorization": f"Bearer {mint_token(SECRET, 'alice')}"}
        bob = {"Authorization": f"Bearer {mint_token(SECRET, 'bob')}"}
        for _ in range(4):
            await http.post("/api/chat", json={"message": "text Jane"}, headers=alice)
        await http.post("/api/chat", json={"message": "text Jane"}, headers=bob)

        for key in ("actions", "conversations"):
            path = f"/api/{key}"
            seen: list[str] = []
            params: dict[str, Any] = {"limit": 3}
            sizes = []
            while True:
                page = (await http.get(path, params=params, headers=alice)).json()
                sizes.append(len(page[key]))
                seen += [item["id"] for item in page[key]]
                if page["next_cursor"] is None:
                    break
                params["cursor"] = page["next_cursor"]
            assert sizes == [3, 1] and len(set(seen)) == 4, path  # none of Bob's

        everything = (await http.get("/api/actions", headers=alice)).json()
        assert len(everything["actions"]) == 4 and everything["next_cursor"] is None


async def test_status_all_lists_every_status_and_an_unknown_one_is_422(tmp_path: Path) -> None:
    turns: list[Turn] = [S.tool_calls(("send_sms", SMS)), S.tool_calls(("send_sms", SMS))]
    async with serving(tmp_path, turns) as http:
        first = (await http.post("/api/chat", json={"message": "text Jane"})).json()
        await http.post(f"/api/actions/{first['actions'][0]['id']}/reject", json={})
        await http.post("/api/chat", json={"message": "text Jane again"})
        every = (await http.get("/api/actions", params={"status": "all"})).json()["actions"]
        assert sorted(a["status"] for a in every) == ["pending", "rejected"]
        unknown = await http.get("/api/actions", params={"status": "pendng"})
        assert unknown.status_code == 422
        error = unknown.json()["error"]
        assert "'pendng'" in error and "pending" in error and "superseded" in error
        assert "all" in error


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"limit": 0}, 422),
        ({"limit": 201}, 422),
        ({"limit": "ten"}, 422),
        ({"cursor": "not-a-cursor"}, 400),
        ({"cursor": "x" * 600}, 422),
        ({"cursor": "eyJhIjoxfQ"}, 400),  # base64 of valid JSON of the wrong shape
    ],
)
async def test_bad_paging_is_a_4xx_with_the_error_wrapper(
    tmp_path: Path, params: dict[str, Any], status: int
) -> None:
    async with serving(tmp_path, []) as http:
        for path in ("/api/actions", "/api/conversations"):
            answer = await http.get(path, params=params)
            assert answer.status_code == status, (path, answer.text)
            assert set(answer.json()) == {"error"}


async def test_a_cursor_of_one_list_is_refused_by_another(tmp_path: Path) -> None:
    cursor = encode_cursor("conversations", datetime.now(UTC), "c1")
    async with serving(tmp_path, []) as http:
        answer = await http.get("/api/actions", params={"cursor": cursor})
        assert answer.status_code == 400 and "another list" in answer.json()["error"]


# -- one message rate for every replica -------------------------------------------------------


@pytest.mark.postgres
async def test_two_replicas_allow_30_messages_a_minute_in_total(tmp_path: Path) -> None:
    """Two apps on one PostgreSQL database, as two replicas: 15 messages to each pass, the
    31st (to either) is a 429 with Retry-After, and a per-process limit would have let 60
    through. The counters' clock is pinned, so no assertion depends on timing."""
    async with shared_database("postgres", tmp_path, purpose="ratelimit") as url:
        pinned = 1_800_000_030.0  # 30 s into a minute

        async with AsyncExitStack() as stack:
            clients = []
            for n in range(2):
                settings = settings_for(
                    tmp_path / f"replica{n}", database_url=url, scheduler_enabled=False
                )
                app = create_app(settings, model=ScriptedModel([S.text("ok")] * 40))
                base = await stack.enter_async_context(serve_asgi(app))
                limiter = app.state.rate_limiter
                assert isinstance(limiter, SharedRateLimiter)  # chosen for PostgreSQL
                limiter.counters.clock = lambda: pinned
                clients.append(
                    await stack.enter_async_context(httpx.AsyncClient(base_url=base, timeout=30))
                )

            async def chat(n: int) -> httpx.Response:
                return await clients[n % 2].post("/api/chat", json={"message": f"hi {n}"})

            answers = await asyncio.gather(*(chat(n) for n in range(30)))
            assert [a.status_code for a in answers] == [200] * 30
            for n in range(2):
                refused = await chat(n)
                assert refused.status_code == 429
                assert refused.headers["retry-after"] == "30"  # when this minute ends
                assert "too many messages" in refused.json()["error"]


async def test_sqlite_keeps_the_limit_in_memory(tmp_path: Path) -> None:
    app = create_app(
        settings_for(tmp_path, rate_limit_per_minute=2, scheduler_enabled=False),
        model=ScriptedModel([S.text("one"), S.text("two")]),
    )
    async with serve_asgi(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as http:
        assert isinstance(app.state.rate_limiter, RateLimiter)
        codes = [(await http.post("/api/chat", json={"message": "hi"})).status_code for _ in "abc"]
        assert codes == [200, 200, 429]
