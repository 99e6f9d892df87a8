"""The <coworker-chat> widget in a real headless Chromium, against the real app.

Each test starts the whole app (web API, widget, demo page, embedded sandbox CRM) on a
loopback port, with the Anthropic Messages API played by `AnthropicStub`, and drives the
demo page at `/` the way a person would: click or press keys, read what is on screen.
Waiting is Playwright's auto-waiting `expect`, never sleeps.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult
from tests.support.anthropic_stub import AnthropicStub, StubReply
from tests.support.servers import run_asgi_server

from coworker.channels.web.identity import mint_token
from coworker.config import Settings
from coworker.sandbox.seed import DEMO_USERS, demo_id
from coworker.server import create_app


def _unavailable(reason: str) -> None:
    """Skip with the reason; in CI (COWORKER_REQUIRE_BROWSER=1) a missing browser fails."""
    if os.environ.get("COWORKER_REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (COWORKER_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:
    _unavailable("playwright is not installed: browser tests skipped")

if not Path("/usr/bin/chromium").exists():
    _unavailable("Chromium not found at /usr/bin/chromium: browser tests skipped")

pytestmark = pytest.mark.browser

JANE = demo_id("lead", "northwind:jane-smith")
ALEX_KEY = DEMO_USERS[0].key

DRAFT_BODY = "Hi Jane,\n\nThanks for asking about volume pricing for 40 seats.\n\nBest,\nAlex"
EDITED_BODY = (
    "Hi Jane,\n\nThanks for asking about volume pricing. For 40 seats the price is $38 per "
    "seat per month on an annual plan.\n\nBest,\nAlex"
)
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>window.__pwned=1</script>"


# --------------------------------------------------------------------------- the app


@dataclass
class Coworker:
    url: str
    stub: AnthropicStub

    def sandbox(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call the embedded sandbox CRM as Alex, through the app."""
        answer = httpx.request(
            method,
            f"{self.url}/sandbox/api/v1{path}",
            headers={"Authorization": f"Bearer {ALEX_KEY}"},
            timeout=10,
            **kwargs,
        )
        answer.raise_for_status()
        return answer.json()


@contextmanager
def serve(tmp_path: Path, **settings: Any) -> Iterator[Coworker]:
    stub = AnthropicStub(echo=False)  # an unplanned model call is a failure, not a reply
    with stub.run() as stub_url:
        config = Settings(
            data_dir=tmp_path,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'coworker.db'}",
            sandbox_database_url="sqlite+aiosqlite://",
            anthropic_api_key="sk-ant-test-not-real",
            anthropic_base_url=stub_url,
            **settings,
        )
        with run_asgi_server(create_app(config)) as url:
            yield Coworker(url, stub)


@pytest.fixture
def coworker(tmp_path: Path) -> Iterator[Coworker]:
    with serve(tmp_path) as running:
        yield running


# --------------------------------------------------------------------------- page helpers


def open_chat(page: Page, coworker: Coworker) -> Locator:
    """Load the demo page and open the widget; returns the panel."""
    page.goto(coworker.url + "/")
    page.get_by_role("button", name="Ask Coworker").click()
    panel = page.get_by_role("dialog", name="Coworker")
    expect(panel).to_be_visible()
    return panel


def send(panel: Locator, text: str) -> None:
    box = panel.get_by_label("Message Coworker")
    box.fill(text)
    box.press("Enter")


def shadow_count(page: Page, selector: str) -> int:
    count: int = page.evaluate(
        "(s) => document.querySelector('coworker-chat').shadowRoot.querySelectorAll(s).length",
        selector,
    )
    return count


def email_reply(**options: Any) -> StubReply:
    return StubReply.tool_use(
        "send_email",
        {"lead_id": JANE, "subject": "Volume pricing for 40 seats", "body_text": DRAFT_BODY},
        text="Here's a draft for Jane Smith. Approve it and I'll send it.",
        **options,
    )


