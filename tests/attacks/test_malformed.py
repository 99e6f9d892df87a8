"""Malformed input: 4xx with the error wrapper, never 500, no stored value breaks a read."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from tests.attacks.conftest import (
    ALEX_KEY,
    Server,
    Slack,
    assert_error_wrapper,
    auth,
    b64,
    mcp_raw,
    new_user,
    token,
)

SURROGATE = '"bad \\ud800 text"'  # a lone UTF-16 surrogate, as JSON text


def _reads_still_work(server: Server, user: str) -> None:
    """Every read of this person's data still answers."""
    headers = auth(user)
    listed = httpx.get(server.url + "/api/conversations", headers=headers, timeout=30)
    assert listed.status_code == 200, listed.text[:300]
    for conversation in listed.json()["conversations"]:
        one = httpx.get(
            f"{server.url}/api/conversations/{conversation['id']}", headers=headers, timeout=30
        )
        assert one.status_code == 200, one.text[:300]
    for path in ("/api/actions", "/api/me", "/api/me/settings"):
        answer = httpx.get(server.url + path, headers=headers, timeout=30)
        assert answer.status_code == 200, f"{path}: {answer.text[:300]}"


def _backend(request: pytest.FixtureRequest, name: str) -> Server:
    if name == "sqlite":
        return request.getfixturevalue("server")  # type: ignore[no-any-return]
    return request.getfixturevalue("pg_replicas")[0]  # type: ignore[no-any-return]


def _raw(
    server: Server,
    method: str,
    path: str,
    body: str | bytes,
    user: str,
    content_type: str = "application/json",
) -> httpx.Response:
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    return httpx.request(
        method,
        server.url + path,
        content=data,
        timeout=60,
        headers={**auth(user), "Content-Type": content_type},
    )


WEB_FIELDS = [
    ("POST", "/api/chat", '{"message": %s}'),
    ("POST", "/api/chat", '{"message": "hi", "conversation_id": %s}'),
    ("POST", "/api/actions/{action}/approve", '{"edits": {"subject": %s}}'),
    ("POST", "/api/actions/{action}/approve", '{"edits": {"body": %s}}'),
    ("POST", "/api/actions/{action}/approve", '{"edits": {%s: "x"}}'),
    ("POST", "/api/actions/{action}/reject", '{"reason": %s}'),
    ("PUT", "/api/me/dialsheet-key", '{"key": %s}'),
    ("PUT", "/api/me/settings", '{"timezone": %s}'),
    ("PUT", "/api/me/settings", '{"time": %s}'),
    ("PUT", "/api/me/settings", '{"channel": %s}'),
    ("PUT", "/api/me/settings", '{"weekdays": [%s]}'),
]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
@pytest.mark.parametrize(
    ("method", "path", "template"),
    WEB_FIELDS,
    ids=[f"{p.split('/')[-1]}:{t[2:14]}" for _, p, t in WEB_FIELDS],
)
def test_lone_surrogate_in_every_web_field_is_refused_and_reads_still_work(
    request: pytest.FixtureRequest, backend: str, method: str, path: str, template: str
) -> None:
    """A lone surrogate in any text field: 4xx wrapper, and every later read still answers."""
    server = _backend(request, backend)
    user = new_user("sur")
    if "{action}" in path:
        lead = server.new_lead()
        card = server.propose(user, f"email {lead['name']} about pricing: Hi, pricing.")
        path = path.format(action=card["id"])
    answer = _raw(server, method, path, template % SURROGATE, user)
    assert_error_wrapper(answer)
    _reads_still_work(server, user)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
@pytest.mark.parametrize(
    "text", ["a\u0000b", "\u0000", "x" + "\u0000" * 50], ids=["nul-inside", "only-nul", "many-nul"]
)
def test_nul_bytes_in_a_message_never_break_the_conversation(
    request: pytest.FixtureRequest, backend: str, text: str
) -> None:
    """NUL in a chat message: refused (4xx) or stored so that the conversation still reads."""
    server = _backend(request, backend)
    user = new_user("nul")
    answer = httpx.post(
        server.url + "/api/chat", json={"message": text}, headers=auth(user), timeout=60
    )
    assert answer.status_code < 500, answer.text[:300]
    _reads_still_work(server, user)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
