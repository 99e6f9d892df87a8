"""The agent experience attacked, through the real bolt handlers with signed requests: other
people's presses and Stops in shared threads, forged button values, other workspaces with
the same user id, a CRM that refuses or hangs while the Messages tab opens, a key pasted
into the modal, a stream that expires mid-card, and Slack's retries.

What must hold: nothing is recorded, stopped or sent for anyone but the person whose
thread it is; nothing of theirs is shown to anyone else; a key shows up nowhere; no
handler crashes (no error is logged) on any of it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from coworker.llm.base import ModelEvent, ModelRequest
from coworker.llm.scripted import ScriptedModel
from tests.channels.slack.conftest import JANE, SIGNING_SECRET, SlackClient
from tests.channels.slack.mock_slack import TEAM, MockSlack
from tests.support.servers import run_asgi_server

S = ScriptedModel
THREAD = "1700000001.000001"
OTHER_TEAM = "T0OTHER"
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}
REFUSED = "I could not record that: this reply is not from your conversation with me."


class Gate:
    """Opened from the test's thread, waited on in a server's loop: something that runs for
    as long as the test needs (the test watches what happens, never a clock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = False
        self._waiting: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    def open(self) -> None:
        with self._lock:
            self._open = True
            for loop, event in self._waiting:
                loop.call_soon_threadsafe(event.set)

    async def wait(self) -> None:
        event = asyncio.Event()
        with self._lock:
            if self._open:
                return
            self._waiting.append((asyncio.get_running_loop(), event))
        await event.wait()


class GateModel(ScriptedModel):
    """Waits at the start of each model call until the test opens the gate: a turn that is
    running for as long as the test needs."""

    def __init__(self, turns: list[Any]) -> None:
        super().__init__(turns)
        self.gate = Gate()
        self.entered = 0

    async def stream(self, request: ModelRequest) -> AsyncIterator[ModelEvent]:
        self.entered += 1
        await self.gate.wait()
        async for event in super().stream(request):
            yield event


def _agent(serve: Any, turns: list[Any], **kw: Any) -> SlackClient:
    client: SlackClient = serve(turns, **kw)
    client.slack.agent_view = True
    return client


def _db(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'coworker.db'}"


def _rows(tmp_path: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(tmp_path / "coworker.db") as db:
        return list(db.execute(f"SELECT * FROM {table}"))  # noqa: S608 - a fixed table name


async def _sql(url: str, statement: str, *, admin: bool = False) -> Any:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT" if admin else None)
    try:
        async with engine.connect() as conn:
            result = await conn.exec_driver_sql(statement)
            return result.scalar() if result.returns_rows else None
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The store on a SQLite file, or on a fresh PostgreSQL database (dropped after)."""
    if request.param == "sqlite":
        yield _db(tmp_path)
        return
    base = os.environ.get("COWORKER_TEST_DATABASE_URL")
    if not base:
        pytest.skip("COWORKER_TEST_DATABASE_URL not set: PostgreSQL attack test skipped")
    name = f"coworker_attacks_{uuid.uuid4().hex[:10]}"
    asyncio.run(_sql(base, f'CREATE DATABASE "{name}"', admin=True))
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        asyncio.run(_sql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', admin=True))


def _feedback_count(url: str) -> int:
    return int(asyncio.run(_sql(url, "SELECT count(*) FROM feedback")))


def _send(
    client: SlackClient,
    event: dict[str, Any],
    *,
    team: str = TEAM,
    event_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """An event callback from any workspace, with any extra headers (Slack's retries)."""
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": team,
            "api_app_id": "A0APP",
            "event": event,
            "event_id": event_id or f"Ev{time.monotonic_ns()}",
            "event_time": int(time.time()),
        }
    )
    ts = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
    sent: dict[str, str] = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": str(signature),
        **(headers or {}),
    }
    return client.http.post("/slack/events", content=body, headers=sent).status_code


def _mention(text: str, user: str = "U1", ts: str = THREAD, **extra: str) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "channel": "C1",
        "user": user,
        "text": f"<@UBOT> {text}",
        "ts": ts,
        **extra,
    }


def _stop(user: str, channel: str = "C1", thread_ts: str = THREAD) -> dict[str, Any]:
    return {
        "type": "agent_session_stopped",
        "channel": channel,
        "thread_ts": thread_ts,
        "user": user,
        "streaming_message_ts": [],
        "event_ts": f"{time.time():.6f}",
    }


