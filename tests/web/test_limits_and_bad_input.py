"""Bodies too large, JSON too deep, text that cannot be stored, malformed tokens, header
injection and credentials in URLs: refused with a 4xx in the error shape, never a 500
(issue 14, items 3, 4 and 7). Real HTTP against a real server; the store on SQLite and
PostgreSQL. The oversized uploads against a server process, measured from outside, are in
`test_body_limit_process.py`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.agent.conftest import settings_for
from tests.support.databases import shared_database
from tests.support.servers import run_asgi_server

from coworker.channels.web.identity import mint_token
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import DEMO_USERS, demo_id
from coworker.server import create_app
from coworker.store.facade import Store

S = ScriptedModel
SECRET = "limits-web-secret"
JANE = demo_id("lead", "northwind:jane-smith")
CRM = {"Authorization": f"Bearer {DEMO_USERS[0].key}"}
DEEP = b"[" * 100_000 + b"]" * 100_000
JSON = {"Content-Type": "application/json"}
MCP_ACCEPT = {"Accept": "application/json, text/event-stream"}
# Each surface its own limit, so a test can tell which one applied.
LIMITS = {
    "max_body_bytes": 64 * 1024,
    "mcp_max_body_bytes": 48 * 1024,
    "slack_max_body_bytes": 16 * 1024,
    "sandbox_max_body_bytes": 32 * 1024,
}
SURFACES = {  # path: its limit
    "/api/chat": LIMITS["max_body_bytes"],
    "/mcp": LIMITS["mcp_max_body_bytes"],
    "/slack/events": LIMITS["slack_max_body_bytes"],
    "/sandbox/api/v1/leads": LIMITS["sandbox_max_body_bytes"],
}


def token(subject: str = "pat") -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(SECRET, subject)}"}


def refused(answer: httpx.Response, status: int, *words: str) -> None:
    """A refusal in the error shape: `{"error": "..."}` with `status`."""
    assert answer.status_code == status, answer.text[:300]
    message = answer.json()["error"]
    assert isinstance(message, str) and message
    for word in words:
        assert word in message, message


class Server:
    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=30)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    started: list[Any] = []

    def start(turns: list[Any] | None = None, **overrides: Any) -> Server:
        values: dict[str, Any] = {
            "web_secret": SECRET,
            "slack_bot_token": "xoxb-test",
            "slack_signing_secret": "limits-signing-secret",
            **LIMITS,
            **overrides,
        }
        app = create_app(settings_for(tmp_path, **values), model=ScriptedModel(turns or []))
        context = run_asgi_server(app)
        started.append(context)
        return Server(context.__enter__())

    yield start
    for context in started:
        context.__exit__(None, None, None)


@pytest.fixture
def server(serve: Any) -> Server:
    started: Server = serve()
    return started


# -- 3. body limits -----------------------------------------------------------------------


@pytest.mark.parametrize("path", list(SURFACES))
def test_a_body_over_its_surface_limit_is_413_before_auth(server: Server, path: str) -> None:
    limit = SURFACES[path]
    answer = server.http.post(path, content=b"x" * (limit + 1), headers=JSON)  # no token
    refused(answer, 413, str(limit))


@pytest.mark.parametrize("path", list(SURFACES))
def test_a_body_at_its_surface_limit_gets_through_to_the_route(server: Server, path: str) -> None:
    answer = server.http.post(path, content=b" " * SURFACES[path], headers=JSON)
    assert answer.status_code not in (413, 500), answer.text[:200]


@pytest.mark.parametrize("path", list(SURFACES))
def test_a_chunked_body_without_length_is_counted_and_stopped(server: Server, path: str) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        for _ in range(64):  # 4 MB offered, in 64 KB pieces
            sent += 1
            yield b"x" * 65536

    answer = server.http.post(path, content=chunks(), headers=JSON)
    assert "content-length" not in answer.request.headers
    refused(answer, 413, str(SURFACES[path]))


def test_a_chunked_chat_within_the_limit_is_answered(serve: Any) -> None:
    server = serve([S.text("Hello.")])
    body = json.dumps({"message": "hi"}).encode()
    answer = server.http.post(
        "/api/chat", content=iter([body[:5], body[5:]]), headers={**JSON, **token()}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["reply"] == "Hello."


def test_the_sandbox_on_its_own_port_has_its_limit_too() -> None:
    from coworker.sandbox.app import create_sandbox_app

    with run_asgi_server(create_sandbox_app(max_body_bytes=4096)) as url:
        answer = httpx.post(url + "/api/v1/leads", content=b"x" * 5000, headers=CRM)
        refused(answer, 413, "4096")
        deep = httpx.post(url + "/api/v1/leads", content=DEEP, headers={**CRM, **JSON})
        refused(deep, 413)  # bigger than the limit: refused before it is even measured


# -- 4. JSON too deep, text that cannot be stored ---------------------------------------


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/api/chat", token()),
        ("/api/actions/some-id/approve", token()),
        ("/api/me/settings", token()),
        ("/mcp", {**token(), **MCP_ACCEPT}),
        ("/slack/events", {}),
        ("/sandbox/api/v1/leads", CRM),
        ("/sandbox/api/v1/emails", CRM),
    ],
)
@pytest.mark.parametrize(
    "body",
    [
        b"[" * 5_000 + b"]" * 5_000,  # deep enough for RecursionError, within every limit
        b'{"message": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
        b'{"a":' * 2_000 + b"1" + b"}" * 2_000,
        b"{" * 10_000,  # unbalanced, too
    ],
    ids=["array", "in-a-field", "objects", "unclosed"],
)
def test_json_nested_too_deep_is_400_on_every_surface(
    server: Server, path: str, headers: dict[str, str], body: bytes
) -> None:
    method = "PUT" if path.endswith("/settings") else "POST"
    answer = server.http.request(method, path, content=body, headers={**JSON, **headers})
    refused(answer, 400, "nested deeper than 64")


def test_brackets_inside_strings_are_not_nesting(serve: Any) -> None:
    server = serve([S.text("Fine.")])
    message = "[" * 5000 + '\\"{' * 500
    answer = server.http.post("/api/chat", json={"message": message}, headers=token())
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    "raw",
    [
        b'{"message": "hi \\ud800 there"}',
        b'{"message": "low first \\udc00"}',
        b'{"message": "reversed \\udc00\\ud800"}',
        b'{"message": "hi", "conversation_id": "\\uDBFF"}',
        b'{"message": "raw bytes \xed\xa0\x80"}',
        b'{"message": "a key", "\\ud800": 1}',
    ],
)
def test_a_lone_surrogate_in_a_chat_message_is_422_and_not_stored(
    server: Server, raw: bytes
) -> None:
    answer = server.http.post("/api/chat", content=raw, headers={**JSON, **token()})
    refused(answer, 422, "surrogate")
    assert server.http.get("/api/conversations", headers=token()).json()["conversations"] == []


def test_a_valid_surrogate_pair_and_an_escaped_backslash_are_fine(serve: Any) -> None:
    server = serve([S.text("Nice."), S.text("Again.")])
    emoji = b'{"message": "party \\ud83c\\udf89"}'
    answer = server.http.post("/api/chat", content=emoji, headers={**JSON, **token()})
    assert answer.status_code == 200, answer.text
    literal = b'{"message": "a literal \\\\ud800 is text"}'
    answer = server.http.post("/api/chat", content=literal, headers={**JSON, **token()})
    assert answer.status_code == 200, answer.text
    conversation = answer.json()["conversation_id"]
    shown = server.http.get(f"/api/conversations/{conversation}", headers=token())
    assert "\\ud800" in shown.json()["messages"][0]["parts"][0]["text"]


def test_the_sandbox_refuses_a_lone_surrogate_with_422(server: Server) -> None:
    raw = b'{"lead_id": "%s", "body": "note \\ud800"}' % JANE.encode()
    answer = server.http.post("/sandbox/api/v1/notes", content=raw, headers={**JSON, **CRM})
    refused(answer, 422, "surrogate")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_text_from_the_model_or_crm_cannot_break_a_later_read(
    backend: str, tmp_path: Path
) -> None:
    """What a person cannot send (refused above) may still come from the model or the CRM:
    the store replaces lone surrogates and NULs, so every later read can encode them."""
    async with shared_database(backend, tmp_path, purpose="storable") as url:
        store = await Store.open(url)
        try:
            user = await store.ensure_user("web:pat", display_name="Pat \ud800")
            conversation = await store.get_or_create_conversation(
                user.id, "web", "k1", title="title \udfff with NUL \x00"
            )
            text = "model said \ud800 and \x00 and 🎉"
            await store.append_messages(
                conversation.id,
                [
                    {"role": "assistant", "content": [{"type": "text", "text": text}]},
                    {"role": "user", "content": [{"type": "text", "text": "key", "\udc00": 1}]},
                ],
            )
            messages = await store.load_messages(conversation.id)
            shown = json.dumps(messages, ensure_ascii=False).encode("utf-8")  # no error
            assert "model said \ufffd and \ufffd and 🎉".encode() in shown
            again = await store.get_conversation(conversation.id)
            assert again is not None and again.title == "title \ufffd with NUL \ufffd"
            found = await store.get_user(user.id)
            assert found is not None and found.display_name == "Pat \ufffd"
        finally:
            await store.close()


def test_a_model_reply_with_a_lone_surrogate_reads_back(serve: Any) -> None:
    server = serve([S.text("odd \ud800 reply")])
    answer = server.http.post("/api/chat", json={"message": "hi"}, headers=token())
    assert answer.status_code == 200, answer.text
    conversation = answer.json()["conversation_id"]
    for _ in range(2):  # for good, not once
        shown = server.http.get(f"/api/conversations/{conversation}", headers=token())
        assert shown.status_code == 200, shown.text
    texts = [p.get("text") for m in shown.json()["messages"] for p in m["parts"]]
    assert "odd \ufffd reply" in texts


# -- 4. malformed tokens -------------------------------------------------------------------


def _malformed_tokens() -> list[bytes]:
    good = mint_token(SECRET, "pat").encode()
    payload, _, signature = good.partition(b".")
    return [
        good[:-1] + b"\xe9",  # a non-ASCII byte in the signature
        payload + b"." + b"\xff" * len(signature),
        b"\xe9" + good,
        payload + b".",
        b"." + signature,
        b"..",
        b"a.b.c",
        payload + b"." + signature + b"%",
        b"not-a-token",
        b"x" * 4000,
    ]


@pytest.mark.parametrize("bad", _malformed_tokens())
@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/api/me"), ("POST", "/api/chat"), ("POST", "/mcp")]
)
def test_any_malformed_token_is_401(server: Server, bad: bytes, method: str, path: str) -> None:
    headers: dict[str, Any] = {"Authorization": b"Bearer " + bad, **JSON, **MCP_ACCEPT}
    answer = server.http.request(method, path, content=b'{"message": "hi"}', headers=headers)
    assert answer.status_code == 401, answer.text
    assert answer.json()["error"]


# -- 4. Slack: the signature before any parsing ---------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"type": "event_callback", "event": ' + b"[" * 50 + b"]" * 50 + b"}", JSON),
        (b"payload=" + b"%5B" * 3_000, {"Content-Type": "application/x-www-form-urlencoded"}),
        (b"payload=%7B%22type%22%3A" + b"%5B" * 5_000, {"Content-Type": "text/plain"}),
        (b"\xff\xfe garbage", {"Content-Type": "application/x-www-form-urlencoded"}),
        (b'{"type": "url_verification", "challenge": "x"}', JSON),
    ],
)
def test_an_unsigned_slack_body_is_401_whatever_it_holds(
    server: Server, body: bytes, content_type: dict[str, str]
) -> None:
    answer = server.http.post("/slack/events", content=body, headers=content_type)
    refused(answer, 401, "signature")


def test_an_unsigned_deeply_nested_slack_body_is_refused_not_500(server: Server) -> None:
    answer = server.http.post("/slack/events", content=DEEP[:60_000], headers=JSON)
    assert answer.status_code in (400, 401, 413), answer.text


def _slack_signed(body: bytes, content_type: str = "application/json") -> dict[str, str]:
    import time

    from slack_sdk.signature import SignatureVerifier

    ts = str(int(time.time()))
    signature = SignatureVerifier("limits-signing-secret").generate_signature(
        timestamp=ts, body=body.decode()
    )
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }


def _form(payload: str) -> bytes:
    from urllib.parse import urlencode

    return urlencode({"payload": payload}).encode()


FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        *((shape, "application/json") for shape in (b"[]", b'["x"]', b"[null]", b'"x"')),
        *((shape, "application/json") for shape in (b"null", b"1", b"true", b" [ ] ")),
        (b'{"type": "event_callback"}', "application/json"),
        (b'{"type": "event_callback", "event": []}', "application/json"),
        (b'{"type": 1, "event": "x"}', "application/json"),
        (b"[]", FORM),
        (b'"x"', "text/plain"),
        *((_form(p), FORM) for p in ("[]", '["x"]', "[null]", '"x"', "null", "1", "{nope")),
        (_form('{"type": "block_actions", "actions": "x", "user": []}'), FORM),
        (b"payload=1&payload=2", FORM),
    ],
)
def test_a_signed_slack_body_of_a_shape_slack_never_sends_is_400(
    server: Server, body: bytes, content_type: str
) -> None:
    """Signed, so a misbehaving client rather than a forger: refused, never a 500."""
    answer = server.http.post(
        "/slack/events", content=body, headers=_slack_signed(body, content_type)
    )
    assert answer.status_code in (200, 400), answer.text[:300]
    if answer.status_code == 400:
        assert answer.json()["error"]


@pytest.mark.parametrize(
    "shape", [b"[]", b'["x"]', b"[null]", b'"x"', b"null", b"1", _form("[]"), _form('"x"')]
)
def test_a_signed_slack_body_that_is_not_an_object_is_400_in_the_error_shape(
    server: Server, shape: bytes
) -> None:
    content_type = FORM if shape.startswith(b"payload=") else "application/json"
    answer = server.http.post(
        "/slack/events", content=shape, headers=_slack_signed(shape, content_type)
    )
    refused(answer, 400)


# -- 4. header injection -------------------------------------------------------------------


# Every character str.splitlines() (and so the email package's header folding) breaks a line
# at, and controls that have no place in a header.
LINE_BREAKS = ["\r", "\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
HEADER_BREAKS = [*LINE_BREAKS, "\x00", "\x1b", "\x7f", "\x9b"]


def test_the_list_of_line_breaks_is_every_one_python_knows() -> None:
    known = [c for c in map(chr, range(0x110000)) if len(f"a{c}b".splitlines()) > 1]
    assert sorted(known) == sorted(LINE_BREAKS)


@pytest.mark.parametrize("field", ["subject", "to_email"])
@pytest.mark.parametrize(
    "value",
    ["Hi\r\nBcc: evil@example.com", *(f"Hi{c}Bcc: evil@example.com" for c in HEADER_BREAKS)],
)
def test_the_sandbox_refuses_a_line_break_in_an_email_header(
    server: Server, field: str, value: str
) -> None:
    accounts = server.http.get("/sandbox/api/v1/email-accounts", headers=CRM).json()
    account = accounts["email_accounts"][0]["id"]
    email = {
        "email_account_id": account,
        "to_email": "jane@example.com",
        "subject": "Hello",
        "body_text": "Hello",
        field: value,
    }
    answer = server.http.post("/sandbox/api/v1/emails", json=email, headers=CRM)
    refused(answer, 400, "single line", field)
    sent = server.http.get("/sandbox/api/v1/emails", headers=CRM).json()["emails"]
    assert all(e[field] != value for e in sent)


def test_a_tab_or_non_ascii_text_in_a_subject_is_fine(server: Server) -> None:
    accounts = server.http.get("/sandbox/api/v1/email-accounts", headers=CRM).json()
    email = {
        "email_account_id": accounts["email_accounts"][0]["id"],
        "to_email": "jane@example.com",
        "subject": "Pricing\tfür Sie — 2025 \u00a0✓",
        "body_text": "Line one\nline two\u2028",  # the body is not a header
    }
    answer = server.http.post("/sandbox/api/v1/emails", json=email, headers=CRM)
    assert answer.status_code in (200, 201), answer.text


def test_the_coworker_refuses_a_line_break_in_a_subject_it_is_asked_to_send(
    serve: Any,
) -> None:
    injected = {"lead_id": JANE, "subject": "Hi\r\nBcc: evil@example.com", "body_text": "Hi"}
    server = serve([S.tool_calls(("send_email", injected)), S.text("I could not send that.")])
    answer = server.http.post("/api/chat", json={"message": "email jane"}, headers=token())
    assert answer.status_code == 200, answer.text
    assert answer.json()["actions"] == []  # nothing waits for approval


@pytest.mark.parametrize("mark", ["\r\n", "\x85", "\u2028", "\u2029", "\v", "\f", "\x1e"])
def test_an_approval_edit_with_a_line_break_in_the_subject_is_422(serve: Any, mark: str) -> None:
    email = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane."}
    server = serve([S.tool_calls(("send_email", email)), S.text("Waiting."), S.text("Sent.")])
    answer = server.http.post("/api/chat", json={"message": "email jane"}, headers=token())
    (action,) = answer.json()["actions"]
    edits = {"edits": {"subject": f"Pricing{mark}Bcc: evil@example.com"}}
    approved = server.http.post(f"/api/actions/{action['id']}/approve", json=edits, headers=token())
    refused(approved, 422, "single line")
    outbox = server.http.get("/sandbox/api/v1/emails", params={"lead_id": JANE}, headers=CRM)
    assert outbox.json()["emails"] == []


@pytest.mark.parametrize("field", ["subject", "to_email"])
@pytest.mark.parametrize("mark", ["\x85", "\u2028", "\u2029", "\x0b"])
def test_the_coworker_refuses_any_line_break_in_a_header_it_is_asked_to_send(
    serve: Any, field: str, mark: str
) -> None:
    injected = {"lead_id": JANE, "subject": "Hi", "body_text": "Hi"}
    injected[field] = f"jane@example.com{mark}Bcc: evil@example.com"
    server = serve([S.tool_calls(("send_email", injected)), S.text("I could not send that.")])
    answer = server.http.post("/api/chat", json={"message": "email jane"}, headers=token())
    assert answer.status_code == 200, answer.text
    assert answer.json()["actions"] == []  # nothing waits for approval


# -- 7. credentials in URLs ----------------------------------------------------------------


def test_credentials_in_urls_are_never_shown(
    serve: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.INFO)
    crm = "http://crm-user:crm-pass-123@127.0.0.1:9/base?api_key=crm-key-456"
    database = f"sqlite+aiosqlite:///{tmp_path / 'creds.db'}?password=db-pass-789"
    server = serve(dialsheet_base_url=crm, database_url=database)
    me = server.http.get("/api/me", headers=token())
    assert me.status_code == 200, me.text
    shown = me.text + "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("crm-pass-123", "crm-user", "crm-key-456", "db-pass-789"):
        assert secret not in shown
    assert me.json()["crm"] == "http://127.0.0.1:9/base?api_key=***"
    assert "127.0.0.1:9/base" in "\n".join(r.getMessage() for r in caplog.records)