@pytest.mark.parametrize("ident", ["not-a-uuid", "%ff%fe", "x" * 5000, "' OR '1'='1", "%00"])
def test_garbage_ids_in_paths_are_404_not_500(
    request: pytest.FixtureRequest, backend: str, ident: str
) -> None:
    """Non-UUID, invalid-UTF-8, huge and NUL ids in paths and conversation_id: 4xx, never 500."""
    server = _backend(request, backend)
    user = new_user("ids")
    headers = auth(user)
    for method, path in (
        ("GET", f"/api/conversations/{ident}"),
        ("POST", f"/api/actions/{ident}/approve"),
        ("POST", f"/api/actions/{ident}/reject"),
    ):
        answer = httpx.request(method, server.url + path, headers=headers, json={}, timeout=30)
        assert answer.status_code in (404, 422), f"{path[:60]}: {answer.status_code}"
    chat = httpx.post(
        server.url + "/api/chat",
        headers=headers,
        timeout=30,
        json={"message": "hi", "conversation_id": ident},
    )
    assert chat.status_code in (404, 422), chat.text[:200]
    _reads_still_work(server, user)


def _deep(n: int, kind: str = "list") -> str:
    return "[" * n + "]" * n if kind == "list" else '{"a":' * n + "1" + "}" * n


DEEP_TARGETS = [
    "/api/chat",
    "/api/actions/{action}/approve",
    "/api/me/settings",
    "/mcp",
    "/slack/events",
    "/sandbox/api/v1/leads",
    "crm:/api/v1/leads",
]


@pytest.mark.parametrize("kind", ["list", "object"])
@pytest.mark.parametrize("target", DEEP_TARGETS)
def test_deeply_nested_json_is_400_everywhere(server: Server, target: str, kind: str) -> None:
    """100k-deep JSON (unsigned, untokened and with a valid token): 4xx, server healthy."""
    user = new_user("deep")
    path = target.replace("{action}", str(uuid.uuid4()))
    base = server.url
    if path.startswith("crm:"):
        base, path = server.crm or "", path[4:]
    method = "PUT" if path == "/api/me/settings" else "POST"
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {ALEX_KEY}"
        if "api/v1" in path
        else f"Bearer {token(user, audience='mcp' if path == '/mcp' else None)}",
        "Accept": "application/json, text/event-stream",
    }
    answer = httpx.request(
        method, base + path, content=_deep(100_000, kind), headers=headers, timeout=60
    )
    assert answer.status_code < 500, f"{answer.status_code}: {answer.text[:200]}"
    assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200


def test_deep_json_inside_a_signed_slack_event(slack: Slack) -> None:
    """A correctly signed Slack body nested 50k deep: 4xx, never 500."""
    body = '{"type": "event_callback", "event": ' + _deep(50_000, "object") + "}"
    assert slack.signed(body).status_code < 500


@pytest.mark.parametrize("depth", [500, 2000, 20_000])
def test_deep_value_inside_an_mcp_tool_argument(server: Server, depth: int) -> None:
    """A tool argument nested deep (schema validation recursion): never a 5xx, still serving."""
    user = new_user("mcpdeep")
    args = '{"search": ' + _deep(depth) + "}"
    body = (
        '{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": '
        '{"name": "search_leads", "arguments": ' + args + "}}"
    )
    answer = mcp_raw(server.url, user, body)
    assert answer.status_code < 500, answer.text[:300]
    assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200


HUGE = [
    ("POST", "/api/chat", '{"message": 1e999}'),
    ("POST", "/api/chat", '{"message": ' + "9" * 5000 + "}"),
    ("POST", "/api/chat", '{"message": "hi", "conversation_id": ' + "9" * 5000 + "}"),
    ("PUT", "/api/me/settings", '{"enabled": ' + "9" * 5000 + "}"),
    ("POST", "/api/actions/{action}/approve", '{"edits": {"subject": -1e999}}'),
    ("POST", "/sandbox/api/v1/opportunities", '{"lead_id": "{lead}", "name": "x", "value": 1e999}'),
    (
        "POST",
        "/sandbox/api/v1/opportunities",
        '{"lead_id": "{lead}", "name": "x", "value": ' + "9" * 40 + "}",
    ),
    (
        "POST",
        "/sandbox/api/v1/tasks",
        '{"title": "t", "due_at": "2026-01-01T00:00:00Z", '
        '"priority": "high", "lead_id": ' + "9" * 4400 + "}",
    ),
    (
        "GET",
        "/sandbox/api/v1/leads?limit=99999999999999999999999999&page=-99999999999999999999",
        "",
    ),
    ("GET", "/sandbox/api/v1/leads?limit=NaN&page=1e999", ""),
]


