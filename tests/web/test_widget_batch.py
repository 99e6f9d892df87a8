"""Bulk with one decision in the widget (#18 item 4): "email all new leads at Acme a quick
hello" becomes ONE batch card; the person edits one item, unticks another, presses
"Approve all (n-1)", and exactly those emails are in the sandbox outbox.

Real app, real Chromium, the Anthropic API played by the stub; each state saved as a
desktop and a mobile screenshot (`screenshots` in conftest.py). Waiting is Playwright's
`expect`, never a sleep.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.support.anthropic_stub import AnthropicStub, StubReply
from tests.support.servers import run_asgi_server
from tests.web.conftest import Screenshots
from tests.web.test_widget_browser import Coworker, open_chat, send, serve

from coworker.config import Settings
from coworker.sandbox.seed import demo_id
from coworker.server import create_app

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:
    pytest.skip("playwright is not installed: browser tests skipped", allow_module_level=True)

pytestmark = pytest.mark.browser

ACME_NEW = ("jane-smith", "tom-becker", "priya-shah", "luis-ortega")
LEADS = {slug: demo_id("lead", f"northwind:{slug}") for slug in ACME_NEW}
HELLO = "Hi, a quick hello from Northwind. Happy to help whenever you need us."


@pytest.fixture
def coworker(tmp_path: Path) -> Iterator[Coworker]:
    with serve(tmp_path) as running:
        yield running


def sent(coworker: Coworker) -> dict[str, list[dict[str, Any]]]:
    return {
        slug: coworker.sandbox("GET", "/emails", params={"lead_id": lead})["emails"]
        for slug, lead in LEADS.items()
    }


def said(panel: Locator) -> Locator:
    """The conversation itself (not the screen reader's announcer, which repeats a reply)."""
    return panel.get_by_role("region", name="Conversation")


def hellos() -> StubReply:
    calls: list[Any] = [{"type": "text", "text": "Four hellos, one per new lead at Acme."}]
    calls += [
        {
            "type": "tool_use",
            "name": "send_email",
            "input": {"lead_id": lead, "subject": "A quick hello", "body_text": HELLO},
        }
        for lead in LEADS.values()
    ]
    return StubReply(content=calls)


def test_one_batch_card_untick_one_approve_the_rest(
    page: Page, coworker: Coworker, screenshots: Screenshots
) -> None:
    coworker.stub.plan(hellos(), StubReply.text("Sent three hellos; Tom was left out."))
    panel = open_chat(page, coworker)
    send(panel, "email all new leads at Acme a quick hello")

    card = panel.locator(".card.batch")
    expect(card).to_have_count(1)
    expect(panel.locator(".card")).to_have_count(1)  # one card, not four
    expect(card).to_have_attribute("data-status", "pending")
    expect(panel.locator(".typing")).to_have_count(0)
    items = card.locator(".batch-item")
    expect(items).to_have_count(4)
    expect(card.locator(".card-head")).to_contain_text("Send an email × 4?")
    # Each recipient in words, ticked by default; ids only behind the API.
    expect(
        card.get_by_role("checkbox", name="Jane Smith (Acme Corp) <jane@acme.com>")
    ).to_be_checked()
    for lead in LEADS.values():
        assert lead not in card.inner_text()
    approve_all = card.get_by_role("button", name="Approve all (4)")
    expect(approve_all).to_be_enabled()
    screenshots.both(page, "batch-card")

    # Edit Luis's body, leave Tom out: the button counts what will be sent.
    luis = items.nth(3)
    luis.get_by_label("Body").fill(HELLO + " (Luis: see you Thursday.)")
    card.get_by_role("checkbox", name="Tom Becker (Acme Corp) <tom.becker@acme.com>").uncheck()
    expect(card.get_by_role("button", name="Approve all (3)")).to_be_visible()
    screenshots.both(page, "batch-card-one-left-out")
    assert all(not emails for emails in sent(coworker).values()), "nothing before approval"

    card.get_by_role("button", name="Approve all (3)").click()
    expect(said(panel).get_by_text("Sent three hellos; Tom was left out.")).to_be_visible()
    expect(card).to_have_attribute("data-status", "decided")
    expect(items.locator(".outcome.ok")).to_have_count(3)
    expect(items.nth(1)).to_have_attribute("data-status", "rejected")
    expect(items.nth(1)).to_contain_text("Left out of the batch")
    screenshots.both(page, "batch-card-decided")

    outbox = sent(coworker)
    assert {slug: len(emails) for slug, emails in outbox.items()} == {
        "jane-smith": 1,
        "tom-becker": 0,
        "priya-shah": 1,
        "luis-ortega": 1,
    }
    assert "see you Thursday" in outbox["luis-ortega"][0]["body_text"]
    assert "see you Thursday" not in outbox["jane-smith"][0]["body_text"]
    assert coworker.stub.pending == 0

    # A reload shows the same one card, each item as it ended.
    page.reload()
    panel = open_chat(page, coworker)
    card = panel.locator(".card.batch")
    expect(card.locator(".batch-item")).to_have_count(4)
    expect(panel.locator(".card")).to_have_count(1)
    expect(card.locator('.batch-item[data-status="succeeded"]')).to_have_count(3)


def test_cancel_all_sends_nothing_and_one_item_can_go_alone(page: Page, coworker: Coworker) -> None:
    coworker.stub.plan(hellos(), StubReply.text("Okay, none sent."))
    panel = open_chat(page, coworker)
    send(panel, "email all new leads at Acme a quick hello")
    card = panel.locator(".card.batch")
    expect(card.locator(".batch-item")).to_have_count(4)
    expect(panel.locator(".typing")).to_have_count(0)

    # One on its own first: it is sent; the other three still wait, and what the person
    # was typing into another item is still there.
    priya = card.locator(".batch-item").nth(2).get_by_label("Body")
    priya.fill("Hi Priya, see you at the expo.")
    card.get_by_role("button", name="Approve: Jane Smith (Acme Corp) <jane@acme.com>").click()
    expect(card.locator(".batch-item").first).to_have_attribute("data-status", "succeeded")
    expect(card.get_by_role("button", name="Approve all (3)")).to_be_enabled()
    expect(priya).to_have_value("Hi Priya, see you at the expo.")
    card.get_by_role("button", name="Cancel all").click()
    expect(said(panel).get_by_text("Okay, none sent.")).to_be_visible()
    expect(card.locator('.batch-item[data-status="rejected"]')).to_have_count(3)
    counts = {slug: len(emails) for slug, emails in sent(coworker).items()}
    assert counts == {"jane-smith": 1, "tom-becker": 0, "priya-shah": 0, "luis-ortega": 0}


@pytest.fixture
def offline(tmp_path: Path) -> Iterator[Coworker]:
    """The app on the offline model (no Anthropic key): what a new user tries first."""
    config = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'coworker.db'}",
        sandbox_database_url="sqlite+aiosqlite://",
    )
    with run_asgi_server(create_app(config)) as url:
        yield Coworker(url, AnthropicStub(echo=False))  # the stub is never started or called


def test_offline_the_same_request_becomes_one_card(
    page: Page, offline: Coworker, screenshots: Screenshots
) -> None:
    panel = open_chat(page, offline)
    send(panel, "email all new leads at Acme a quick hello")
    card = panel.locator(".card.batch")
    expect(card.locator(".batch-item")).to_have_count(4)
    expect(panel.locator(".card")).to_have_count(1)
    expect(panel.locator(".typing")).to_have_count(0)
    expect(
        said(panel).get_by_text("Here are 4 emails, one to each of the new leads at Acme")
    ).to_be_visible()
    card.get_by_role("checkbox", name="Tom Becker (Acme Corp) <tom.becker@acme.com>").uncheck()
    screenshots.both(page, "batch-card-offline")
    card.get_by_role("button", name="Approve all (3)").click()
    expect(said(panel).get_by_text("Sent 3 emails")).to_be_visible()
    expect(said(panel).get_by_text("left out", exact=False).last).to_be_visible()
    counts = {slug: len(emails) for slug, emails in sent(offline).items()}
    assert counts == {"jane-smith": 1, "tom-becker": 0, "priya-shah": 1, "luis-ortega": 1}
