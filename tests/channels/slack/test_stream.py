"""The reply writers against the mock Slack Web API, with a clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from coworker.agent.events import ActionView, ConfirmationRequired, TextDelta, TurnDone
from coworker.channels.slack import render
from coworker.channels.slack.reply import render_run
from coworker.channels.slack.sessions import show_status
from coworker.channels.slack.stream import (
    MAX_STREAMED_CHARS,
    SlackFeatures,
    StreamWriter,
    Thread,
    UpdateWriter,
    open_writer,
)
from coworker.channels.slack.tasks import task_chunk
from tests.channels.slack.mock_slack import TEAM, MockSlack
from tests.support.servers import run_asgi_server


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def slack() -> Iterator[tuple[MockSlack, AsyncWebClient]]:
    mock = MockSlack()
    with run_asgi_server(mock.app) as url:
        yield mock, AsyncWebClient(token="xoxb-test", base_url=url + "/api/")


def _thread() -> Thread:
    return Thread("D1", "1.000100", "U1", TEAM, SlackFeatures())


async def test_edits_go_out_at_most_once_a_second(
    slack: tuple[MockSlack, AsyncWebClient],
) -> None:
    mock, client = slack
    mock.ai_features = False
    clock = Clock()
    thread = _thread()
    status_ts = await show_status(client, thread)
    assert status_ts is not None and thread.team in thread.features.no_status
    writer = open_writer(client, thread, status_ts, clock=clock)
    assert isinstance(writer, StreamWriter)  # the SDK has streams; the workspace decides
    text = ""
    for second in range(3):
        for piece in range(10):  # ten pieces in each second
            clock.now = 100.0 + second + piece / 10
            await writer.append(f"s{second}p{piece} ")
            text += f"s{second}p{piece} "
    edits_while_streaming = len(mock.of("chat.update"))
    assert edits_while_streaming == 3  # one a second, the first at once
    assert thread.team in thread.features.no_stream
    await writer.finish(text, ["search_leads"])
    final = mock.of("chat.update")[-1]
    assert final["text"] == text.strip() and final["ts"] == status_ts
    assert len(mock.of("chat.startStream")) == 1  # refused once, remembered
    assert isinstance(open_writer(client, thread, None), UpdateWriter)


async def test_without_a_placeholder_the_first_edit_posts_the_message(
    slack: tuple[MockSlack, AsyncWebClient],
) -> None:
    mock, client = slack
    clock = Clock()
    writer = UpdateWriter(client, _thread(), None, clock=clock)
    await writer.append("Hello ")
    assert mock.of("chat.postMessage") == []  # the first second's text waits
    clock.now += 1.5
    await writer.append("there")
    (posted,) = mock.of("chat.postMessage")
    assert posted["text"] == "Hello there …"
    await writer.finish("Hello there.", [])
    (final,) = mock.of("chat.update")
    assert final["text"] == "Hello there."


async def test_a_reply_longer_than_one_stream_continues_in_plain_messages(
    slack: tuple[MockSlack, AsyncWebClient],
) -> None:
    mock, client = slack
    thread = _thread()
    writer = open_writer(client, thread, None, clock=Clock())
    paragraph = "word " * 199 + "end.\n\n"
    text = ""
    while len(text) < MAX_STREAMED_CHARS + 3000:
        await writer.append(paragraph)
        text += paragraph
    await writer.finish(text, ["get_lead"])
    (streamed,) = mock.streams().values()
    assert len(streamed) <= MAX_STREAMED_CHARS and text.startswith(streamed)
    rest = "\n\n".join(m["text"] for m in mock.of("chat.postMessage"))
    assert rest.split() == text[len(streamed) :].split()
    assert "get_lead" in str(mock.of("chat.postMessage")[-1]["blocks"][-1])
    assert mock.of("chat.stopStream")[0].get("blocks") is None


async def test_an_error_after_some_streamed_text_is_posted_in_full(
    slack: tuple[MockSlack, AsyncWebClient],
) -> None:
    mock, client = slack
    writer = open_writer(client, _thread(), None, clock=Clock())
    await writer.append("Let me look that up")
    await writer.finish("Sorry, that did not work: the CRM is unavailable.", [])
    assert len(mock.of("chat.stopStream")) == 1
    (posted,) = mock.of("chat.postMessage")
    assert posted["text"] == "Sorry, that did not work: the CRM is unavailable."


async def _run(*events: Any) -> AsyncIterator[Any]:
    for event in events:
        yield event


async def test_failing_previews_and_reply_edits_lose_neither_reply_nor_card(
    slack: tuple[MockSlack, AsyncWebClient],
) -> None:
    mock, client = slack
    mock.ai_features = False
    mock.failing["chat.update"] = "ratelimited"  # every edit refused, previews and final
    now = datetime.now(UTC)
    card = ActionView(
        id="act-1",
        conversation_id="conv-1",
        tool_use_id="toolu_1",
        tool="send_email",
        risk="outbound",
        input={"subject": "Hi", "body_text": "Hello"},
        display={"to": "jane@acme.com"},
        status="pending",
        created_at=now,
        expires_at=now,
        editable=("subject", "body_text"),
    )
    events = _run(
        TextDelta("Drafted "),
        TextDelta("it."),
        ConfirmationRequired(card),
        TurnDone("conv-1", "Drafted it.", "confirmation"),
    )
    await render_run(client, _thread(), events)
    posted = mock.of("chat.postMessage")
    texts = [p["text"] for p in posted]
    assert texts[0] == "_Working on it…_" and "Drafted it." in texts
    assert any(t.startswith("Approval needed") for t in texts)


async def test_the_run_is_closed_even_when_slack_is_unreachable(
    slack: tuple[MockSlack, AsyncWebClient],
) -> None:
    mock, _ = slack
    closed = []

    async def run() -> AsyncIterator[Any]:
        try:
            yield TextDelta("never shown")
        finally:
            closed.append(True)

    unreachable = AsyncWebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/")
    events = run()
    await anext(events)  # the run has started (it holds its conversation's lock)
    with pytest.raises(Exception):  # noqa: B017 - whatever the network raises
        await render_run(unreachable, _thread(), events)
    assert closed == [True]


async def test_an_agent_stream_ended_by_slack_goes_on_in_a_new_plan_stream(
    slack: tuple[MockSlack, AsyncWebClient],
) -> None:
    """On the agent experience everything travels as chunks (Slack refuses markdown_text
    beside or after them); a stream Slack ended continues in a new one, cards and all."""
    mock, client = slack
    mock.agent_view = True
    mock.break_stream_after = 2  # the first stream takes two appends, then is over
    clock = Clock()
    thread = _thread()
    thread.agent = True
    writer = open_writer(client, thread, None, clock=clock)
    await writer.task(task_chunk("t1", "Searching leads…", "in_progress"))
    await writer.task(task_chunk("t1", "Searching leads…", "complete"))  # append 1
    await writer.append("Jane is at Acme. ")
    clock.now += 2
    await writer.append("She asked about pricing. ")  # append 2, with the line before
    await writer.task(task_chunk("t2", "Reading lead…", "in_progress"))  # over: a new one
    await writer.task(task_chunk("t2", "Reading lead…", "complete"))
    text = "Jane is at Acme. She asked about pricing. Shall I draft a reply?"
    moved = await writer.finish(text, ["search_leads", "get_lead"], plan="Done")
    starts = mock.of("chat.startStream")
    assert [s["_ok"] for s in starts] == [True, True]
    assert all("markdown_text" not in a for m, a in mock.calls if m.endswith("Stream"))
    said = "".join(mock.streams()[s["_answered_ts"]] for s in starts)
    assert said == text
    assert [c["status"] for c in starts[1]["chunks"] if c["type"] == "task_update"] == [
        "in_progress"
    ]
    assert {t["id"]: t["status"] for t in mock.tasks().values()} == {
        "t1": "complete",
        "t2": "complete",
    }
    (stop,) = mock.of("chat.stopStream")
    assert stop["_ok"] and stop["ts"] == starts[1]["_answered_ts"] and moved
    assert mock.of("chat.postMessage") == []


async def test_feedback_buttons_an_app_may_not_post_never_cost_the_reply(
    slack: tuple[MockSlack, AsyncWebClient],
) -> None:
    mock, client = slack
    mock.refused_blocks = {"context_actions"}
    writer = open_writer(client, _thread(), None, clock=Clock())
    await writer.append("Jane is at Acme.")
    footer = render.feedback_blocks("conversation", "4")
    await writer.finish("Jane is at Acme.", ["search_leads"], footer=footer)
    first, second = mock.of("chat.stopStream")
    assert not first["_ok"] and second["_ok"] and "blocks" not in second
    assert list(mock.streams().values()) == ["Jane is at Acme."]
    assert mock.of("chat.postMessage") == []  # said once