def _final(slack: MockSlack, count: int = 1) -> dict[str, Any]:
    stops = slack.wait_for(
        lambda s: (
            (done := [c for c in s.of("chat.stopStream") if c["_ok"]])
            and len(done) >= count
            and done
        ),
        what="the end of the reply",
    )
    stop: dict[str, Any] = stops[count - 1]
    return stop


def _barrier(client: SlackClient, user: str) -> None:
    """An event sent after others, waited for: what was sent before it has been handled."""
    before = len(client.slack.of("views.publish"))
    assert _send(client, {"type": "app_home_opened", "user": user, "tab": "home"}) == 200
    client.slack.wait_for(lambda s: len(s.of("views.publish")) > before, what="the barrier")


def _press(value: Any, user: str, team: str = TEAM, channel: str = "C1") -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": team},
        "user": {"id": user},
        "channel": {"id": channel},
        "container": {"type": "message", "channel_id": channel, "message_ts": "1700000000.9"},
        "message": {"ts": "1700000000.9", "thread_ts": THREAD},
        "actions": [
            {
                "type": "feedback_buttons",
                "action_id": "coworker_feedback",
                "block_id": "feedback",
                "value": value,
            }
        ],
    }


def _feedback_value(stop: dict[str, Any], side: str = "positive_button") -> str:
    (buttons,) = stop["blocks"][-1]["elements"]
    return str(buttons[side]["value"])


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record, checked at the end: no handler failed (nothing at ERROR)."""
    caplog.set_level(logging.DEBUG)
    yield caplog
    failed = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not failed, [r.getMessage() for r in failed]


def test_another_persons_press_on_a_reply_records_nothing_and_reveals_nothing(
    serve: Any, database: str, errors: Any
) -> None:
    client = _agent(serve, [S.text("Jane's deal is worth $80k.")], database_url=database)
    slack = client.slack
    assert _send(client, _mention("how big is jane's deal?")) == 200
    value = _feedback_value(_final(slack))
    # Someone else in the channel, then the same user id in another workspace.
    for user, team in (("U2", TEAM), ("U1", OTHER_TEAM)):
        assert client.interaction(_press(value, user, team)).status_code == 200
    told = slack.wait_for(
        lambda s: len(s.of("chat.postEphemeral")) == 2 and s.of("chat.postEphemeral"),
        what="the refusals",
    )
    assert [(m["user"], m["text"]) for m in told] == [("U2", REFUSED), ("U1", REFUSED)]
    assert "80k" not in json.dumps(told) and value.split(":")[1] not in json.dumps(told)
    assert _feedback_count(database) == 0
    # The owner's own press still counts: the handler is whole.
    assert client.interaction(_press(value, "U1")).status_code == 200
    slack.wait_for(lambda s: len(s.of("chat.postEphemeral")) == 3, what="the thanks")
    assert _feedback_count(database) == 1


def test_forged_feedback_values_store_nothing_and_crash_nothing(
    serve: Any, database: str, errors: Any
) -> None:
    client = _agent(serve, [S.text("Mine."), S.text("Theirs.")], database_url=database)
    slack = client.slack
    assert _send(client, _mention("mine")) == 200
    mine = _feedback_value(_final(slack))
    assert _send(client, _mention("theirs", user="U2", ts="1700000002.000001")) == 200
    theirs = _feedback_value(_final(slack, 2))
    _, conversation, reply = mine.split(":")
    _, their_conversation, their_reply = theirs.split(":")
    malformed = [
        "",
        "up",
        "up::",
        f"meh:{conversation}:{reply}",
        f"UP:{conversation}:{reply}",
        {"nested": "object"},
        ["up", conversation, reply],
        12,
    ]
    not_theirs = [
        "up:" + "x" * 20_000 + ":1",  # a conversation nobody has
        f"up:{conversation}:1",  # the person's own message, not a reply
        f"up:{conversation}:999999",
        f"up:{conversation}:-1",
        f"up:{conversation}:{'9' * 40}",
        f"up:{conversation}:١",  # a digit, but not an ASCII one
        f"down:{conversation}:{reply}:extra",
        f"up:{their_conversation}:{their_reply}",  # another person's reply, named exactly
        f"up:00000000-0000-0000-0000-000000000000:{reply}",
        f"up:{conversation}'; DROP TABLE feedback; --:{reply}",
        f"up:{conversation}\x00:{reply}",  # a NUL, which PostgreSQL text cannot hold
        f"up:{conversation}\ud800:{reply}",  # a lone surrogate
    ]
    for value in [*malformed, *not_theirs]:
        assert client.interaction(_press(value, "U1")).status_code in (200, 400), value
    told = slack.wait_for(
        lambda s: len(s.of("chat.postEphemeral")) >= len(not_theirs) and s.of("chat.postEphemeral"),
        what="the refusals",
    )
    _barrier(client, "U1")
    told = slack.of("chat.postEphemeral")
    assert len(told) == len(not_theirs)  # a value it never made gets no answer at all
    assert {(m["user"], m["text"]) for m in told} == {("U1", REFUSED)}
    assert "Theirs." not in json.dumps(told)
    assert _feedback_count(database) == 0


def test_a_stop_from_someone_else_or_another_workspace_leaves_the_turn_running(
    serve: Any, errors: Any
) -> None:
    model = GateModel([S.text("Here is the research you asked for.")])
    client = _agent(serve, [], model=model)
    slack = client.slack
    assert _send(client, _mention("research jane")) == 200
    slack.wait_for(lambda s: model.entered == 1, what="the turn to be running")
    assert _send(client, _stop("U2")) == 200  # someone else in the channel
    assert _send(client, _stop("U1"), team=OTHER_TEAM) == 200  # same ids, other workspace
    _barrier(client, "U2")
    model.gate.open()
    stop = _final(slack)
    assert "Here is the research you asked for." in slack.streams()[stop["ts"]]
    assert slack.plan_titles()[-1] == "Done"
    assert not [m for m in slack.of("chat.postMessage") if "Stopped" in m.get("text", "")]


def test_stops_for_finished_unknown_or_garbled_sessions_change_nothing(
    serve: Any, errors: Any
) -> None:
    client = _agent(serve, [S.text("First."), S.text("Second.")])
    slack = client.slack
    assert _send(client, _mention("first")) == 200
    _final(slack)
    for event in (
        _stop("U1"),  # the turn already finished
        _stop("U1"),  # twice
        _stop("U1", thread_ts="1600000000.000001"),  # a thread it never saw
        _stop("U1", channel="C9"),
        {"type": "agent_session_stopped"},  # nothing in it at all
        {**_stop("U1"), "thread_ts": {"not": "a ts"}, "streaming_message_ts": "x"},
    ):
        assert _send(client, event) == 200
    _barrier(client, "U1")
    follow_up = _mention("second", ts="1700000003.000001", thread_ts=THREAD)
    assert _send(client, follow_up) == 200
    stop = _final(slack, 2)
    assert slack.streams()[stop["ts"]] == "Second."
    assert not [m for m in slack.of("chat.postMessage") if "Stopped" in m.get("text", "")]
    # The transcript is whole: the model saw both exchanges, in order.
    roles = [m["role"] for m in client.model.requests[-1].messages]
    assert roles == ["user", "assistant", "user"]


def test_a_stop_while_a_card_waits_approves_and_sends_nothing(serve: Any, errors: Any) -> None:
    client = _agent(serve, [S.tool_calls(("send_email", EMAIL)), S.text("Sent it.")])
    slack = client.slack
    assert client.dm("email Jane about pricing").status_code == 200
    cards = slack.wait_for(
        lambda s: [c for c in s.of("chat.postMessage") if "Approval needed" in c["text"]],
        what="the approval card",
    )
    for user in ("U1", "U1", "U2"):
        assert _send(client, _stop(user, channel="D1", thread_ts="1699999999.000100")) == 200
    _barrier(client, "U1")
    assert client.outbox() == []
    (card,) = slack.wait_for(
        lambda s: [c for c in s.of("chat.postMessage") if "Approval needed" in c["text"]]
    )
    assert card == cards[0]  # the card stands, posted once
    button = next(b for b in card["blocks"] if b["type"] == "actions")["elements"][0]
    where = {"channel": "D1", "ts": "1700000000.999999", "thread_ts": "1699999999.000100"}
    assert client.click("approve", button["value"], "U1", where).status_code == 200
    slack.wait_for(lambda s: "Sent it." in str(s.streams()), what="the reply after sending")
    assert len(client.outbox()) == 1


def test_titles_from_anyone_of_any_size_break_nothing(serve: Any, errors: Any) -> None:
    request = "📞 " + "Ünïcödé request with a very long first line " * 10
    client = _agent(serve, [S.text("Noted.")])
    slack = client.slack
    for user, title in (("U2", "x" * 100_000), ("U1", "🧨" * 5000), ("U3", "")):
        renamed = {
            "type": "agent_session_title_changed",
            "channel": "C9",
            "thread_ts": "1600000000.000001",
            "title": title,
            "user": user,
        }
        assert _send(client, renamed) == 200
    assert _send(client, {"type": "agent_session_title_changed"}) == 200
    _barrier(client, "U1")
    assert _send(client, _mention(request)) == 200
    _final(slack)
    (rename,) = slack.of("agents.sessions.rename")
    assert rename["_ok"] and 0 < len(rename["title"]) <= 60
    assert rename["title"].startswith("📞 Ünïcödé") and rename["title"].endswith("…")


class FakeCrm:
    """A Dialsheet that accepts any key, then refuses it (revoked), fails, or hangs: what
    the sandbox cannot be made to do."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.release = Gate()
        self.app = Starlette(routes=[Route("/{path:path}", self._answer, methods=["GET", "POST"])])

    async def _answer(self, request: Request) -> JSONResponse:
        if self.mode == "revoked":
            return JSONResponse({"error": "invalid api key"}, status_code=401)
        if self.mode == "failing":
            return JSONResponse({"error": "boom"}, status_code=500)
        if self.mode == "hanging":
            await self.release.wait()
        return JSONResponse({"email_accounts": [], "tasks": [], "deals": [], "leads": []})


