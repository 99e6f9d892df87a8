"""A long conversation in the widget: it opens at its latest page, and "Load earlier
messages" brings the older ones above it, in order, until the first message is shown."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tests.web.test_widget_browser import serve

from coworker.runtime import LOCAL_USER
from coworker.store.facade import Store

try:
    from playwright.sync_api import Page, expect
except ImportError:
    pytest.skip("playwright is not installed: browser tests skipped", allow_module_level=True)

pytestmark = pytest.mark.browser

EXCHANGES = 70  # 140 messages: the latest page of 50, then 50, then 40


async def _seed(database: Path) -> str:
    """A conversation of the local user's, written straight into the app's store."""
    store = await Store.open(f"sqlite+aiosqlite:///{database}")
    try:
        user = await store.ensure_user(LOCAL_USER)
        record = await store.get_or_create_conversation(user.id, "web", "long")
        messages = []
        for n in range(EXCHANGES):
            messages.append({"role": "user", "content": [{"type": "text", "text": f"q{n}"}]})
            messages.append({"role": "assistant", "content": [{"type": "text", "text": f"a{n}"}]})
        await store.append_messages(record.id, messages)
        return record.id
    finally:
        await store.close()


def test_a_long_conversation_opens_at_its_end_and_pages_back(page: Page, tmp_path: Path) -> None:
    with serve(tmp_path) as coworker:
        with ThreadPoolExecutor(max_workers=1) as worker:  # away from Playwright's loop
            conversation = worker.submit(asyncio.run, _seed(tmp_path / "coworker.db")).result()
        page.goto(coworker.url + "/")
        key = f"coworker-chat:conversation:{coworker.url}"
        page.evaluate("([key, id]) => localStorage.setItem(key, id)", [key, conversation])
        page.reload()
        page.get_by_role("button", name="Ask Coworker").click()
        panel = page.get_by_role("dialog", name="Coworker")

        users = panel.locator(".msg.user")
        expect(users).to_have_text([f"q{n}" for n in range(45, EXCHANGES)])  # the latest 50
        earlier = panel.get_by_role("button", name="Load earlier messages")
        earlier.click()
        expect(users).to_have_text([f"q{n}" for n in range(20, EXCHANGES)])
        earlier.click()
        expect(users).to_have_text([f"q{n}" for n in range(EXCHANGES)])
        expect(earlier).to_have_count(0)  # the first message is shown: nothing older
        assistant = panel.locator(".msg.assistant .md")
        expect(assistant).to_have_text([f"a{n}" for n in range(EXCHANGES)])
