"""The widget's files as a host page's browser gets them: the one-tag loader and the ES
modules beside it, each served as JavaScript that a page of any origin may import."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from importlib import resources

import httpx
import pytest
from fastapi import FastAPI

from coworker.web import static

MODULES = sorted(
    item.name
    for item in resources.files("coworker.web").joinpath("chat").iterdir()
    if item.name.endswith(".js")
)
IMPORT = re.compile(r'^import .* from "\./([a-z-]+\.js)";$', re.MULTILINE)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.include_router(static.router)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://coworker") as client:
        yield client


async def test_the_one_tag_embed_is_a_classic_script(client: httpx.AsyncClient) -> None:
    answer = await client.get("/widget.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
    assert answer.headers["access-control-allow-origin"] == "*"
    # A plain <script src> cannot hold import statements: it loads the modules dynamically.
    assert not re.search(r"^\s*(import|export)\s", answer.text, re.MULTILINE)
    assert 'import(new URL("chat/element.js", src).href)' in answer.text


async def test_every_module_is_served_and_every_import_resolves(
    client: httpx.AsyncClient,
) -> None:
    assert "element.js" in MODULES
    for name in MODULES:
        answer = await client.get(f"/chat/{name}")
        assert answer.status_code == 200, name
        assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
        assert answer.headers["access-control-allow-origin"] == "*"  # cross-origin import()
        for imported in IMPORT.findall(answer.text):
            assert imported in MODULES, f"{name} imports {imported}, which is not shipped"


@pytest.mark.parametrize("path", ["/chat/missing.js", "/chat/..%2Fstatic.py", "/chat/Element.js"])
async def test_nothing_else_is_served(client: httpx.AsyncClient, path: str) -> None:
    assert (await client.get(path)).status_code == 404


@pytest.mark.parametrize("path", ["/favicon.svg", "/favicon.ico"])
async def test_a_favicon_is_served(client: httpx.AsyncClient, path: str) -> None:
    answer = await client.get(path)
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/svg+xml"
    assert answer.text.startswith("<svg ") and "<script" not in answer.text


def test_the_widget_knows_no_tool_by_name() -> None:
    """Cards render the server's action view: no tool's label lives in the widget."""
    for name in MODULES:
        text = resources.files("coworker.web").joinpath("chat", name).read_text("utf-8")
        assert not re.search(r"send_email|send_sms|enroll_in_sequence|delete_", text), name
