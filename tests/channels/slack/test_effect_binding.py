"""Approving a stale card in Slack: the signed click runs the same gate, nothing is sent,
the card says what changed, and a fresh card is posted in the thread."""

from __future__ import annotations

from typing import Any

from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import DEMO_USERS
from tests.agent.conftest import tool_results
from tests.channels.slack.conftest import JANE
from tests.channels.slack.mock_slack import MockSlack
from tests.channels.slack.test_slack import _card

S = ScriptedModel
AS_ALEX = {"Authorization": f"Bearer {DEMO_USERS[0].key}"}
OLD_PHONE, NEW_PHONE = "+1-555-000-1234", "+1-555-999-0000"
SMS = {"lead_id": JANE, "message": "Are you free for a call tomorrow?"}
TOLD = (
    f"The phone for Jane Smith changed from {OLD_PHONE} to {NEW_PHONE} since you saw the card; "
    "nothing was sent."
)


def again_if_stale(request: ModelRequest) -> ModelTurn:
    (result,) = tool_results(request)
    assert TOLD in result["content"]
    return S.tool_calls(("send_sms", SMS), text="It changed, so here is a fresh card.")


def _cards(slack: MockSlack) -> list[str]:
    return [
        block["elements"][0]["value"]
        for call in slack.of("chat.postMessage")
        for block in call.get("blocks") or []
        if block.get("type") == "actions"
    ]


def test_a_slack_approval_of_a_stale_card_sends_nothing_and_says_why(serve: Any) -> None:
    client = serve([S.tool_calls(("send_sms", SMS)), again_if_stale])
    assert client.dm("text Jane").status_code == 200
    action_id, card = _card(client.slack)
    shown = client.slack.of("chat.postMessage")[-1]["blocks"][0]["text"]["text"]
    assert OLD_PHONE in shown
    changed = client.http.put(
        f"/sandbox/api/v1/leads/{JANE}", json={"phone": NEW_PHONE}, headers=AS_ALEX
    )
    assert changed.status_code == 200

    assert client.click("approve", action_id, "U1", card).status_code == 200
    outcome = client.slack.wait_for(
        lambda s: next((u for u in s.of("chat.update") if u["ts"] == card["ts"]), None),
        what="the card's outcome",
    )
    said = outcome["blocks"][-1]["elements"][0]["text"]
    assert said.startswith(":arrows_counterclockwise: Not sent: t") and TOLD[1:] in said
    assert all(b["type"] != "actions" for b in outcome["blocks"])
    (fresh,) = client.slack.wait_for(lambda s: _cards(s)[1:], what="a fresh card")
    assert fresh != action_id
    (posted,) = [
        call
        for call in client.slack.of("chat.postMessage")
        if any(b.get("block_id") == f"action:{fresh}" for b in call.get("blocks") or [])
    ]
    assert NEW_PHONE in posted["blocks"][0]["text"]["text"], "the fresh card shows the new number"
    sms = client.http.get("/sandbox/api/v1/sms", params={"lead_id": JANE}, headers=AS_ALEX)
    assert sms.json()["sms"] == []
