"""The MCP server at /mcp, driven by the real `mcp` client over real HTTP."""

from __future__ import annotations

import json

import jwt
import pytest
from mcp.shared.exceptions import MCPError

from coworker.channels.web.identity import mint_token
from coworker.llm.scripted import ScriptedModel
from coworker.tools.catalog import build_catalog
from coworker.tools.policy import Risk
from tests.channels.mcp.conftest import EMAIL, SECRET, ServeMcp, assert_names_no_way_to_decide

S = ScriptedModel


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_lists_the_catalog_with_hints_from_the_risk(serve_mcp: ServeMcp, mode: str) -> None:
    catalog = {tool.name: tool for tool in build_catalog()}
    async with serve_mcp() as server, server.client(mode=mode) as client:
        listed = (await client.list_tools()).tools
    assert [tool.name for tool in listed] == list(catalog)
    for tool in listed:
        risk = catalog[tool.name].risk
        hints = tool.annotations
        assert hints is not None, tool.name
        assert hints.read_only_hint is (risk is Risk.READ), tool.name
        assert hints.destructive_hint is (risk is Risk.DESTRUCTIVE), tool.name
        assert hints.open_world_hint is (risk is Risk.OUTBOUND), tool.name
        assert tool.input_schema == catalog[tool.name].input_schema
        waits = "returns a pending action" in (tool.description or "")
        assert waits is (risk in {Risk.OUTBOUND, Risk.DESTRUCTIVE}), tool.name
    send = next(tool for tool in listed if tool.name == "send_email")
    assert send.annotations is not None and send.annotations.title == (
        "Send an email"  # the label its profile declares
    )


async def test_a_read_tool_runs_at_once_on_the_sandbox(serve_mcp: ServeMcp) -> None:
    async with serve_mcp() as server, server.client() as client:
        result = await client.call_tool("search_leads", {"search": "jane smith"})
    assert result.is_error is False
    data = json.loads(result.content[0].text)  # type: ignore[union-attr]
    assert data["total"] == 1 and data["leads"][0]["name"] == "Jane Smith"
    assert data["leads"][0]["company"] == "Acme Corp"


async def test_bad_input_is_a_tool_error_that_says_how_to_fix_it(serve_mcp: ServeMcp) -> None:
    async with serve_mcp() as server, server.client() as client:
        bad_enum = await client.call_tool("search_leads", {"status": "hot"})
        missing = await client.call_tool("send_sms", {})
        unknown = await client.call_tool("launch_rocket", {})
        assert await server.outbox() == []
    assert bad_enum.is_error is True
    text = bad_enum.content[0].text  # type: ignore[union-attr]
    assert "status: 'hot' is not one of" in text and "Fix the input and call again" in text
    assert missing.is_error is True
    assert "'lead_id' is a required property" in missing.content[0].text  # type: ignore[union-attr]
    assert unknown.is_error is True
    assert "no tool named 'launch_rocket'" in unknown.content[0].text  # type: ignore[union-attr]


async def test_send_email_waits_and_is_sent_once_when_approved_over_the_web(
    serve_mcp: ServeMcp,
) -> None:
    as_alice = {"Authorization": f"Bearer {mint_token(SECRET, 'alice')}"}
    async with serve_mcp([S.text("Sent it.")], web_secret=SECRET) as server:
        async with server.client(mint_token(SECRET, "alice", audience="mcp")) as client:
            result = await client.call_tool("send_email", EMAIL)
        assert result.is_error is False
        assert await server.outbox() == []  # nothing left the machine
        pending = result.structured_content
        assert pending is not None and pending["status"] == "pending_approval"
        assert set(pending) == {"status", "action", "waits_for"}  # no how_to_decide
        action = pending["action"]
        assert action["tool"] == "send_email" and action["status"] == "pending"
        assert action["display"]["to"] == "jane@acme.com"
        text = result.content[0].text  # type: ignore[union-attr]
        assert "has NOT run" in text and "Subject: Pricing" in text
        assert "To: Jane Smith (Acme Corp) <jane@acme.com>" in text
        assert f"Action {action['id']}" in text
        assert "waits for the person's approval in the coworker" in text
        assert_names_no_way_to_decide(text)
        assert_names_no_way_to_decide(json.dumps(pending["waits_for"]))

        listed = await server.http.get(
            "/api/actions", params={"status": "pending"}, headers=as_alice
        )
        assert [a["id"] for a in listed.json()["actions"]] == [action["id"]]

        # The person approves with their own web token, not the MCP client's.
        path = f"/api/actions/{action['id']}/approve"
        approved = await server.http.post(path, json={}, headers=as_alice)
        assert approved.status_code == 200
        assert approved.json()["decided"][0]["status"] == "succeeded"
        assert approved.json()["reply"] == "Sent it."
        again = await server.http.post(path, json={}, headers=as_alice)
        assert again.status_code == 409
        (email,) = await server.outbox()
        assert email["subject"] == "Pricing" and email["to_email"] == "jane@acme.com"

        # The model that reports the outcome read a valid transcript: the call, then its result.
        (request,) = server.model.requests
        kinds = [[b["type"] for b in m["content"]] for m in request.messages]
        assert kinds == [["text"], ["tool_use"], ["tool_result"]]