def call_through_mcp(coworker: Coworker, tool: str, arguments: dict[str, Any]) -> CallToolResult:
    """One tool call from an MCP client over /mcp, as the local user (no web secret set).

    The real `mcp` client runs on its own event loop in a worker thread, away from the
    sync Playwright API's.
    """

    async def call() -> CallToolResult:
        async with Client(streamable_http_client(f"{coworker.url}/mcp")) as client:
            return await client.call_tool(tool, arguments)

    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, call()).result(timeout=60)


def tool_results(body: dict[str, Any]) -> list[dict[str, Any]]:
    last = body["messages"][-1]["content"]
    return [b for b in last if isinstance(b, dict) and b.get("type") == "tool_result"]


# --------------------------------------------------------------------------- tests


def test_a_reply_streams_in_word_by_word(page: Page, coworker: Coworker) -> None:
    reply = (
        "Here is what is on your plate today: **three tasks** and *one call*. "
        "Start with `Follow up with Jane Smith` because it is due first."
    )
    coworker.stub.plan(StubReply.text(reply, chunk_delay_s=0.08))
    page.goto(coworker.url + "/")
    expect(page.locator("#model")).to_have_text(re.compile(r"^Claude \(.+\)$"))  # the demo page
    expect(page.locator("#crm")).to_contain_text("sandbox")
    panel = page.get_by_role("dialog", name="Coworker")
    # Record every state the reply goes through, from inside the page.
    page.evaluate(
        """() => {
          const log = document.querySelector('coworker-chat').shadowRoot.querySelector('.log');
          window.__seen = [];
          new MutationObserver(() => {
            const last = [...log.querySelectorAll('.msg.assistant .md')].pop();
            if (last) window.__seen.push(last.textContent);
          }).observe(log, {subtree: true, childList: true, characterData: true});
        }"""
    )

    # A suggested prompt on the demo page opens the widget and sends itself.
    page.get_by_role("button", name="What's on my plate today?").click()

    expect(panel).to_be_visible()
    expect(panel.locator(".msg.user")).to_have_text("What's on my plate today?")
    final = (
        "Here is what is on your plate today: three tasks and one call. "
        "Start with Follow up with Jane Smith because it is due first."
    )
    answer = panel.locator(".msg.assistant .md").last
    expect(answer).to_have_text(final)
    # Markdown became elements, built from text: bold, italic, code.
    expect(answer.locator("strong")).to_have_text("three tasks")
    expect(answer.locator("em")).to_have_text("one call")
    expect(answer.locator("code")).to_have_text("Follow up with Jane Smith")
    seen: list[str] = page.evaluate("window.__seen")
    partial = [s for s in seen if s and s != final and final.startswith(s.strip())]
    assert len(partial) >= 3, f"the reply did not stream in: states seen {seen!r}"
    # The conversation is remembered for the next visit.
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('coworker-chat:'))")
    assert stored == [f"coworker-chat:conversation:{coworker.url}"]
    # The stream's ending is announced politely to screen readers.
    expect(panel.locator("[aria-live=polite].announcer")).to_have_text(final)


