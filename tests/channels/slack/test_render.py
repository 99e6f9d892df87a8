"""Markdown to mrkdwn and splitting under Slack's limits."""

from __future__ import annotations

from pathlib import Path

import httpx

from coworker.channels.slack import render
from coworker.server import create_app
from tests.agent.conftest import settings_for
from tests.support.servers import run_asgi_server


def test_markdown_becomes_mrkdwn() -> None:
    text = "# Today\n**Jane** at [Acme](https://acme.com) & co\n- one\n~~old~~ <b>"
    assert render.to_mrkdwn(text) == (
        "*Today*\n*Jane* at <https://acme.com|Acme> &amp; co\n• one\n~old~ &lt;b&gt;"
    )


def test_long_text_is_split_under_the_limit_at_boundaries() -> None:
    paragraphs = "\n\n".join(f"Paragraph {i}. " + "word " * 200 for i in range(10))
    chunks = render.split_text(paragraphs)
    assert len(chunks) > 1 and all(len(c) <= render.MAX_CHUNK for c in chunks)
    assert all(c.startswith("Paragraph") for c in chunks)
    assert "".join(chunks).replace(" ", "").replace("\n", "") == paragraphs.replace(
        " ", ""
    ).replace("\n", "")
    messages = render.reply_messages(paragraphs, ["search_leads", "search_leads", "get_lead"])
    assert len(messages) == len(chunks)
    assert messages[-1]["blocks"][-1]["elements"][0]["text"] == (
        "Used `search_leads` ×2, `get_lead`"
    )


def test_no_slack_settings_no_slack_route(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path, scheduler_enabled=False))
    with run_asgi_server(app) as url:
        assert httpx.post(f"{url}/slack/events", content=b"{}").status_code in (404, 405)