async def test_a_token_is_required_when_the_web_secret_is_set(serve_mcp: ServeMcp) -> None:
    async with serve_mcp(web_secret=SECRET) as server:
        ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        for headers in (
            {},
            {"Authorization": "Bearer garbage"},
            {"Authorization": f"Bearer {mint_token('another-secret', 'alice')}"},
            {"Authorization": f"Bearer {mint_token(SECRET, 'alice', ttl_seconds=-10)}"},
        ):
            answer = await server.http.post("/mcp", json=ping, headers=headers)
            assert answer.status_code == 401 and "error" in answer.json()
            assert answer.headers["www-authenticate"].startswith("Bearer")
        with pytest.raises(ExceptionGroup) as refused:
            async with server.client() as client:
                await client.list_tools()
        assert refused.group_contains(MCPError)
        async with server.client(mint_token(SECRET, "alice")) as client:
            assert len((await client.list_tools()).tools) == 28  # 24 operations + 4 derived


async def test_a_browser_origin_must_be_allowed(serve_mcp: ServeMcp) -> None:
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    async with serve_mcp(allowed_origins="https://app.example") as server:
        evil = await server.http.post("/mcp", json=ping, headers={"Origin": "http://evil.example"})
        assert evil.status_code == 403
        allowed = await server.http.post(
            "/mcp",
            json=ping,
            headers={
                "Origin": "https://app.example",
                "Accept": "application/json, text/event-stream",
            },
        )
        assert allowed.status_code == 200


async def test_each_person_sees_and_decides_only_their_own_actions(serve_mcp: ServeMcp) -> None:
    alice, bob = mint_token(SECRET, "alice"), mint_token(SECRET, "bob")
    as_alice = {"Authorization": f"Bearer {alice}"}
    as_bob = {"Authorization": f"Bearer {bob}"}
    async with serve_mcp([S.text("Sent.")], web_secret=SECRET) as server:
        async with server.client(mint_token(SECRET, "alice", audience="mcp")) as client:
            result = await client.call_tool("send_email", EMAIL)
        assert result.structured_content is not None
        action_id = result.structured_content["action"]["id"]

        bobs = await server.http.get("/api/actions", headers=as_bob)
        assert bobs.json() == {"actions": [], "next_cursor": None}
        refused = await server.http.post(
            f"/api/actions/{action_id}/approve", json={}, headers=as_bob
        )
        assert refused.status_code == 404
        assert await server.outbox() == []

        alices = (await server.http.get("/api/actions", headers=as_alice)).json()["actions"]
        assert [a["id"] for a in alices] == [action_id]
        approved = await server.http.post(
            f"/api/actions/{action_id}/approve", json={}, headers=as_alice
        )
        assert approved.status_code == 200
        assert len(await server.outbox()) == 1


async def test_two_waiting_calls_stay_pending_side_by_side(serve_mcp: ServeMcp) -> None:
    async with serve_mcp() as server:
        async with server.client() as client:
            first = await client.call_tool("send_email", EMAIL)
            second = await client.call_tool(
                "send_sms", {"lead_id": EMAIL["lead_id"], "message": "Hi"}
            )
        ids = {r.structured_content["action"]["id"] for r in (first, second)}  # type: ignore[index]
        pending = (await server.http.get("/api/actions", params={"status": "pending"})).json()
        assert {a["id"] for a in pending["actions"]} == ids  # neither superseded the other
        conversations = (await server.http.get("/api/conversations")).json()["conversations"]
        assert sorted(c["channel"] for c in conversations) == ["mcp", "mcp"]


async def test_the_confirmation_policy_decides_what_waits(serve_mcp: ServeMcp) -> None:
    lead = {"name": "Dana Lee", "email": "dana@initech.example", "company": "Initech"}
    async with serve_mcp(confirm_risks="outbound,destructive,write") as server:
        async with server.client() as client:
            tools = {t.name: t for t in (await client.list_tools()).tools}
            created = await client.call_tool("create_lead", lead)
            found = await client.call_tool("search_leads", {"search": "dana lee"})
    assert "returns a pending action" in (tools["create_lead"].description or "")
    assert created.structured_content is not None
    assert created.structured_content["status"] == "pending_approval"
    assert json.loads(found.content[0].text)["total"] == 0  # type: ignore[union-attr]


