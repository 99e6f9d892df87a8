"""A new outbound operation needs only its declaration in the contract (issue #15, item 1).

The test contract is the real one plus `send_whatsapp` (POST /api/v1/whatsapp), its tool
profile declared where the real ones are: its `x-coworker` extension. A tiny extra route on
the sandbox serves it. With no other code, it flows through every channel over real HTTP:
the web API shows its card (label, fields in names) and runs it once on approval; Slack
shows the card and runs it from the button; `coworker actions list` shows it and
`coworker actions approve` runs it; MCP lists it with its hints and proposing it waits.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI, Request
from typer.testing import CliRunner

from coworker.cli import app as cli_app
from coworker.config import Settings, get_settings
from coworker.crm import EmbeddedSandbox
from coworker.dialsheet.contract import Contract, load_contract
from coworker.keyvault import KeyVault
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.seed import DEMO_USERS, demo_id
from coworker.server import create_app
from tests.agent.conftest import settings_for
from tests.channels.slack.conftest import BOT_TOKEN, SIGNING_SECRET, SlackClient
from tests.channels.slack.mock_slack import MockSlack
from tests.support.servers import run_asgi_server, serve_asgi

S = ScriptedModel
JANE = demo_id("lead", "northwind:jane-smith")
KEY = DEMO_USERS[0].key
MESSAGE = {"lead_id": JANE, "message": "Hi Jane, are you free for a call tomorrow?"}

# The whole of the new tool: an operation and its profile, in the contract's own words.
WHATSAPP = """
post:
  operationId: send_whatsapp
  tags: [whatsapp]
  summary: Send a WhatsApp message to a lead.
  x-coworker:
    risk: outbound
    label: Send a WhatsApp message
    noun: the WhatsApp message
    card:
      - {show: to, label: To}
      - {show: lead, label: Lead}
      - {field: message, label: Message, editable: true, multiline: true, aliases: [text]}
    outcome: {done: Sent on WhatsApp., not_done: Not sent}
    unanswered: the WhatsApp message may have been sent
    resolved_at_send: [phone]
  description: Sends a WhatsApp message to the lead's phone; it cannot be unsent.
  requestBody:
    required: true
    content:
      application/json:
        schema:
          type: object
          additionalProperties: false
          required: [lead_id, message]
          properties:
            lead_id: {type: string, format: uuid, description: The lead to message.}
            message: {type: string, minLength: 1, maxLength: 1000}
  responses:
    "201":
      description: The message was sent.
      content:
        application/json:
          schema:
            type: object
            required: [whatsapp]
            properties:
              whatsapp: {type: object}