def test_approve_an_edited_email(page: Page, coworker: Coworker, artifacts: Path) -> None:
    coworker.stub.plan(email_reply(), StubReply.text("Done: the email to **Jane Smith** is sent."))
    panel = open_chat(page, coworker)

    send(panel, "Email Jane Smith about pricing for 40 seats")

    card = panel.locator(".card")
    expect(card).to_be_visible()
    expect(card).to_have_attribute("data-status", "pending")
    expect(card.get_by_text("Send an email?")).to_be_visible()  # the server's label
    # The exact payload, in names: who it goes from and to, the lead, then the fields.
    expect(card.locator("dt", has_text="From")).to_be_visible()
    expect(card.locator("dd", has_text="Jane Smith (Acme Corp) <jane@acme.com>")).to_be_visible()
    subject = card.get_by_label("Subject")
    body = card.get_by_label("Body")
    expect(subject).to_have_value("Volume pricing for 40 seats")
    expect(body).to_have_value(DRAFT_BODY)
    expect(panel.locator(".tool[data-tool=send_email]")).to_be_hidden()  # the card stands for it
    expect(panel.locator(".activity")).to_be_hidden()  # and no other call ran
    expect(page.locator("coworker-chat .badge")).to_have_text("1")

    body.fill(EDITED_BODY)
    page.set_viewport_size({"width": 1280, "height": 1000})
    panel.locator(".log").evaluate(
        """(log) => {  // the whole exchange in view if it fits: the request, reply and card
          const box = () => log.getBoundingClientRect();
          const asked = log.querySelector('.msg.user').getBoundingClientRect();
          log.scrollTop += asked.top - box().top - 8;
          const approve = log.querySelector('.card .approve').getBoundingClientRect();
          if (approve.bottom > box().bottom) log.scrollTop = log.scrollHeight;
        }"""
    )
    expect(card.get_by_role("button", name="Approve")).to_be_in_viewport(ratio=1)
    page.screenshot(path=str(artifacts / "widget-confirmation.png"))

    card.get_by_role("button", name="Approve").click()

    expect(card).to_have_attribute("data-status", "succeeded")
    expect(card.locator(".outcome")).to_have_text("✓ Sent.")
    expect(card.get_by_role("button")).to_have_count(0)
    expect(card.locator(".final", has_text="$38 per seat")).to_be_visible()  # what was sent
    expect(panel.locator(".msg.assistant .md").last).to_have_text(
        "Done: the email to Jane Smith is sent."
    )
    expect(page.locator("coworker-chat .badge")).to_be_hidden()

    # Exactly one email went out, with the edited body.
    emails = coworker.sandbox("GET", "/emails", params={"lead_id": JANE})["emails"]
    sent = [e for e in emails if e["subject"] == "Volume pricing for 40 seats"]
    assert len(sent) == 1, emails
    assert sent[0]["body_text"] == EDITED_BODY
    assert sent[0]["to_email"] == "jane@acme.com"


def test_cancel_with_a_reason(page: Page, coworker: Coworker) -> None:
    coworker.stub.plan(email_reply(), StubReply.text("Okay, I won't send it."))
    panel = open_chat(page, coworker)
    send(panel, "Email Jane Smith about pricing")
    card = panel.locator(".card")
    expect(card).to_have_attribute("data-status", "pending")

    card.get_by_role("button", name="Cancel").click()
    reason = card.get_by_label("Reason (optional)")
    expect(reason).to_be_focused()
    reason.fill("She already has a quote from Sam")
    card.get_by_role("button", name="Confirm cancel").click()

    expect(card).to_have_attribute("data-status", "rejected")
    expect(card.locator(".outcome")).to_have_text("Cancelled: She already has a quote from Sam")
    expect(card.get_by_role("button")).to_have_count(0)
    expect(panel.locator(".msg.assistant .md").last).to_have_text("Okay, I won't send it.")

    # The model read the reason in the tool result, and nothing was sent.
    results = tool_results(coworker.stub.requests[-1].body)
    assert len(results) == 1
    assert "She already has a quote from Sam" in json.dumps(results[0])
    emails = coworker.sandbox("GET", "/emails", params={"lead_id": JANE})["emails"]
    assert not [e for e in emails if e["subject"] == "Volume pricing for 40 seats"]


