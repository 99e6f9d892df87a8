"""A card that went stale, approved from the web API and from `coworker actions approve`.

The phone behind a text is changed after the card, over the sandbox's real HTTP API, as a
colleague (or an MCP client) would; approving then sends nothing, ends `stale`, says what
changed, and the coworker proposes a fresh card. The CLI case runs the offline model, so
it also shows that the model that ships without an API key re-proposes by itself.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from coworker.cli import app as cli_app
from coworker.config import get_settings
from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.seed import DEMO_USERS, demo_id
from coworker.server import create_app
from tests.agent.conftest import settings_for, tool_results
from tests.support.servers import run_asgi_server

S = ScriptedModel
KEY = DEMO_USERS[0].key
AS_ALEX = {"Authorization": f"Bearer {KEY}"}
JANE = demo_id("lead", "northwind:jane-smith")
OLD_PHONE, NEW_PHONE = "+1-555-000-1234", "+1-555-999-0000"
SMS = {"lead_id": JANE, "message": "Are you free for a call tomorrow?"}
TOLD = (
    f"The phone for Jane Smith changed from {OLD_PHONE} to {NEW_PHONE} since you saw the card; "
    "nothing was sent."
)


def again_if_stale(request: ModelRequest) -> ModelTurn:
    (result,) = tool_results(request)
    assert TOLD in result["content"] and "propose it again" in result["content"]
    return S.tool_calls(("send_sms", SMS), text=f"Nothing was sent. {TOLD} Here it is again.")


@pytest.fixture
def web(tmp_path: Path) -> Iterator[httpx.Client]:
    model = ScriptedModel([S.tool_calls(("send_sms", SMS)), again_if_stale])
    app = create_app(settings_for(tmp_path, scheduler_enabled=False), model=model)
    with run_asgi_server(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield http


def test_web_approval_of_a_card_whose_phone_changed_sends_nothing(web: httpx.Client) -> None:
    body = web.post("/api/chat", json={"message": "text Jane"}).json()
    (card,) = body["actions"]
    assert card["display"]["to"] == f"Jane Smith <{OLD_PHONE}>"
    changed = web.put(f"/sandbox/api/v1/leads/{JANE}", json={"phone": NEW_PHONE}, headers=AS_ALEX)
    assert changed.status_code == 200

    answer = web.post(f"/api/actions/{card['id']}/approve", json={})
    assert answer.status_code == 200
    result = answer.json()
    (decided,) = result["decided"]
    assert decided["status"] == "stale" and decided["error"] == TOLD
    assert TOLD in result["reply"]
    (fresh,) = result["actions"]
    assert fresh["status"] == "pending" and fresh["display"]["to"] == f"Jane Smith <{NEW_PHONE}>"
    sms = web.get("/sandbox/api/v1/sms", params={"lead_id": JANE}, headers=AS_ALEX).json()
    assert sms["sms"] == [], "the sandbox outbox is empty"
    listed = web.get("/api/actions", params={"status": "stale"}).json()
    assert [a["id"] for a in listed["actions"]] == [card["id"]]
    assert web.post(f"/api/actions/{card['id']}/approve", json={}).status_code == 409


@pytest.fixture
def crm_url(tmp_path: Path) -> Iterator[str]:
    app = create_sandbox_app(database_url=f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}")
    with run_asgi_server(app) as url:
        yield url


def _cli(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, args, env=env, catch_exceptions=False)
    return result.exit_code, result.stdout


def test_cli_approve_of_a_stale_card_sends_nothing_and_the_offline_model_asks_again(
    tmp_path: Path, crm_url: str
) -> None:
    env = {
        "COWORKER_DATA_DIR": str(tmp_path / "cw"),
        "DIALSHEET_BASE_URL": crm_url,
        "DIALSHEET_API_KEY": KEY,
        "ANTHROPIC_API_KEY": "",
    }
    code, out = _cli(["chat", "-m", "text Jane Smith: are you free tomorrow?", "--json"], env)
    assert code == 0, out
    (card,) = json.loads(out)["actions"]
    assert card["tool"] == "send_sms" and card["display"]["to"] == f"Jane Smith <{OLD_PHONE}>"
    put = httpx.put(f"{crm_url}/api/v1/leads/{JANE}", json={"phone": NEW_PHONE}, headers=AS_ALEX)
    assert put.status_code == 200

    code, out = _cli(["actions", "approve", card["id"], "--json"], env)
    assert code == 1, "a stale approval is not a success"
    result = json.loads(out)
    (decided,) = result["decided"]
    assert decided["status"] == "stale" and decided["error"] == TOLD
    assert TOLD in result["reply"], "the offline model tells the person what changed"
    (fresh,) = result["actions"]
    assert fresh["display"]["to"] == f"Jane Smith <{NEW_PHONE}>", "and proposes a fresh card"
    sms = httpx.get(f"{crm_url}/api/v1/sms", params={"lead_id": JANE}, headers=AS_ALEX).json()
    assert sms["sms"] == []

    code, out = _cli(["actions", "approve", fresh["id"], "--json"], env)
    assert code == 0, out
    assert json.loads(out)["decided"][0]["status"] == "succeeded"
    sms = httpx.get(f"{crm_url}/api/v1/sms", params={"lead_id": JANE}, headers=AS_ALEX).json()
    assert [s["to_phone"] for s in sms["sms"]] == [NEW_PHONE]

    code, out = _cli(["actions", "list", "--status", "stale"], env)
    assert code == 0 and f"{card['id']}  Send a text message  Not sent: t" in out


def test_the_cli_card_shows_what_went_stale(tmp_path: Path) -> None:
    """The terminal prints the reason, not only the status word."""
    from datetime import UTC, datetime

    from rich.console import Console

    from coworker.agent.events import ActionDecided, ActionView
    from coworker.channels.cli_chat import render

    now = datetime.now(UTC)
    told = "Not sent: " + TOLD[:1].lower() + TOLD[1:]  # the server's reading of the end
    stale = ActionView(
        "a1",
        "c1",
        "t1",
        "send_sms",
        "outbound",
        SMS,
        {},
        "stale",
        now,
        now,
        error=TOLD,
        label="Send a text message",
        outcome=told,
    )
    console = Console(record=True, width=400)

    async def events() -> Any:
        yield ActionDecided(stale)

    asyncio.run(render(events(), console))
    assert told in console.export_text()
