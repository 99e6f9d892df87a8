"""MCP over real HTTP: the app on a real port, the real `mcp` client speaking to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import DEMO_USERS, demo_id
from coworker.server import create_app
from tests.agent.conftest import settings_for
from tests.support.servers import serve_asgi

JANE = demo_id("lead", "northwind:jane-smith")
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}
SECRET = "test-web-secret-of-at-least-32-bytes"  # as the README asks


class McpServer:
    """The running app: an MCP client factory, the web API, and the sandbox's outbox."""

    def __init__(self, url: str, model: ScriptedModel) -> None:
        self.url, self.model = url, model
        self.http = httpx.AsyncClient(base_url=url, timeout=30)

    @asynccontextmanager
    async def client(
        self, token: str | None = None, *, mode: str = "auto"
    ) -> AsyncIterator[Client]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx2.AsyncClient(headers=headers, timeout=30) as http:
            transport = streamable_http_client(f"{self.url}/mcp", http_client=http)
            async with Client(transport, mode=mode) as client:
                yield client

    async def outbox(self) -> list[dict[str, Any]]:
        answer = await self.http.get(
            "/sandbox/api/v1/emails",
            params={"lead_id": JANE},
            headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
        )
        emails: list[dict[str, Any]] = answer.json()["emails"]
        return emails


ServeMcp = Callable[..., AbstractAsyncContextManager[McpServer]]


def assert_names_no_way_to_decide(text: str) -> None:
    """A pending result tells the client's model who decides, never how to do it."""
    lowered = text.lower()
    for how in ("/api", "/approve", "post ", "coworker actions", "bearer", "curl"):
        assert how not in lowered, how


@pytest.fixture
def serve_mcp(tmp_path: Path) -> ServeMcp:
    @asynccontextmanager
    async def serve(turns: list[Any] | None = None, **settings: Any) -> AsyncIterator[McpServer]:
        model = ScriptedModel(turns or [])
        settings.setdefault("scheduler_enabled", False)
        app = create_app(settings_for(tmp_path, **settings), model=model)
        async with serve_asgi(app) as url:
            server = McpServer(url, model)
            try:
                yield server
            finally:
                await server.http.aclose()

    return serve