def test_history_and_a_pending_card_survive_a_reload(page: Page, coworker: Coworker) -> None:
    coworker.stub.plan(
        StubReply.tool_use(
            "search_leads",
            {"search": "acme", "status": "new"},
            text="Let me look at Acme.",
        ),
        StubReply.text("There are new leads at **Acme Corp**; Jane Smith is the newest."),
        email_reply(),
        StubReply.text("Sent."),
    )
    panel = open_chat(page, coworker)
    send(panel, "Any new leads at Acme?")
    expect(panel.locator(".msg.assistant .md").last).to_contain_text("Jane Smith is the newest")
    expect(panel.locator(".tool[data-tool=search_leads]")).to_have_class("tool ok")
    expect(panel.locator(".activity > summary").first).to_have_text("Looked up 1 lead list")
    send(panel, "Email her about pricing")
    expect(panel.locator(".card")).to_have_attribute("data-status", "pending")

    page.reload()
    expect(page.locator("coworker-chat .badge")).to_have_text("1")  # visible while closed
    page.get_by_role("button", name="Ask Coworker").click()
    panel = page.get_by_role("dialog", name="Coworker")

    users = panel.locator(".msg.user")
    expect(users).to_have_text(["Any new leads at Acme?", "Email her about pricing"])
    expect(panel.locator(".md", has_text="Let me look at Acme.")).to_be_visible()
    expect(panel.locator(".md strong", has_text="Acme Corp")).to_be_visible()
    expect(panel.locator(".tool[data-tool=search_leads]")).to_have_class("tool ok")
    expect(panel.locator(".activity > summary").first).to_have_text("Looked up 1 lead list")
    card = panel.locator(".card")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-status", "pending")
    expect(card.get_by_label("Body")).to_have_value(DRAFT_BODY)

    # The card from history still works.
    card.get_by_role("button", name="Approve").click()
    expect(card).to_have_attribute("data-status", "succeeded")
    expect(panel.locator(".msg.assistant .md").last).to_have_text("Sent.")
    emails = coworker.sandbox("GET", "/emails", params={"lead_id": JANE})["emails"]
    assert [e["body_text"] for e in emails if e["subject"] == "Volume pricing for 40 seats"] == [
        DRAFT_BODY
    ]

    # A new conversation starts empty and forgets the old one across reloads.
    panel.get_by_role("button", name="New conversation").click()
    expect(panel.locator(".msg")).to_have_count(0)
    page.reload()
    page.get_by_role("button", name="Ask Coworker").click()
    expect(page.get_by_role("dialog", name="Coworker").locator(".msg")).to_have_count(0)


