"""The mock Web API refuses what Slack refuses, so a test passing against it means Slack
would take the same calls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from coworker.channels.slack import render
from tests.channels.slack.mock_slack import MockSlack
from tests.support.servers import run_asgi_server


@pytest.fixture
def slack() -> Iterator[tuple[MockSlack, AsyncWebClient]]:
    mock = MockSlack()
    mock.agent_view = True
    with run_asgi_server(mock.app) as url:
        yield mock, AsyncWebClient(token="xoxb-test", base_url=url + "/api/")


async def _refused(call: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        await call
    return str(raised.value.response["error"])


async def test_malformed_agent_calls_are_refused_as_slack_refuses_them(
    slack: tuple[MockSlack, AsyncWebClient],
) -> None:
    mock, client = slack
    status = client.agents_sessions_setStatus(channel_id="D1", thread_ts="1.1", status="busy")
    assert await _refused(status) == "invalid_arguments"
    prompts = [{"title": f"p{i}", "message": "m"} for i in range(5)]
    five = client.assistant_threads_setSuggestedPrompts(channel_id="D1", prompts=prompts)
    assert await _refused(five) == "invalid_arguments"
    both = client.chat_startStream(
        channel="D1",
        thread_ts="1.1",
        markdown_text="hi",
        chunks=[{"type": "plan_update", "title": "Working"}],
    )
    assert await _refused(both) == "cannot_provide_both_markdown_text_and_chunks"
    long_title = [{"type": "task_update", "id": "t", "title": "x" * 257, "status": "complete"}]
    too_long = client.chat_startStream(channel="D1", thread_ts="1.1", chunks=long_title)
    assert await _refused(too_long) == "invalid_arguments"
    plan = await client.chat_startStream(
        channel="D1", thread_ts="1.1", chunks=[{"type": "plan_update", "title": "Working"}]
    )
    mixed = client.chat_appendStream(channel="D1", ts=plan["ts"], markdown_text="text")
    assert await _refused(mixed) == "streaming_mode_mismatch"
    blocks = render.feedback_blocks("c" * 1000, "r" * 1000)
    assert blocks == []  # over Slack's 2,000 characters: no buttons rather than a refusal
    forged = render.feedback_blocks("c", "1")
    forged[0]["elements"][0]["positive_button"]["value"] = "v" * 2001
    stop = client.chat_stopStream(channel="D1", ts=plan["ts"], blocks=forged)
    assert await _refused(stop) == "invalid_arguments"
    ok = await client.chat_stopStream(
        channel="D1", ts=plan["ts"], blocks=render.feedback_blocks("c", "1")
    )
    assert ok["ok"] and mock.of("chat.stopStream")[-1]["_ok"]
