"""The widget as a newcomer meets it (#19): finding yesterday's conversation, a card whose
Approve is on screen at desktop and phone sizes, tool activity in one quiet line, help that
flows, times in their timezone, a counter near the limit, a favicon, thumbs on a reply.

Each state is saved as a desktop and a mobile screenshot (`screenshots` in conftest.py:
$COWORKER_SCREENSHOTS, else the test's tmp_path). Real app, real Chromium, the Anthropic
API played by the stub; waiting is Playwright's `expect`, never a sleep.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from tests.support.anthropic_stub import StubReply
from tests.web.conftest import DESKTOP, MOBILE, Screenshots
from tests.web.test_widget_browser import (
    DRAFT_BODY,
    JANE,
    Coworker,
    email_reply,
    open_chat,
    send,
    serve,
)

from coworker.runtime import LOCAL_USER
from coworker.sandbox.seed import demo_id
from coworker.store.facade import Store

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:
    pytest.skip("playwright is not installed: browser tests skipped", allow_module_level=True)

pytestmark = pytest.mark.browser

TOM = demo_id("lead", "northwind:tom-becker")
PRIYA = demo_id("lead", "northwind:priya-shah")
# A draft long enough that its card is taller than a phone's screen.
LONG_BODY = (
    "Hi Jane,\n\n"
    + "\n".join(f"{n}. Line {n} of the pricing details for your 40 seats." for n in range(1, 31))
    + "\n\nBest,\nAlex"
)


@pytest.fixture
def coworker(tmp_path: Path) -> Iterator[Coworker]:
    with serve(tmp_path) as running:
        yield running


def sent_to_jane(coworker: Coworker, subject: str) -> list[dict[str, Any]]:
    emails = coworker.sandbox("GET", "/emails", params={"lead_id": JANE})["emails"]
    return [e for e in emails if e["subject"] == subject]


def approve_is_on_screen(page: Page, panel: Locator) -> dict[str, Any]:
    """Where the waiting card's Approve is, against the log it scrolls in, the viewport,
    and what is drawn at its centre (nothing may cover it)."""
    where: dict[str, Any] = panel.locator(".log").evaluate(
        """(log) => {
          const approve = log.querySelector('.card[data-status="pending"] .approve');
          const a = approve.getBoundingClientRect();
          const l = log.getBoundingClientRect();
          const root = log.getRootNode();
          const hit = root.elementFromPoint(a.left + a.width / 2, a.top + a.height / 2);
          return {
            top: a.top, bottom: a.bottom, logTop: l.top, logBottom: l.bottom,
            viewport: window.innerHeight, onTop: hit === approve,
          };
        }"""
    )
    return where


@pytest.mark.parametrize("size", ["desktop", "mobile"])
def test_approve_is_on_screen_when_a_long_card_arrives(
    page: Page, coworker: Coworker, screenshots: Screenshots, size: str
) -> None:
    page.set_viewport_size(DESKTOP if size == "desktop" else MOBILE)
    subject = "Volume pricing for 40 seats"
    coworker.stub.plan(
        StubReply.tool_use(
            "send_email",
            {"lead_id": JANE, "subject": subject, "body_text": LONG_BODY},
            text="Here's a draft for Jane Smith. Approve it and I'll send it.",
        ),
        StubReply.text("Okay, I won't send it."),
    )
    panel = open_chat(page, coworker)
    send(panel, "Email Jane Smith the pricing details")
    card = panel.locator(".card")
    expect(card).to_have_attribute("data-status", "pending")
    expect(panel.locator(".typing")).to_have_count(0)  # the reply has ended

    where = approve_is_on_screen(page, panel)
    assert where["logTop"] <= where["top"] and where["bottom"] <= where["logBottom"], where
    assert where["bottom"] <= where["viewport"] and where["onTop"], where
    expect(card.get_by_role("button", name="Approve")).to_be_in_viewport(ratio=1)

    # Human labels, each party once, ids only behind Details.
    labels = card.locator(".card-body > .fields dt, .card-body > .field > label")
    expect(labels).to_have_text(["From", "To", "Subject", "Body"])
    expect(card.locator(".fields dd").first).to_have_text(
        "Alex Rivera <alex@northwind.example> (Gmail)"
    )
    expect(card.locator(".fields dd").nth(1)).to_have_text("Jane Smith (Acme Corp) <jane@acme.com>")
    lines = " ".join(card.locator(".fields").first.all_inner_texts())
    assert lines.count("Jane Smith") == 1 and JANE not in lines, lines
    details = card.locator("details.ids")
    expect(details.get_by_text(JANE)).to_be_hidden()
    screenshots.shot(page, "card", size)
    details.locator("summary").click()
    expect(details.get_by_text(JANE)).to_be_visible()
    expect(details.locator("dt", has_text="Lead id")).to_be_visible()
    details.locator("summary").click()

    # Cancelled: the card says so, and nothing was sent.
    card.get_by_role("button", name="Cancel").click()
    card.get_by_label("Reason (optional)").fill("Too long for an email")
    card.get_by_role("button", name="Confirm cancel").click()
    expect(card).to_have_attribute("data-status", "rejected")
    expect(panel.locator(".msg.assistant .md").last).to_have_text("Okay, I won't send it.")
    screenshots.shot(page, "cancelled", size)
    assert sent_to_jane(coworker, subject) == []


def test_yesterdays_conversation_is_found_by_its_title_and_its_card_decided(
    page: Page, coworker: Coworker, screenshots: Screenshots
) -> None:
    page.set_viewport_size(DESKTOP)
    coworker.stub.plan(
        email_reply(),
        StubReply.text("Today: the Acme follow-up at 15:00."),
        StubReply.text("Sent: Jane Smith has the pricing email."),
    )
    panel = open_chat(page, coworker)
    send(panel, "Email Jane Smith about pricing for 40 seats")
    expect(panel.locator(".card")).to_have_attribute("data-status", "pending")

    # "New conversation" starts afresh, and leaves the first one in the list.
    panel.get_by_role("button", name="New conversation").click()
    expect(panel.locator(".msg")).to_have_count(0)
    send(panel, "What's on my plate today?")
    expect(panel.locator(".msg.assistant .md").last).to_have_text(
        "Today: the Acme follow-up at 15:00."
    )
    listed = httpx.get(f"{coworker.url}/api/conversations", timeout=10).json()["conversations"]
    assert [c["title"] for c in listed] == [
        "What's on my plate today?",
        "Email Jane Smith about pricing for 40 seats",
    ]

    panel.get_by_role("button", name="Conversations").click()
    expect(panel.get_by_role("button", name="Conversations")).to_have_attribute(
        "aria-expanded", "true"
    )
    items = panel.locator(".conversations .conversation")
    expect(items.locator(".title")).to_have_text(
        ["What's on my plate today?", "Email Jane Smith about pricing for 40 seats"]
    )
    expect(items.first).to_have_attribute("aria-current", "true")
    expect(items.first.locator(".meta")).to_have_text(re.compile(r"^today \d\d:\d\d$"))
    expect(items.nth(1).locator(".meta")).to_have_text(
        re.compile(r"^today \d\d:\d\d · 1 waiting for your approval$")
    )
    expect(panel.locator(".log")).to_be_hidden()
    screenshots.both(page, "conversation-list")

    items.nth(1).click()

    expect(panel.locator(".conversations")).to_be_hidden()
    expect(panel.locator(".msg.user")).to_have_text(["Email Jane Smith about pricing for 40 seats"])
    card = panel.locator(".card")
    expect(card).to_have_attribute("data-status", "pending")
    expect(card.get_by_label("Body")).to_have_value(DRAFT_BODY)
    card.get_by_role("button", name="Approve").click()
    expect(card).to_have_attribute("data-status", "succeeded")
    expect(panel.locator(".msg.assistant .md").last).to_have_text(
        "Sent: Jane Smith has the pricing email."
    )
    screenshots.both(page, "approved")
    assert len(sent_to_jane(coworker, "Volume pricing for 40 seats")) == 1

    # A reload opens the conversation last shown: the reopened one.
    page.reload()
    page.get_by_role("button", name="Ask Coworker").click()
    panel = page.get_by_role("dialog", name="Coworker")
    expect(panel.locator(".card")).to_have_attribute("data-status", "succeeded")


def test_tool_activity_streams_as_one_quiet_line_and_a_reply_takes_thumbs(
    page: Page, coworker: Coworker, screenshots: Screenshots
) -> None:
    page.set_viewport_size(DESKTOP)
    lookups = [
        {"type": "tool_use", "name": "get_lead", "input": {"lead_id": lead}}
        for lead in (JANE, TOM, PRIYA)
    ] + [
        {"type": "tool_use", "name": "list_opportunities", "input": {"stage": stage}}
        for stage in ("proposal", "negotiation", "prospecting", "qualification")
    ]
    answer = (
        "Jane Smith, Tom Becker and Priya Shah are all at Acme Corp. Their deals are moving: "
        "one in proposal, one in negotiation, and two still early. I would start with Jane, "
        "whose follow-up is due today."
    )
    coworker.stub.plan(
        StubReply(content=[{"type": "text", "text": "Let me check."}, *lookups]),
        StubReply.text(answer, chunk_delay_s=0.12),
    )
    panel = open_chat(page, coworker)
    send(panel, "How are the Acme people doing?")

    activity = panel.locator(".activity")
    expect(activity).to_have_count(1)
    expect(activity.locator("summary").first).to_have_text("Looked up 3 leads and 4 deal lists")
    expect(panel.locator(".msg.assistant .md").last).to_contain_text("Jane Smith, Tom")
    screenshots.both(page, "streaming")  # mid-reply, or just after: an artifact, not a check
    expect(panel.locator(".msg.assistant .md").last).to_have_text(answer)
    # The calls are inside it, in words, each with its result.
    expect(activity.locator(".calls")).to_be_hidden()
    activity.locator("summary").first.click()
    calls = activity.locator(".tool")
    expect(calls).to_have_count(7)
    expect(calls.locator(".name")).to_have_text(
        ["Get one lead with full details"] * 3 + ["List deals"] * 4
    )
    expect(activity.locator(".tool.ok")).to_have_count(7)

    # Thumbs on the reply: recorded, and a second press changes it.
    thumbs = panel.get_by_role("group", name="Was this reply helpful?")
    with page.expect_response(re.compile(r"/api/feedback$")) as first:
        thumbs.get_by_role("button", name="Helpful", exact=True).click()
    assert first.value.status == 200 and first.value.json()["rating"] == "up"
    expect(thumbs.get_by_role("status")).to_have_text("Thanks: marked as helpful.")
    expect(thumbs.get_by_role("button", name="Helpful", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    with page.expect_response(re.compile(r"/api/feedback$")) as second:
        thumbs.get_by_role("button", name="Not helpful").click()
    stored = second.value.json()
    assert second.value.status == 200 and stored["rating"] == "down"
    assert stored["reply_id"] == first.value.json()["reply_id"]
    expect(thumbs.get_by_role("status")).to_have_text("Thanks: marked as not helpful.")
    expect(thumbs.get_by_role("button", name="Helpful", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(thumbs.get_by_role("button", name="Not helpful")).to_have_attribute(
        "aria-pressed", "true"
    )


HELP = (
    "I'm running in **offline mode**: a built-in interpreter, no AI model. I understand\n"
    "everyday requests about your Dialsheet CRM, and I keep to them.\n"
    "\n"
    "- **Leads**: find by name, company, email, phone or status; details with recent notes,\n"
    "  tasks and calls; add a lead from a sentence.\n"
    "\n"
    "Best,\n"
    "Coworker"
)


def test_help_flows_times_are_the_persons_and_a_counter_nears_the_limit(
    page: Page, tmp_path: Path
) -> None:
    with serve(tmp_path, max_message_chars=120) as coworker:
        settings = {"timezone": "Asia/Tokyo"}
        assert httpx.put(f"{coworker.url}/api/me/settings", json=settings, timeout=10).is_success
        coworker.stub.plan(StubReply.text(HELP), email_reply())
        page.set_viewport_size(DESKTOP)
        panel = open_chat(page, coworker)

        # Help text flows: lines wrapped at a width join; a sign-off keeps its break.
        send(panel, "help")
        answer = panel.locator(".msg.assistant .md").last
        expect(answer.locator("p").first).to_have_text(
            "I'm running in offline mode: a built-in interpreter, no AI model. I understand "
            "everyday requests about your Dialsheet CRM, and I keep to them."
        )
        expect(answer.locator("p").first.locator("br")).to_have_count(0)
        expect(answer.locator("li")).to_have_text(
            "Leads: find by name, company, email, phone or status; details with recent notes, "
            "tasks and calls; add a lead from a sentence."
        )
        expect(answer.locator("p").last.locator("br")).to_have_count(1)  # "Best,\nCoworker"

        # The card's expiry: 24-hour, in the person's timezone (Tokyo), as the replies say it.
        send(panel, "Email Jane Smith about pricing")
        card = panel.locator(".card")
        expect(card).to_have_attribute("data-status", "pending")
        action = httpx.get(f"{coworker.url}/api/actions?status=pending", timeout=10).json()
        expires = datetime.fromisoformat(action["actions"][0]["expires_at"])
        in_tokyo = expires.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
        expect(card.locator(".expires")).to_have_text(
            re.compile(rf"^Expires (today|tomorrow) {in_tokyo}$")
        )

        # A counter as the message nears the server's limit (120 here), read from the server.
        box = panel.get_by_label("Message Coworker")
        counter = panel.locator(".counter")
        box.fill("x" * 90)
        expect(counter).to_be_hidden()
        box.fill("x" * 100)
        expect(counter).to_have_text("100 / 120 characters")
        box.fill("x" * 130)
        expect(counter).to_have_text("130 / 120 characters: 10 too many")
        expect(panel.get_by_role("button", name="Send")).to_be_disabled()
        box.press("Enter")
        expect(panel.locator(".msg.user")).to_have_count(2)  # nothing more was sent
        box.fill("short again")
        expect(counter).to_be_hidden()
        expect(panel.get_by_role("button", name="Send")).to_be_enabled()

        # A favicon, served.
        icon = page.locator("link[rel=icon]").get_attribute("href")
        assert icon is not None
        for path in (icon, "/favicon.ico"):
            served = httpx.get(coworker.url + path, timeout=10)
            assert served.status_code == 200 and served.headers["content-type"] == "image/svg+xml"


async def _seed_conversations(database: Path, count: int) -> None:
    """`count` conversations of the local user's, the first request of each its only words."""
    store = await Store.open(f"sqlite+aiosqlite:///{database}")
    try:
        user = await store.ensure_user(LOCAL_USER)
        for n in range(count):
            record = await store.get_or_create_conversation(user.id, "web", f"seeded-{n}")
            words = [{"type": "text", "text": f"Question number {n}"}]
            await store.append_messages(record.id, [{"role": "user", "content": words}])
    finally:
        await store.close()


def test_the_list_pages_back_to_the_oldest_conversation(
    page: Page, coworker: Coworker, tmp_path: Path
) -> None:
    database = tmp_path / "coworker.db"  # the app's store (`serve`)
    with ThreadPoolExecutor(max_workers=1) as worker:  # away from Playwright's loop
        worker.submit(asyncio.run, _seed_conversations(database, 23)).result()
    panel = open_chat(page, coworker)
    panel.get_by_role("button", name="Conversations").click()
    titles = panel.locator(".conversations .conversation .title")
    expect(titles).to_have_count(20)  # a page
    expect(titles.first).to_have_text("Question number 22")  # most recently active first
    older = panel.get_by_role("button", name="Show older conversations")
    older.click()
    expect(titles).to_have_count(23)
    expect(titles.last).to_have_text("Question number 0")
    expect(older).to_be_hidden()  # nothing older
