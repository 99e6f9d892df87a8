"""JSON log lines: ids on every line of a request, and no content unless it is asked for."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from coworker.observability import context
from coworker.observability.context import hash_user
from coworker.observability.logs import JsonFormatter, TextFormatter, log_fields
from tests.observability.conftest import JANE, LogLines, S

Serve = Callable[..., httpx.Client]
JsonLogs = Callable[..., LogLines]

# Recognizable content: the person's message, a tool input, an email body, a search term in
# a query string, and the model's reply.
MESSAGE = "Please email Jane about PINEAPPLE-4471"
SEARCH = "zebra-9931"
BODY = "Hi Jane, MANGO-5512 pricing attached."
QUERY = "kiwi-2291"
REPLY = "Drafted it: GUAVA-7730."
SECRETS = (MESSAGE, "PINEAPPLE-4471", SEARCH, BODY, "MANGO-5512", QUERY, REPLY, "GUAVA-7730")


def _chat_with_content(serve: Serve, **settings: object) -> tuple[httpx.Client, dict[str, object]]:
    email = {"lead_id": JANE, "subject": "Pricing", "body_text": BODY}
    client = serve(
        [S.tool_calls(("search_leads", {"search": SEARCH}), ("send_email", email)), S.text(REPLY)],
        **settings,
    )
    body = client.post("/api/chat", json={"message": MESSAGE}).json()
    action = body["actions"][0]
    client.post(f"/api/actions/{action['id']}/approve", json={})
    client.get("/sandbox/api/v1/leads", params={"search": QUERY})
    return client, body


def test_lines_are_json_with_request_conversation_and_hashed_user(
    serve: Serve, json_logs: JsonLogs
) -> None:
    lines = json_logs()
    client = serve([S.tool_calls(("search_leads", {"search": "jane"})), S.text("Jane.")])
    answer = client.post(
        "/api/chat", json={"message": "who is jane?"}, headers={"X-Request-ID": "req-abc.123"}
    )
    assert answer.headers["x-request-id"] == "req-abc.123"
    conversation_id = answer.json()["conversation_id"]
    user_id = client.get("/api/me").json()["id"]

    records = lines.records()  # every line parses
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    (turn,) = lines.with_message("turn done")
    assert turn["request_id"] == "req-abc.123"
    assert turn["conversation_id"] == conversation_id
    assert turn["user"] == hash_user(user_id) and len(turn["user"]) == 16
    assert turn["channel"] == "web" and turn["outcome"] == "end_turn"
    assert turn["model_calls"] == 2 and turn["logger"] == "coworker.agent"
    (tool,) = lines.with_message("tool call")
    assert tool["tool"] == "search_leads" and tool["outcome"] == "ok"
    assert tool["request_id"] == "req-abc.123" and tool["user"] == turn["user"]
    access = [r for r in lines.with_message("request") if r["path"] == "/api/chat"]
    assert access[0]["status"] == 200 and access[0]["request_id"] == "req-abc.123"
    assert access[0]["conversation_id"] == conversation_id
    assert user_id not in lines.text


def test_a_request_id_is_made_when_none_or_a_strange_one_is_sent(serve: Serve) -> None:
    client = serve([])
    made = client.get("/healthz").headers["x-request-id"]
    assert len(made) == 32 and made != client.get("/healthz").headers["x-request-id"]
    for odd in ("two words", "x" * 129, "a\tb"):
        answer = client.get("/healthz", headers={"X-Request-ID": odd})
        assert len(answer.headers["x-request-id"]) == 32


def test_no_message_text_payloads_or_query_strings_by_default(
    serve: Serve, json_logs: JsonLogs
) -> None:
    lines = json_logs()
    _chat_with_content(serve)
    messages = {r["message"] for r in lines.records()}
    assert {"turn done", "tool call", "request"} <= messages  # the run was logged...
    for secret in SECRETS:  # ...without any of its content
        assert secret.lower() not in lines.text.lower(), secret


def test_content_is_logged_when_switched_on(serve: Serve, json_logs: JsonLogs) -> None:
    lines = json_logs()  # the app's own setting decides for its requests
    _chat_with_content(serve, log_content=True)
    first, resumed = lines.with_message("turn done")
    assert first["message_text"] == MESSAGE and first["outcome"] == "confirmation"
    assert resumed["reply"] == REPLY
    calls = {r["tool"]: r for r in lines.with_message("tool call")}
    assert calls["search_leads"]["input"] == {"search": SEARCH}
    assert calls["send_email"]["input"]["body_text"] == BODY
    assert '"total"' in calls["search_leads"]["result"]
    sandbox = [r for r in lines.with_message("request") if r["path"].startswith("/sandbox")]
    assert sandbox[0]["query"] == f"search={QUERY}"


def _format(formatter: logging.Formatter, record: logging.LogRecord) -> str:
    return formatter.format(record)


def _failing_record() -> logging.LogRecord:
    try:
        raise ValueError(f"bad input: {BODY}")
    except ValueError:
        logger = logging.getLogger("coworker.test")
        return logger.makeRecord(
            "coworker.test",
            logging.ERROR,
            __file__,
            1,
            "it broke",
            (),
            __import__("sys").exc_info(),
            extra=log_fields(tool="send_email"),
        )


def test_exception_messages_are_withheld_unless_content_is_on() -> None:
    record = _failing_record()
    line = json.loads(_format(JsonFormatter(), record))
    assert line["error_type"] == "ValueError" and line["tool"] == "send_email"
    assert "test_logs.py" in line["exception"] and "MANGO" not in line["exception"]
    assert "MANGO" not in _format(TextFormatter(), record)
    token = context.log_content.set(True)
    try:
        assert "MANGO-5512" in json.loads(_format(JsonFormatter(), record))["exception"]
    finally:
        context.log_content.reset(token)


def test_text_format_keeps_the_fields(json_logs: JsonLogs) -> None:
    record = logging.getLogger("coworker.test").makeRecord(
        "coworker.test",
        logging.INFO,
        __file__,
        1,
        "tool call",
        (),
        None,
        extra=log_fields(tool="list_tags", outcome="ok", note="two words"),
    )
    token = context.request_id.set("r1")
    try:
        text = TextFormatter().format(record)
    finally:
        context.request_id.reset(token)
    assert text.endswith(
        'coworker.test: tool call request_id=r1 tool=list_tags outcome=ok note="two words"'
    )


def test_auto_format_is_json_off_a_terminal(json_logs: JsonLogs) -> None:
    lines = json_logs(log_format="auto")  # a StringIO is no terminal
    logging.getLogger("coworker.test").warning("hello %s", "there")
    (record,) = [r for r in lines.records() if r["logger"] == "coworker.test"]
    assert record["message"] == "hello there" and record["level"] == "WARNING"


@pytest.mark.parametrize("content", [False, True])
def test_http_client_request_lines_follow_the_content_setting(
    json_logs: JsonLogs, content: bool
) -> None:
    json_logs(log_content=content)
    quiet = logging.getLogger("httpx").getEffectiveLevel() > logging.INFO
    assert quiet is not content


def test_a_second_configure_replaces_its_own_handler(json_logs: JsonLogs) -> None:
    json_logs()
    lines = json_logs()
    logging.getLogger("coworker.test").warning("once")
    assert len([r for r in lines.records() if r["message"] == "once"]) == 1
    ours = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    assert len(ours) == 1
    assert isinstance(lines.stream, io.StringIO)


def test_configure_leaves_a_logging_setup_it_did_not_make_alone(json_logs: JsonLogs) -> None:
    json_logs()  # restores logging afterwards
    root = logging.getLogger()
    foreign = logging.StreamHandler(io.StringIO())
    root.addHandler(foreign)
    try:
        from coworker.observability.logs import configure
        from tests.agent.conftest import settings_for

        assert configure(settings_for(Path("."), log_content=True)) is None
        assert foreign in root.handlers
        assert logging.getLogger("httpx").level == logging.NOTSET  # the content setting holds
    finally:
        root.removeHandler(foreign)