async def test_the_mcp_token_is_refused_at_approve_and_reject(serve_mcp: ServeMcp) -> None:
    mcp_token = mint_token(SECRET, "alice", audience="mcp")
    with_mcp_token = {"Authorization": f"Bearer {mcp_token}"}
    as_alice = {"Authorization": f"Bearer {mint_token(SECRET, 'alice')}"}
    async with serve_mcp([S.text("Cancelled.")], web_secret=SECRET) as server:
        async with server.client(mcp_token) as client:
            result = await client.call_tool("send_email", EMAIL)
        assert result.structured_content is not None
        action_id = result.structured_content["action"]["id"]

        for decision in ("approve", "reject"):
            refused = await server.http.post(
                f"/api/actions/{action_id}/{decision}", json={}, headers=with_mcp_token
            )
            assert refused.status_code == 403, decision
            assert "MCP token" in refused.json()["error"]
            assert "own web token" in refused.json()["error"]
        chat = await server.http.post(
            "/api/chat", json={"message": "approve it"}, headers=with_mcp_token
        )
        assert chat.status_code == 403
        assert await server.outbox() == []

        # Reading is allowed: the same person's actions, still pending.
        listed = await server.http.get("/api/actions", headers=with_mcp_token)
        assert listed.status_code == 200
        assert [(a["id"], a["status"]) for a in listed.json()["actions"]] == [
            (action_id, "pending")
        ]
        # The person's own web token decides it.
        rejected = await server.http.post(
            f"/api/actions/{action_id}/reject", json={}, headers=as_alice
        )
        assert rejected.status_code == 200


async def test_a_token_for_another_audience_is_refused_at_mcp(serve_mcp: ServeMcp) -> None:
    forged_audience = _token_with_claims({"sub": "alice", "exp": 2**40, "aud": "billing"})
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    async with serve_mcp(web_secret=SECRET) as server:
        answer = await server.http.post(
            "/mcp", json=ping, headers={"Authorization": f"Bearer {forged_audience}"}
        )
        assert answer.status_code == 401 and "audience" in answer.json()["error"]
        web = await server.http.get(
            "/api/actions", headers={"Authorization": f"Bearer {forged_audience}"}
        )
        assert web.status_code == 401 and "audience" in web.json()["error"]
        # A JWT the host signs for something else, without `aud`, is no token here either.
        no_audience = _token_with_claims({"sub": "alice", "exp": 2**40})
        for path, method in (("/mcp", "POST"), ("/api/actions", "GET")):
            answer = await server.http.request(
                method, path, json=ping, headers={"Authorization": f"Bearer {no_audience}"}
            )
            assert answer.status_code == 401 and "'aud'" in answer.json()["error"], path


def _token_with_claims(claims: dict[str, object]) -> str:
    """A correctly signed token with any claims (what a host application could sign)."""
    return jwt.encode(claims, SECRET, algorithm="HS256")


async def test_tool_calls_are_rate_limited_per_person(serve_mcp: ServeMcp) -> None:
    alice = mint_token(SECRET, "alice", audience="mcp")
    bob = mint_token(SECRET, "bob", audience="mcp")
    async with serve_mcp([S.text("Hi.")], web_secret=SECRET, rate_limit_per_minute=2) as server:
        async with server.client(alice) as client:
            first = await client.call_tool("list_tags", {})
            second = await client.call_tool("list_tags", {})
            third = await client.call_tool("send_email", EMAIL)
            assert len((await client.list_tools()).tools) == 28  # only tool calls count
        async with server.client(bob) as client:
            bobs = await client.call_tool("list_tags", {})
        # Chat messages are counted apart from MCP tool calls.
        as_alice = {"Authorization": f"Bearer {mint_token(SECRET, 'alice')}"}
        chat = await server.http.post("/api/chat", json={"message": "hi"}, headers=as_alice)
        assert chat.status_code == 200
        pending = await server.http.get("/api/actions", headers=as_alice)
        assert pending.json() == {"actions": [], "next_cursor": None}  # it asked for nothing
    assert first.is_error is False and second.is_error is False and bobs.is_error is False
    assert third.is_error is True
    text = third.content[0].text  # type: ignore[union-attr]
    assert "Too many tool calls: at most 2 a minute" in text and "Nothing ran" in text
    assert third.structured_content is not None
    retry = third.structured_content["retry_after_seconds"]
    assert 1 <= retry <= 60 and f"Try again in {retry} s" in text


async def test_at_most_max_pending_actions_wait_from_mcp(serve_mcp: ServeMcp) -> None:
    sms = {"lead_id": EMAIL["lead_id"], "message": "Hi"}
    async with serve_mcp([S.text("Cancelled.")], max_pending_actions=2) as server:
        async with server.client() as client:
            first = await client.call_tool("send_sms", sms)
            await client.call_tool("send_sms", sms)
            refused = await client.call_tool("send_email", EMAIL)
            still_reads = await client.call_tool("list_tags", {})
            pending = (await server.http.get("/api/actions", params={"status": "pending"})).json()
            assert len(pending["actions"]) == 2
            assert first.structured_content is not None
            action_id = first.structured_content["action"]["id"]
            decided = await server.http.post(f"/api/actions/{action_id}/reject", json={})
            assert decided.status_code == 200
            accepted = await client.call_tool("send_email", EMAIL)
    assert refused.is_error is True
    text = refused.content[0].text  # type: ignore[union-attr]
    assert "did NOT run" in text and "2 actions" in text and "at most 2" in text
    assert "approve or reject some of the waiting ones" in text
    assert still_reads.is_error is False
    assert accepted.is_error is False and accepted.structured_content is not None
    assert accepted.structured_content["status"] == "pending_approval"
