"""Conversations people can find again (#19): each has a title, the person's first request,
set when it is saved, and given once, when listed, to one made before titles were kept;
and `GET /api/widget`, what the widget shows things with (the limit, the person's timezone,
each tool's words from its profile)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.support.servers import run_asgi_server

from coworker.agent.titles import MAX_TITLE_CHARS, first_request, title_from
from coworker.channels.web.identity import mint_token
from coworker.config import Settings
from coworker.dialsheet.profiles import parse_profile
from coworker.llm.decisions import LateDecision, late_decision_block
from coworker.runtime import LOCAL_USER
from coworker.server import create_app
from coworker.store.facade import Store
from coworker.store.records import StoredMessage

LONG = "Email Jane Smith about pricing for the forty seats they asked about last week, and copy Sam"


def test_a_title_is_the_first_line_trimmed_at_a_word() -> None:
    assert title_from("  what's on my   plate today? ") == "what's on my plate today?"
    assert title_from("\n\nEmail Jane:\nHi Jane, ...") == "Email Jane:"
    assert title_from("   \n ") is None
    cut = title_from(LONG)
    assert cut == "Email Jane Smith about pricing for the forty seats they…"
    assert cut is not None and len(cut) <= MAX_TITLE_CHARS
    one_word = title_from("x" * 100)
    assert one_word == "x" * (MAX_TITLE_CHARS - 1) + "…"


def test_the_first_request_is_the_persons_own_words() -> None:
    note = late_decision_block(LateDecision("send_email", "a1", "toolu_1", "Sent.", False))
    messages = [
        StoredMessage(1, "assistant", [{"type": "text", "text": "Your day: ..."}]),
        StoredMessage(2, "user", [note, {"type": "text", "text": "  "}]),
        StoredMessage(3, "user", [{"type": "text", "text": "thanks, now email Jane"}]),
    ]
    assert first_request(messages) == "thanks, now email Jane"
    assert first_request(messages[:2]) is None


def test_an_activity_is_declared_whole() -> None:
    profile = parse_profile({"activity": {"verb": "Looked up", "one": "fax", "many": "faxes"}}, "f")
    assert profile.activity is not None and profile.activity.many == "faxes"
    with pytest.raises(ValueError, match="activity is"):
        parse_profile({"activity": {"verb": "Looked up", "one": "fax"}}, "list_faxes")


def _settings(tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'coworker.db'}",
        sandbox_database_url="sqlite+aiosqlite://",
        **overrides,
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[httpx.Client]:
    """The app on the offline model, over real HTTP, as the local user."""
    with run_asgi_server(create_app(_settings(tmp_path, max_message_chars=5000))) as url:
        with httpx.Client(base_url=url, timeout=30) as client:
            yield client


def _listed(client: httpx.Client) -> dict[str, str | None]:
    conversations = client.get("/api/conversations").json()["conversations"]
    return {c["id"]: c["title"] for c in conversations}


def test_a_conversation_is_named_by_its_first_request(server: httpx.Client) -> None:
    first = server.post("/api/chat", json={"message": LONG}).json()
    conversation = first["conversation_id"]
    title = "Email Jane Smith about pricing for the forty seats they…"
    assert _listed(server) == {conversation: title}
    again = {"message": "what's on my plate today?", "conversation_id": conversation}
    assert server.post("/api/chat", json=again).status_code == 200
    assert _listed(server) == {conversation: title}  # named once
    empty = server.post("/api/chat", json={"message": "   "}).json()
    assert _listed(server)[empty["conversation_id"]] is None  # nothing said: no title yet


async def _seed_untitled(database: Path) -> str:
    store = await Store.open(f"sqlite+aiosqlite:///{database}")
    try:
        user = await store.ensure_user(LOCAL_USER)
        record = await store.get_or_create_conversation(user.id, "web", "from-before-titles")
        await store.append_messages(
            record.id,
            [
                {"role": "user", "content": [{"type": "text", "text": "Any new leads at Acme?"}]},
                {"role": "assistant", "content": [{"type": "text", "text": "Three."}]},
            ],
        )
        return record.id
    finally:
        await store.close()


async def _title_of(database: Path, conversation_id: str) -> str | None:
    store = await Store.open(f"sqlite+aiosqlite:///{database}")
    try:
        record = await store.get_conversation(conversation_id)
        assert record is not None
        return record.title
    finally:
        await store.close()


def test_one_made_before_titles_is_named_when_listed_and_keeps_it(tmp_path: Path) -> None:
    database = tmp_path / "coworker.db"
    with run_asgi_server(create_app(_settings(tmp_path))) as url:
        old = asyncio.run(_seed_untitled(database))
        assert asyncio.run(_title_of(database, old)) is None
        with httpx.Client(base_url=url, timeout=30) as client:
            before = client.get(f"/api/conversations/{old}").json()
            assert _listed(client) == {old: "Any new leads at Acme?"}
            # Naming is not activity: it neither reorders the list nor touches the history.
            assert client.get(f"/api/conversations/{old}").json() == before
        assert asyncio.run(_title_of(database, old)) == "Any new leads at Acme?"


def test_the_widget_reads_the_limit_the_timezone_and_the_tools_words(
    server: httpx.Client,
) -> None:
    server.put("/api/me/settings", json={"timezone": "Europe/Berlin"}).raise_for_status()
    setup = server.get("/api/widget").json()
    assert setup["max_message_chars"] == 5000
    assert setup["timezone"] == "Europe/Berlin"
    assert setup["tools"]["get_lead"] == {
        "label": "Get one lead with full details",
        "verb": "Looked up",
        "one": "lead",
        "many": "leads",
    }
    assert setup["tools"]["list_opportunities"]["many"] == "deal lists"
    assert setup["tools"]["send_email"]["label"] == "Send an email"


def test_the_widget_setup_is_the_persons_own(tmp_path: Path) -> None:
    secret = "a-web-secret-of-at-least-32-bytes-long"
    with run_asgi_server(create_app(_settings(tmp_path, web_secret=secret))) as url:
        assert httpx.get(f"{url}/api/widget", timeout=10).status_code == 401
        token = mint_token(secret, "alice")
        answer = httpx.get(
            f"{url}/api/widget", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        assert answer.status_code == 200 and answer.json()["timezone"] == "UTC"