"""


def whatsapp_document() -> dict[str, Any]:
    document = copy.deepcopy(dict(load_contract().document))
    document["paths"]["/api/v1/whatsapp"] = yaml.safe_load(WHATSAPP)
    return document


class WhatsAppSandbox:
    """The sandbox CRM with one more route, recording every WhatsApp message it sends."""

    def __init__(self, database_url: str) -> None:
        self.sent: list[dict[str, Any]] = []
        self.app: FastAPI = create_sandbox_app(database_url=database_url)

        @self.app.post("/api/v1/whatsapp", status_code=201)
        async def send_whatsapp(request: Request) -> dict[str, Any]:
            body: dict[str, Any] = await request.json()
            self.sent.append(body)
            return {"whatsapp": {"id": f"wa-{len(self.sent)}", **body}}


def _card_fields(action: dict[str, Any]) -> list[tuple[str, str, bool, bool]]:
    return [(f["label"], f["value"], f["editable"], f["multiline"]) for f in action["card"]]


def _assert_whatsapp_card(action: dict[str, Any]) -> None:
    assert action["tool"] == "send_whatsapp" and action["risk"] == "outbound"
    assert action["label"] == "Send a WhatsApp message"
    (to, lead, message) = _card_fields(action)
    assert to[0] == "To" and to[1].startswith("Jane Smith <+") and not to[2]
    assert lead[0] == "Lead" and lead[1].startswith("Jane Smith (") and not lead[2]
    assert message == ("Message", MESSAGE["message"], True, True)
    assert action["editable"] == ["message"] and action["outcome"] is None
    assert JANE not in json.dumps(action["card"]), "the card names people, never raw ids"


@pytest.fixture
def remote(tmp_path: Path) -> Iterator[tuple[WhatsAppSandbox, str, dict[str, str]]]:
    """The sandbox over real HTTP, and the environment of a coworker whose CRM it is."""
    contract = tmp_path / "dialsheet.yaml"
    contract.write_text(yaml.safe_dump(whatsapp_document(), allow_unicode=True), "utf-8")
    crm = WhatsAppSandbox(f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}")
    with run_asgi_server(crm.app) as url:
        env = {
            "COWORKER_DATA_DIR": str(tmp_path / "cw"),
            "DIALSHEET_BASE_URL": url,
            "DIALSHEET_API_KEY": KEY,
            "DIALSHEET_CONTRACT": str(contract),
            "ANTHROPIC_API_KEY": "",
            "COWORKER_SCHEDULER": "false",
        }
        yield crm, url, env


def _settings(env: dict[str, str]) -> Settings:
    get_settings.cache_clear()
    return Settings(
        data_dir=Path(env["COWORKER_DATA_DIR"]),
        dialsheet_base_url=env["DIALSHEET_BASE_URL"],
        dialsheet_api_key=env["DIALSHEET_API_KEY"],
        dialsheet_contract=Path(env["DIALSHEET_CONTRACT"]),
        scheduler_enabled=False,
    )


def _cli(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, args, env=env, catch_exceptions=False)
    return result.exit_code, result.stdout


def test_web_then_cli_run_the_declared_tool_once_each(
    remote: tuple[WhatsAppSandbox, str, dict[str, str]],
) -> None:
    crm, _, env = remote
    turns = [S.tool_calls(("send_whatsapp", MESSAGE)), S.text("Sent on WhatsApp.")]
    model = S([*turns, S.tool_calls(("send_whatsapp", MESSAGE))])
    with run_asgi_server(create_app(_settings(env), model=model)) as url:
        web = httpx.Client(base_url=url, timeout=30)
        answer = web.post("/api/chat", json={"message": "whatsapp Jane about a call"})
        assert answer.status_code == 200, answer.text
        (action,) = answer.json()["actions"]
        _assert_whatsapp_card(action)
        listed = web.get("/api/actions").json()["actions"]
        assert [a["label"] for a in listed] == ["Send a WhatsApp message"]
        assert crm.sent == [], "nothing is sent before the person approves"

        approved = web.post(f"/api/actions/{action['id']}/approve", json={})
        assert approved.status_code == 200, approved.text
        (decided,) = approved.json()["decided"]
        assert decided["status"] == "succeeded" and decided["outcome"] == "Sent on WhatsApp."
        assert crm.sent == [MESSAGE], "executed once, with exactly what the card showed"
        assert web.post(f"/api/actions/{action['id']}/approve", json={}).status_code == 409
        assert len(crm.sent) == 1

        # A second proposal, decided in the terminal against the same store and CRM.
        second = web.post("/api/chat", json={"message": "and again"}).json()["actions"][0]

    code, out = _cli(["actions", "list"], env)
    assert code == 0, out
    assert "Send a WhatsApp message" in out and "Message" in out and MESSAGE["message"] in out
    code, out = _cli(["actions", "approve", second["id"], "--json"], env)
    assert code == 0, out
    assert json.loads(out)["decided"][0]["outcome"] == "Sent on WhatsApp."
    assert crm.sent == [MESSAGE, MESSAGE]


async def test_mcp_lists_the_declared_tool_and_a_call_waits(
    remote: tuple[WhatsAppSandbox, str, dict[str, str]],
) -> None:
    from mcp import Client

    from tests.channels.mcp.conftest import McpServer

    crm, _, env = remote
    async with serve_asgi(create_app(_settings(env), model=S([]))) as url:
        server = McpServer(url, S([]))
        try:
            client: Client
            async with server.client() as client:
                listed = {tool.name: tool for tool in (await client.list_tools()).tools}
                tool = listed["send_whatsapp"]
                assert tool.annotations is not None
                assert tool.annotations.title == "Send a WhatsApp message"
                assert tool.annotations.destructive_hint is False
                assert tool.annotations.open_world_hint is True
                assert "returns a pending action" in (tool.description or "")
                result = await client.call_tool("send_whatsapp", MESSAGE)
            assert not result.is_error
            text = result.content[0].text  # type: ignore[union-attr]
            assert "has NOT run" in text and f"Message: {MESSAGE['message']}" in text
            assert result.structured_content is not None
            pending = result.structured_content["action"]
            _assert_whatsapp_card(pending)
            waiting = (await server.http.get("/api/actions")).json()["actions"]
            assert [a["id"] for a in waiting] == [pending["id"]]
            assert crm.sent == []
        finally:
            await server.http.aclose()


def test_slack_shows_the_declared_card_and_its_button_runs_it(tmp_path: Path) -> None:
    """On the embedded sandbox: the contract is handed to the CRM backend at composition."""
    slack = MockSlack()
    crm = WhatsAppSandbox("sqlite+aiosqlite://")
    model = S([S.tool_calls(("send_whatsapp", MESSAGE)), S.text("Sent on WhatsApp.")])
    with run_asgi_server(slack.app) as slack_url:
        settings = settings_for(
            tmp_path,
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_base_url=slack_url + "/api/",
            scheduler_enabled=False,
        )
        contract = Contract(whatsapp_document())
        backend = EmbeddedSandbox(settings, KeyVault.from_settings(settings), crm.app, contract)
        with run_asgi_server(create_app(settings, backend=backend, model=model)) as url:
            client = SlackClient(url, model, slack)
            assert client.dm("whatsapp Jane about a call").status_code == 200

            def card_of(s: MockSlack) -> Any:
                for call in s.of("chat.postMessage"):
                    if any(b.get("type") == "actions" for b in call.get("blocks") or []):
                        return call
                return None

            posted = slack.wait_for(card_of, what="the approval card")
            shown = posted["blocks"][0]["text"]["text"]
            assert shown.startswith("*Send a WhatsApp message?*")
            assert "*To:* Jane Smith &lt;+" in shown and "*Lead:* Jane Smith" in shown
            assert f"> {MESSAGE['message']}" in shown and JANE not in shown
            buttons = posted["blocks"][-1]["elements"]
            assert [b["action_id"] for b in buttons] == [
                "coworker_approve",
                "coworker_edit",
                "coworker_cancel",
            ]
            where = {
                "channel": posted["channel"],
                "ts": "1700000000.999999",
                "thread_ts": posted["thread_ts"],
            }
            assert crm.sent == []
            assert client.click("approve", buttons[0]["value"], "U1", where).status_code == 200
            updated = slack.wait_for(
                lambda s: next((u for u in s.of("chat.update") if u["ts"] == where["ts"]), None),
                what="the card's outcome",
            )
            assert "Sent on WhatsApp." in updated["blocks"][-1]["elements"][0]["text"]
            assert crm.sent == [MESSAGE]