@pytest.mark.parametrize(
    ("method", "path", "body"), HUGE, ids=[f"{m}{p[:24]}-{i}" for i, (m, p, _) in enumerate(HUGE)]
)
def test_huge_numbers_are_refused_not_crashed(
    server: Server, method: str, path: str, body: str
) -> None:
    """Numbers past int/float/SQLite range in bodies and queries: 4xx wrapper, never 500."""
    user = new_user("num")
    if "{action}" in path:
        lead = server.new_lead()
        path = path.replace(
            "{action}", server.propose(user, f"email {lead['name']} about x: y")["id"]
        )
    if "{lead}" in body:
        body = body.replace("{lead}", server.new_lead()["id"])
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {ALEX_KEY}" if "/sandbox/" in path else f"Bearer {token(user)}",
    }
    answer = httpx.request(
        method, server.url + path, content=body or None, headers=headers, timeout=60
    )
    assert_error_wrapper(answer)


def test_huge_integers_in_mcp_tool_arguments(server: Server) -> None:
    """MCP list_* with limit 10**30 and 10**5000: a tool error or a page, never a 5xx."""
    user = new_user("mcpnum")
    for limit in ("1" + "0" * 30, "9" * 5000, "-1e999"):
        body = (
            '{"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": '
            '"search_leads", "arguments": {"search": "a", "limit": ' + limit + "}}}"
        )
        answer = mcp_raw(server.url, user, body)
        assert answer.status_code < 500, answer.text[:300]
    leads = httpx.get(
        server.crm + "/api/v1/leads",
        headers={"Authorization": f"Bearer {ALEX_KEY}"},  # type: ignore[operator]
        timeout=30,
    )
    assert leads.status_code == 200


INVALID_UTF8 = [
    b'{"message": "\xff\xfe caf\xc3"}',
    b'{"message": "\xed\xa0\x80"}',
    b'{"mes\x80sage": "hi"}',
]


@pytest.mark.parametrize("body", INVALID_UTF8, ids=["ff-fe", "encoded-surrogate", "bad-key"])
@pytest.mark.parametrize(
    "target", ["/api/chat", "/mcp", "/sandbox/api/v1/leads", "crm:/api/v1/leads"]
)
def test_invalid_utf8_bytes_are_refused(server: Server, target: str, body: bytes) -> None:
    """Raw invalid UTF-8 in a JSON body: 4xx, never 500, nothing stored."""
    user = new_user("utf8")
    base, path = (
        (server.crm or "", target[4:]) if target.startswith("crm:") else (server.url, target)
    )
    key = (
        f"Bearer {ALEX_KEY}"
        if "api/v1" in path
        else f"Bearer {token(user, audience='mcp' if path == '/mcp' else None)}"
    )
    answer = httpx.post(
        base + path,
        content=body,
        timeout=30,
        headers={
            "Content-Type": "application/json",
            "Authorization": key,
            "Accept": "application/json, text/event-stream",
        },
    )
    assert answer.status_code < 500 and answer.status_code >= 400, answer.text[:200]
    if path.startswith("/api/"):
        _reads_still_work(server, user)


@pytest.mark.parametrize("field", ["name", "email", "company", "title"])
@pytest.mark.parametrize("mount", ["crm", "sandbox"])
def test_sandbox_lone_surrogate_in_lead_fields(server: Server, field: str, mount: str) -> None:
    """Sandbox POST /leads with a lone surrogate in any field: 400 wrapper; listing still works."""
    base = server.crm + "/api/v1" if mount == "crm" else server.url + "/sandbox/api/v1"  # type: ignore[operator]
    body = {"name": "Surrogate Test", "email": "s@t.example", field: "PLACEHOLDER"}
    raw = json.dumps(body).replace('"PLACEHOLDER"', SURROGATE).encode()
    headers = {"Authorization": f"Bearer {ALEX_KEY}", "Content-Type": "application/json"}
    answer = httpx.post(base + "/leads", content=raw, headers=headers, timeout=30)
    assert_error_wrapper(answer)
    listing = httpx.get(
        base + "/leads", params={"search": "Surrogate"}, headers=headers, timeout=30
    )
    assert listing.status_code == 200