def test_html_from_the_crm_and_the_model_renders_as_text(page: Page, coworker: Coworker) -> None:
    note = f"Called about pricing {XSS_IMG} {XSS_SCRIPT}"
    coworker.sandbox("POST", "/notes", json={"lead_id": JANE, "content": note})
    coworker.stub.plan(
        StubReply.tool_use("get_lead", {"lead_id": JANE}, text=f"Looking up {XSS_IMG} now."),
        StubReply.text(
            f"Her latest note says: {XSS_IMG} and {XSS_SCRIPT}\n\n"
            "- [a trick](javascript:alert(1))\n- <b>not bold</b>\n- [the docs](https://example.com/docs)"
        ),
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    panel = open_chat(page, coworker)

    send(panel, "What's the latest on Jane Smith?")

    answer = panel.locator(".msg.assistant .md").last
    expect(answer).to_contain_text(f"Her latest note says: {XSS_IMG} and {XSS_SCRIPT}")
    expect(panel.locator(".md", has_text=f"Looking up {XSS_IMG} now.")).to_be_visible()
    expect(answer.locator("li").nth(1)).to_have_text("<b>not bold</b>")
    # A javascript: link keeps its words but is no link; an https link is one, safely.
    expect(answer.locator("li").first).to_have_text("a trick")
    expect(answer.locator("a")).to_have_count(1)
    expect(answer.locator("a")).to_have_attribute("href", "https://example.com/docs")
    expect(answer.locator("a")).to_have_attribute("rel", "noopener noreferrer")
    expect(answer.locator("a")).to_have_attribute("target", "_blank")
    # The tool's output, with the note, shows as text too.
    activity = panel.locator(".activity")
    expect(activity.locator("summary").first).to_have_text("Looked up 1 lead")
    activity.locator("summary").first.click()
    tool = panel.locator(".tool[data-tool=get_lead]")
    expect(tool).to_have_class("tool ok")
    expect(tool.locator(".name")).to_have_text("Get one lead with full details")
    tool.locator("summary").click()
    expect(tool.locator("pre.out")).to_contain_text(XSS_IMG)
    expect(tool.locator("pre.out")).to_contain_text(XSS_SCRIPT)

    def assert_nothing_ran() -> None:
        assert shadow_count(page, "img, script, b, iframe, [onerror]") == 0
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert dialogs == []

    assert_nothing_ran()
    # History takes another path through the renderer: just as inert.
    page.reload()
    page.get_by_role("button", name="Ask Coworker").click()
    panel = page.get_by_role("dialog", name="Coworker")
    expect(panel.locator(".msg.assistant .md").last).to_contain_text(XSS_SCRIPT)
    panel.locator(".activity > summary").click()
    tool = panel.locator(".tool[data-tool=get_lead]")
    tool.locator("summary").click()
    expect(tool.locator("pre.out")).to_contain_text(XSS_IMG)
    assert_nothing_ran()


def test_keyboard_only(page: Page, coworker: Coworker) -> None:
    coworker.stub.plan(StubReply.text("Hello from the keyboard test."))
    page.goto(coworker.url + "/")
    launcher = page.locator("coworker-chat .launcher")
    expect(launcher).to_have_accessible_name("Ask Coworker")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.focus()
    page.keyboard.press("Enter")

    panel = page.get_by_role("dialog", name="Coworker")
    expect(panel).to_be_visible()
    box = panel.get_by_label("Message Coworker")
    expect(box).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(launcher).to_have_accessible_name("Close chat")

    page.keyboard.type("first line")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("second line")
    expect(box).to_have_value("first line\nsecond line")
    page.keyboard.press("Enter")

    expect(panel.locator(".msg.user")).to_have_text("first line\nsecond line")
    expect(box).to_have_value("")
    expect(panel.locator(".msg.assistant .md")).to_have_text("Hello from the keyboard test.")
    assert coworker.stub.requests[-1].body["messages"][-1]["content"][0]["text"] == (
        "first line\nsecond line"
    )

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_accessible_name("Ask Coworker")

    # The demo page's email suggestion is left in the box to finish, not sent.
    suggestion = page.get_by_role("button", name="Email Jane Smith about pricing:")
    suggestion.focus()
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(box).to_be_focused()
    expect(box).to_have_value(re.compile(r"^Email Jane Smith about pricing: "))
    expect(panel.locator(".msg.user")).to_have_count(1)


def test_too_many_messages_says_when_to_try_again(page: Page, tmp_path: Path) -> None:
    with serve(tmp_path, rate_limit_per_minute=1) as coworker:
        coworker.stub.plan(StubReply.text("First answer."))
        panel = open_chat(page, coworker)
        send(panel, "one")
        expect(panel.locator(".msg.assistant .md")).to_have_text("First answer.")

        send(panel, "two")

        alert = panel.get_by_role("alert")
        expect(alert).to_have_text(
            re.compile(r"^You're sending messages too fast; try again in \d+ s\.$")
        )
        # The refused message is handed back, not lost.
        expect(panel.get_by_label("Message Coworker")).to_have_value("two")
        expect(panel.locator(".msg.user")).to_have_text(["one"])


def test_an_action_decided_elsewhere_shows_its_outcome(page: Page, coworker: Coworker) -> None:
    coworker.stub.plan(email_reply(), StubReply.text("Sent from the other tab."))
    panel = open_chat(page, coworker)
    send(panel, "Email Jane Smith about pricing")
    card = panel.locator(".card")
    expect(card).to_have_attribute("data-status", "pending")
    action_id = card.get_attribute("data-action-id")

    # Someone approves it elsewhere (another tab, Slack) first.
    answer = httpx.post(f"{coworker.url}/api/actions/{action_id}/approve", json={}, timeout=10)
    assert answer.status_code == 200, answer.text

    card.get_by_role("button", name="Approve").click()

    expect(panel.get_by_role("alert")).to_have_text(
        "This was already decided elsewhere, so nothing more was done here."
    )
    expect(card).to_have_attribute("data-status", "succeeded")
    expect(card.locator(".outcome")).to_have_text("✓ Sent.")
    expect(card.get_by_role("button")).to_have_count(0)
    emails = coworker.sandbox("GET", "/emails", params={"lead_id": JANE})["emails"]
    assert len([e for e in emails if e["subject"] == "Volume pricing for 40 seats"]) == 1


def test_a_failed_tool_call_shows_a_cross(page: Page, coworker: Coworker) -> None:
    coworker.stub.plan(
        StubReply.tool_use("get_lead", {"lead_id": "not-a-lead"}),
        StubReply.text("I couldn't find that lead."),
    )
    panel = open_chat(page, coworker)
    send(panel, "Look up lead not-a-lead")

    activity = panel.locator(".activity")
    expect(activity).to_have_attribute("data-state", "error")
    expect(activity.locator("summary").first).to_have_text("Looked up 1 lead (1 failed)")
    activity.locator("summary").first.press("Enter")  # opens from the keyboard
    tool = panel.locator(".tool[data-tool=get_lead]")
    expect(tool).to_have_class("tool error")
    expect(tool.locator(".mark")).to_have_text("✗")
    tool.locator("summary").press("Enter")  # details open from the keyboard
    expect(tool.locator("pre.out")).to_be_visible()
    expect(panel.locator(".msg.assistant .md").last).to_have_text("I couldn't find that lead.")


def test_theme_comes_from_css_custom_properties(page: Page, coworker: Coworker) -> None:
    page.goto(coworker.url + "/")
    page.add_style_tag(
        content="coworker-chat { --coworker-accent: rgb(15, 118, 110);"
        " --coworker-bg: rgb(17, 24, 39); --coworker-fg: rgb(229, 231, 235);"
        " --coworker-radius: 3px; --coworker-font: monospace; }"
    )
    launcher = page.locator("coworker-chat .launcher")
    expect(launcher).to_have_css("background-color", "rgb(15, 118, 110)")
    launcher.click()
    panel = page.get_by_role("dialog", name="Coworker")
    expect(panel).to_have_css("background-color", "rgb(17, 24, 39)")
    expect(panel).to_have_css("color", "rgb(229, 231, 235)")
    expect(panel).to_have_css("border-top-left-radius", "3px")
    expect(panel).to_have_css("font-family", "monospace")


def test_one_tag_on_another_site_with_a_signed_token(page: Page, tmp_path: Path) -> None:
    secret = "browser-test-web-secret-0123456789"
    embed: dict[str, str] = {}  # the host page's script tag, once the app's URL is known
    shop = FastAPI()

    @shop.get("/{name}", response_class=HTMLResponse)
    def host_page(name: str) -> str:
        return f"<!doctype html><title>Shop</title><h1>Shop: {name}</h1>{embed[name]}"

    # The host page is another origin (another port), like a customer's own site.
    with (
        run_asgi_server(shop) as host,
        serve(tmp_path, web_secret=secret, allowed_origins=host) as coworker,
    ):
        for name, token in (("good", mint_token(secret, "shopper-42")), ("bad", "not.valid")):
            embed[name] = f'<script src="{coworker.url}/widget.js" data-token="{token}"></script>'
        coworker.stub.plan(StubReply.text("Hello from **Coworker**, shopper."))

        page.goto(host + "/good")
        page.get_by_role("button", name="Ask Coworker").click()
        panel = page.get_by_role("dialog", name="Coworker")
        expect(panel.locator(".sub")).to_have_text("Working for shopper-42")  # /api/me, signed
        send(panel, "hello")
        expect(panel.locator(".msg.assistant .md")).to_have_text("Hello from Coworker, shopper.")
        # The conversation is remembered per API origin, not per host page.
        stored = page.evaluate("Object.keys(localStorage)")
        assert stored == [f"coworker-chat:conversation:{coworker.url}"]

        # A bad token is refused (401) and said plainly: loading the history, then sending,
        # and the refused message is handed back.
        page.goto(host + "/bad")
        page.get_by_role("button", name="Ask Coworker").click()
        panel = page.get_by_role("dialog", name="Coworker")
        alerts = panel.get_by_role("alert")
        expect(alerts).to_have_count(1)
        expect(alerts).to_contain_text("Couldn't load the earlier conversation.")
        send(panel, "hello again")
        expect(alerts).to_have_count(2)
        expect(alerts.last).to_contain_text("You're not signed in to Coworker")
        expect(panel.get_by_label("Message Coworker")).to_have_value("hello again")
        expect(panel.locator(".msg")).to_have_count(0)


def test_a_new_message_leaves_a_pending_action_waiting(page: Page, coworker: Coworker) -> None:
    """Item 3 of #15: only a new proposal for the same thing replaces a card; a message
    like "never mind" leaves it waiting for its decision."""
    coworker.stub.plan(email_reply(), StubReply.text("Sure, let's talk about Acme instead."))
    panel = open_chat(page, coworker)
    send(panel, "Email Jane Smith about pricing")
    card = panel.locator(".card")
    expect(card).to_have_attribute("data-status", "pending")

    send(panel, "Actually, never mind")

    expect(panel.locator(".msg.assistant .md").last).to_have_text(
        "Sure, let's talk about Acme instead."
    )
    expect(card).to_have_attribute("data-status", "pending")
    expect(card.get_by_role("button", name="Approve")).to_be_visible()


def test_an_action_asked_for_elsewhere_is_shown_and_decided_here(
    page: Page, coworker: Coworker, artifacts: Path
) -> None:
    subject = "Pricing, as asked from Claude Desktop"
    result = call_through_mcp(
        coworker, "send_email", {"lead_id": JANE, "subject": subject, "body_text": DRAFT_BODY}
    )
    assert result.structured_content is not None
    action = result.structured_content["action"]
    assert action["status"] == "pending"
    told = result.content[0].text  # type: ignore[union-attr]
    # The client's model is told where the person really can decide it: not in Slack.
    assert "web chat" in told and "slack" not in told.lower()
    coworker.stub.plan(StubReply.text("Sent: Jane Smith has the pricing email."))

    # A fresh page, with no conversation of its own: the launcher counts what waits.
    page.goto(coworker.url + "/")
    expect(page.locator("coworker-chat .badge")).to_have_text("1")
    page.get_by_role("button", name="Ask Coworker").click()
    panel = page.get_by_role("dialog", name="Coworker")
    notice = panel.get_by_role("group", name="1 action waits for your approval elsewhere")
    expect(notice).to_be_visible()
    expect(panel.locator(".elsewhere")).to_have_attribute("aria-live", "polite")
    expect(notice.locator("li")).to_have_count(1)
    expect(notice.locator("li .what")).to_contain_text(
        f"Send an email: Jane Smith (Acme Corp) <jane@acme.com>, “{subject}”"
    )
    expect(notice.locator(".where")).to_have_text("In “send_email (from MCP)”")
    expect(panel.locator(".card")).to_have_count(0)
    page.screenshot(path=str(artifacts / "widget-elsewhere.png"))

    # From the keyboard: the button opens that conversation, as a reload would show it.
    review = notice.get_by_role(
        "button", name=re.compile(r"^Review: Send an email: Jane Smith \(Acme Corp\)")
    )
    review.focus()
    page.keyboard.press("Enter")

    card = panel.locator(".card")
    expect(card).to_have_attribute("data-status", "pending")
    expect(card).to_be_focused()
    expect(card.get_by_label("Subject")).to_have_value(subject)
    expect(card.get_by_label("Body")).to_have_value(DRAFT_BODY)
    expect(panel.locator(".msg.user")).to_contain_text("Through an MCP client I asked you")
    expect(panel.locator(".elsewhere-box")).to_have_count(0)  # it is here now
    expect(page.locator("coworker-chat .badge")).to_have_text("1")
    stored = page.evaluate(f"localStorage.getItem('coworker-chat:conversation:{coworker.url}')")
    assert stored == action["conversation_id"]

    card.get_by_role("button", name="Approve").click()

    expect(card).to_have_attribute("data-status", "succeeded")
    expect(card.locator(".outcome")).to_have_text("✓ Sent.")
    expect(panel.locator(".msg.assistant .md").last).to_have_text(
        "Sent: Jane Smith has the pricing email."
    )
    expect(page.locator("coworker-chat .badge")).to_be_hidden()
    emails = coworker.sandbox("GET", "/emails", params={"lead_id": JANE})["emails"]
    sent = [e for e in emails if e["subject"] == subject]
    assert len(sent) == 1, emails
    assert sent[0]["to_email"] == "jane@acme.com" and sent[0]["body_text"] == DRAFT_BODY

    # Nothing waits anywhere now, after a reload too.
    page.reload()
    page.get_by_role("button", name="Ask Coworker").click()
    panel = page.get_by_role("dialog", name="Coworker")
    expect(panel.locator(".card")).to_have_attribute("data-status", "succeeded")
    expect(panel.locator(".msg.assistant .md").last).to_have_text(
        "Sent: Jane Smith has the pricing email."
    )
    expect(panel.locator(".elsewhere-box")).to_have_count(0)