@pytest.fixture
def crm() -> Iterator[tuple[FakeCrm, str]]:
    fake = FakeCrm()
    with run_asgi_server(fake.app) as url:
        try:
            yield fake, url
        finally:
            fake.release.open()  # a request still hanging ends before the server does


def _connect(client: SlackClient, user: str, key: str) -> Any:
    view = {"id": "V1", "callback_id": "coworker_key_modal", "type": "modal"}
    values = {"key": {"value": {"type": "plain_text_input", "value": key}}}
    return client.submit(view, user, values)


def _greeting(client: SlackClient, user: str) -> dict[str, Any]:
    before = len(client.slack.of("assistant.threads.setSuggestedPrompts"))
    opened = {"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "messages"}
    assert _send(client, opened) == 200
    calls = client.slack.wait_for(
        lambda s: (
            len(s.of("assistant.threads.setSuggestedPrompts")) > before
            and s.of("assistant.threads.setSuggestedPrompts")
        ),
        what="the prompts",
    )
    call: dict[str, Any] = calls[-1]
    assert call["_ok"] and call["channel_id"] == "D" + user
    return call


def test_the_greeting_degrades_to_generic_prompts_and_never_shows_another_persons_day(
    serve: Any, crm: tuple[FakeCrm, str], monkeypatch: pytest.MonkeyPatch, errors: Any
) -> None:
    fake, url = crm
    monkeypatch.setattr("coworker.channels.slack.prompts.READ_TIMEOUT_S", 0.2)
    client = _agent(serve, [], dialsheet_base_url=url, dialsheet_max_retries=0)
    assert _connect(client, "U1", "ds_test_U1_key_0001").status_code == 200
    generic = ["My tasks", "Draft follow-ups for quiet deals", "Who should I call next?"]
    for mode, title in (
        ("revoked", "Dialsheet no longer accepts your key: connect a new one in my Home tab."),
        ("failing", "What shall we work on?"),
        ("hanging", "What shall we work on?"),
    ):
        fake.mode = mode
        call = _greeting(client, "U1")
        assert call["title"] == title, mode
        assert [p["title"] for p in call["prompts"]] == generic, mode
    fake.mode = "ok"
    fake.release.open()
    # U1 has a key; U2 has none and is asked to connect one, never shown U1's day.
    other = _greeting(client, "U2")
    assert "Connect your Dialsheet key" in other["title"]
    assert [p["title"] for p in other["prompts"]] == generic


def test_a_key_from_the_modal_shows_up_nowhere(
    serve: Any, crm: tuple[FakeCrm, str], tmp_path: Path, errors: Any
) -> None:
    fake, url = crm
    client = _agent(serve, [], dialsheet_base_url=url, database_url=_db(tmp_path))
    rejected = "ds_live_REJECTEDsecret4242"
    fake.mode = "revoked"
    answer = _connect(client, "U1", rejected)
    assert answer.status_code == 200
    assert answer.json()["response_action"] == "errors"
    assert "rejected" in answer.json()["errors"]["key"]
    for garbage in ("", "   ", "not a key SECRETgarbage\n\t", "ds_" + "A" * 5000):
        answer = _connect(client, "U1", garbage)
        assert answer.status_code == 200 and answer.json()["response_action"] == "errors"
        assert answer.json()["errors"]["key"]
    fake.mode = "ok"
    kept = "ds_live_ACCEPTEDsecret9191"
    assert _connect(client, "U1", kept).status_code == 200
    client.slack.wait_for(lambda s: s.of("views.publish"), what="Home after connecting")
    assert "connected" in json.dumps(client.slack.of("views.publish")[-1])
    for secret in ("REJECTEDsecret4242", "ACCEPTEDsecret9191", "SECRETgarbage"):
        assert secret not in json.dumps(client.slack.calls), secret
        assert secret not in errors.text, secret
        assert secret.encode() not in (tmp_path / "coworker.db").read_bytes(), secret
        assert secret not in json.dumps(_rows(tmp_path, "audit_events"), default=str)


def test_a_stream_that_expires_mid_card_still_gets_one_card_and_one_reply(
    serve: Any, errors: Any
) -> None:
    client = _agent(
        serve,
        [
            S.tool_calls(("search_leads", {"search": "jane"}), text="Let me look that up. " * 4),
            S.tool_calls(("send_email", EMAIL), text="I drafted it for you."),
        ],
    )
    slack = client.slack
    slack.break_stream_after = 1
    assert client.dm("email Jane about pricing").status_code == 200
    slack.wait_for(
        lambda s: [c for c in s.of("chat.postMessage") if "Approval needed" in c["text"]],
        what="the approval card",
    )
    _barrier(client, "U1")
    cards = [c for c in slack.of("chat.postMessage") if "Approval needed" in c["text"]]
    assert len(cards) == 1
    shown = "".join(slack.streams().values()) + "".join(
        m.get("text", "") for m in slack.of("chat.postMessage") if m not in cards
    )
    assert shown.count("Let me look that up.") == 4  # all of it, none of it twice
    assert shown.count("I drafted it for you.") == 1
    assert len(slack.of("chat.startStream")) > 1  # it did expire and go on in a new one
    assert client.outbox() == []


def test_slacks_retries_of_one_event_make_one_turn_and_one_reply(serve: Any, errors: Any) -> None:
    client = _agent(serve, [S.text("Once."), S.text("Twice?")])
    event = _mention("hello")
    for attempt in range(4):
        retry = {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"}
        assert _send(client, event, event_id="EvRETRY", headers=retry if attempt else None) == 200
    _final(client.slack)
    _barrier(client, "U1")
    assert len(client.slack.of("chat.startStream")) == 1
    assert client.model.remaining == 1 and len(client.model.requests) == 1


def test_garbled_payloads_for_the_new_surfaces_crash_no_handler(serve: Any, errors: Any) -> None:
    client = _agent(serve, [])
    for event in (
        {"type": "app_home_opened", "tab": "messages", "channel": "D1"},  # no user
        {"type": "app_home_opened", "user": "U1", "tab": "messages"},  # no channel
        {"type": "app_home_opened", "user": "U1", "tab": {"x": 1}, "channel": "D1"},
        {"type": "app_context_changed"},
    ):
        assert _send(client, event) == 200
    presses: list[dict[str, Any]] = [
        {**_press("up:c:1", "U1"), "channel": None, "message": None},  # from a modal
        {
            "type": "block_actions",
            "user": {"id": "U1"},
            "actions": [{"action_id": "coworker_home_key", "type": "button"}],
        },  # the connect button, without the trigger_id it needs
    ]
    for payload in presses:
        assert client.interaction(payload).status_code in (200, 400), payload
    stateless = {"id": "V1", "callback_id": "coworker_key_modal", "type": "modal"}
    submitted = {"type": "view_submission", "user": {"id": "U1"}, "view": stateless}
    answer = client.interaction(submitted)
    assert answer.status_code == 200 and answer.json()["response_action"] == "errors"
    _barrier(client, "U1")
    assert client.slack.of("views.open") == [] and client.slack.of("chat.postEphemeral") == []