def test_sandbox_query_string_with_invalid_percent_encoding(server: Server) -> None:
    """Search with %ED%A0%80 / %FF / %00 in the query: never 500 on either mount."""
    headers = {"Authorization": f"Bearer {ALEX_KEY}"}
    for base in (server.crm + "/api/v1", server.url + "/sandbox/api/v1"):  # type: ignore[operator]
        for query in ("search=%ED%A0%80", "search=%FF%FE", "search=a%00b", "status=%ED%A0%80"):
            answer = httpx.get(f"{base}/leads?{query}", headers=headers, timeout=30)
            assert answer.status_code < 500, f"{base} {query}: {answer.text[:200]}"


@pytest.mark.parametrize(
    "tool,arguments",
    [
        ("create_lead", {"name": "PLACEHOLDER"}),
        ("search_leads", {"search": "PLACEHOLDER"}),
        ("send_sms", {"lead_id": "00000000-0000-0000-0000-000000000000", "message": "PLACEHOLDER"}),
    ],
    ids=["create_lead", "search_leads", "send_sms"],
)
def test_mcp_lone_surrogate_in_tool_arguments(
    server: Server, tool: str, arguments: dict[str, Any]
) -> None:
    """MCP tool arguments with a lone surrogate: refused without a 5xx; the actions list reads."""
    user = new_user("mcpsur")
    args = json.dumps(arguments).replace('"PLACEHOLDER"', SURROGATE)
    body = (
        '{"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "'
        + tool
        + '", "arguments": '
        + args
        + "}}"
    )
    answer = mcp_raw(server.url, user, body)
    assert answer.status_code < 500, answer.text[:300]
    _reads_still_work(server, user)


def test_slack_message_with_a_lone_surrogate(server: Server, slack: Slack) -> None:
    """A signed Slack DM whose text holds a lone surrogate: acknowledged, no 500, still serving."""
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T0TEAM",
            "event_id": "EvSur1",
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": "DSUR",
                "user": "USUR",
                "text": "PLACEHOLDER",
                "ts": "1700000001.1",
            },
        }
    )
    answer = slack.signed(body.replace('"PLACEHOLDER"', SURROGATE))
    assert answer.status_code < 500
    assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200


CONTENT_TYPES = [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/xml",
    "application/json; charset=latin-1",
    "",
]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
@pytest.mark.parametrize("path", ["/api/chat", "/api/me/settings", "/sandbox/api/v1/leads"])
def test_wrong_content_types(server: Server, content_type: str, path: str) -> None:
    """Bodies declared as text, form, multipart, XML or nothing: 4xx wrapper or a clean answer."""
    user = new_user("ctype")
    headers = {"Authorization": f"Bearer {ALEX_KEY if '/sandbox/' in path else token(user)}"}
    if content_type:
        headers["Content-Type"] = content_type
    method = "PUT" if path.endswith("settings") else "POST"
    answer = httpx.request(
        method, server.url + path, content=b"<message>hi</message>", headers=headers, timeout=30
    )
    assert_error_wrapper(answer)


SHAPES = ["[]", '["hi"]', '[{"message": "hi"}]', '"hi"', "null", "1", "true"]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(
    "path",
    [
        "/api/chat",
        "/api/actions/{action}/approve",
        "/api/actions/{action}/reject",
        "/api/me/settings",
        "/api/me/dialsheet-key",
        "/sandbox/api/v1/leads",
        "/sandbox/api/v1/emails",
    ],
)
def test_non_object_json_bodies(server: Server, shape: str, path: str) -> None:
    """JSON arrays, strings, null, numbers where an object is expected: 4xx wrapper, never 500."""
    user = new_user("shape")
    path = path.replace("{action}", str(uuid.uuid4()))
    headers = {
        "Authorization": f"Bearer {ALEX_KEY if '/sandbox/' in path else token(user)}",
        "Content-Type": "application/json",
    }
    method = "PUT" if "/me/" in path else "POST"
    answer = httpx.request(method, server.url + path, content=shape, headers=headers, timeout=30)
    assert_error_wrapper(answer)


