"""The attack from issue 14, exactly: an MCP client proposes a text, then changes the
lead's phone with a tool that needs no approval; the person approves the card they saw.
The text must go nowhere: the action ends `stale` and the sandbox's SMS outbox stays empty."""

from __future__ import annotations

from typing import Any

from coworker.channels.web.identity import mint_token
from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import DEMO_USERS
from tests.agent.conftest import tool_results
from tests.channels.mcp.conftest import JANE, SECRET, ServeMcp

S = ScriptedModel
OLD_PHONE, NEW_PHONE = "+1-555-000-1234", "+1-555-999-0000"
SMS = {"lead_id": JANE, "message": "Are you free for a call tomorrow?"}
TOLD = (
    f"The phone for Jane Smith changed from {OLD_PHONE} to {NEW_PHONE} since you saw the card; "
    "nothing was sent."
)


def again_if_stale(request: ModelRequest) -> ModelTurn:
    (result,) = tool_results(request)
    assert TOLD in result["content"]
    return S.tool_calls(("send_sms", SMS), text=f"Nothing was sent. {TOLD}")


async def test_an_mcp_client_cannot_redirect_an_approved_text_by_changing_the_phone(
    serve_mcp: ServeMcp,
) -> None:
    as_alice = {"Authorization": f"Bearer {mint_token(SECRET, 'alice')}"}
    async with serve_mcp([again_if_stale], web_secret=SECRET) as server:
        async with server.client(mint_token(SECRET, "alice", audience="mcp")) as client:
            proposed = await client.call_tool("send_sms", SMS)
            assert proposed.is_error is False and proposed.structured_content is not None
            card: dict[str, Any] = proposed.structured_content["action"]
            assert card["display"]["to"] == f"Jane Smith <{OLD_PHONE}>"
            text = proposed.content[0].text  # type: ignore[union-attr]
            assert OLD_PHONE in text, "the client's model saw the number on the card too"
            changed = await client.call_tool("update_lead", {"lead_id": JANE, "phone": NEW_PHONE})
            assert changed.is_error is False, "a write needs no approval: it runs at once"

        answer = await server.http.post(
            f"/api/actions/{card['id']}/approve", json={}, headers=as_alice
        )
        assert answer.status_code == 200
        result = answer.json()
        (decided,) = result["decided"]
        assert decided["status"] == "stale" and decided["error"] == TOLD
        (fresh,) = result["actions"]
        assert fresh["display"]["to"] == f"Jane Smith <{NEW_PHONE}>"
        outbox = await server.http.get(
            "/sandbox/api/v1/sms",
            params={"lead_id": JANE},
            headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
        )
        assert outbox.json()["sms"] == [], "nothing went to the new number"