@pytest.mark.parametrize(
    "edits", ["[]", '"subject"', '{"subject": null}', '{"subject": 1}', '[["subject", "x"]]']
)
def test_approve_with_non_object_edits_on_a_real_action(server: Server, edits: str) -> None:
    """`edits` as array/string/null/number on a real pending card: 422 and still pending."""
    user = new_user("edshape")
    lead = server.new_lead()
    card = server.propose(user, f"email {lead['name']} about pricing: Hi, pricing.")
    answer = _raw(
        server, "POST", f"/api/actions/{card['id']}/approve", '{"edits": ' + edits + "}", user
    )
    assert_error_wrapper(answer, allowed=(422,))
    assert server.action(user, card["id"])["status"] == "pending"
    assert server.emails_of(lead["id"]) == []


@pytest.mark.parametrize(
    "shape",
    [
        "[]",
        '[{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}]',
        '"x"',
        "null",
        '{"jsonrpc": "2.0", "id": {"a": 1}}',
    ],
)
def test_mcp_non_object_bodies(server: Server, shape: str) -> None:
    """/mcp with arrays, strings, null, odd ids: a JSON-RPC or HTTP refusal, never 5xx."""
    answer = mcp_raw(server.url, new_user("mcpshape"), shape)
    assert answer.status_code < 500, answer.text[:300]


@pytest.mark.parametrize(
    "shape",
    ["[]", '"x"', "null", '{"type": "event_callback"}', '{"type": "event_callback", "event": []}'],
)
def test_signed_slack_bodies_of_the_wrong_shape(slack: Slack, shape: str) -> None:
    """Correctly signed Slack bodies that are arrays, strings, null or lack an event: no 500."""
    assert slack.signed(shape).status_code < 500


def _forged(kind: str) -> bytes:
    good = token("mallory")
    header, payload, signature = good.split(".")  # a JWT: header.payload.signature
    signed = f"{header}.{payload}"
    return {
        "non-ascii-signature": f"Bearer {signed}.{signature[:-2]}é€".encode(),
        "non-ascii-payload": f"Bearer {header}.{payload}ü.{signature}".encode(),
        "latin1-byte": b"Bearer " + signed.encode() + b"." + signature.encode()[:-1] + b"\xe9",
        "utf8-emoji": "Bearer 😀.😀.😀".encode(),
        "tab": f"Bearer\t{header}.{payload}\t.{signature}".encode(),
        "three-parts": f"Bearer {signed}.{signature}.{signature}".encode(),  # four, for a JWT
        "empty-parts": b"Bearer ..",
        "only-scheme": b"Bearer",
        "huge": b"Bearer " + b"A" * 60_000 + b".B." + b"C" * 43,
        "json-array-payload": f"Bearer {header}.{b64(b'[1,2]')}.{signature}".encode(),
        "basic-scheme": b"Basic " + signed.encode(),
    }[kind]


TOKENS = [
    "non-ascii-signature",
    "non-ascii-payload",
    "latin1-byte",
    "utf8-emoji",
    "tab",
    "three-parts",
    "empty-parts",
    "only-scheme",
    "huge",
    "json-array-payload",
    "basic-scheme",
]


@pytest.mark.parametrize("kind", TOKENS)
@pytest.mark.parametrize("path", ["/api/me", "/api/actions", "/mcp", "/sandbox/api/v1/leads"])
def test_malformed_authorization_headers_are_401(server: Server, path: str, kind: str) -> None:
    """Non-ASCII, NUL, huge and malformed bearer tokens: 401 (431 for huge), never 500."""
    header = _forged(kind)
    method = "POST" if path == "/mcp" else "GET"
    try:
        answer = httpx.request(
            method,
            server.url + path,
            headers={
                "Authorization": header,
                "Content-Type": "application/json",
                "Accept": "application/json, text/event-stream",
            },
            content=b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}'
            if method == "POST"
            else None,
            timeout=30,
        )
    except httpx.RemoteProtocolError:
        pytest.fail("the server dropped the connection instead of answering 401")
    assert answer.status_code in (400, 401, 431), f"{answer.status_code}: {answer.text[:200]}"
    if answer.status_code == 401 and path != "/mcp":
        assert "error" in answer.json()
