"""Item 3 of #15 in Slack (signed requests, the mock Slack Web API): a card in a thread
waits for its decision whatever the person writes meanwhile; only a new proposal for the
same thing replaces it."""

from __future__ import annotations

import time
from typing import Any

from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import demo_id
from tests.channels.slack.conftest import JANE
from tests.channels.slack.test_slack import EMAIL, _card, _email_card, _texts

S = ScriptedModel
TOM = demo_id("lead", "northwind:tom-becker")
THREAD = "1699999999.000100"


def told(request: ModelRequest) -> ModelTurn:
    note = request.messages[-1]["content"][-1]
    assert note["type"] == "text" and note["text"].startswith("[Decision on an earlier request")
    return S.text("Update: the pricing email went out.")


def card_updates(client: Any, card: dict[str, Any]) -> list[dict[str, Any]]:
    return [u for u in client.slack.of("chat.update") if u["ts"] == card["ts"]]


def test_thanks_in_the_thread_leaves_the_card_approvable(serve: Any) -> None:
    client = serve([S.tool_calls(("send_email", EMAIL)), S.text("You're welcome!"), told])
    action_id, card = _email_card(client)
    assert client.dm("thanks!", ts="1699999999.000200", thread_ts=THREAD).status_code == 200
    client.slack.wait_for(lambda s: "You're welcome!" in _texts(s), what="the reply to thanks")
    time.sleep(0.2)
    assert card_updates(client, card) == [], "the card is not closed by a new message"
    assert client.outbox() == []

    assert client.click("approve", action_id, "U1", card).status_code == 200
    client.slack.wait_for(
        lambda s: "Update: the pricing email went out." in _texts(s), what="the late outcome"
    )
    assert len(client.outbox()) == 1
    outcome = card_updates(client, card)[0]
    assert "Sent." in outcome["blocks"][-1]["elements"][0]["text"]
    client.click("approve", action_id, "U1", card)
    client.slack.wait_for(lambda s: len(card_updates(client, card)) >= 2, what="the 2nd click")
    assert len(client.outbox()) == 1


def test_a_second_text_to_jane_supersedes_the_first_card(serve: Any) -> None:
    client = serve(
        [
            S.tool_calls(("send_sms", {"lead_id": JANE, "message": "Running 5 min late"})),
            S.tool_calls(("send_sms", {"lead_id": JANE, "message": "Running 10 min late"})),
        ]
    )
    assert client.dm("text Jane I'm late").status_code == 200
    first, card = _card(client.slack)
    client.dm("make it 10", ts="1699999999.000200", thread_ts=THREAD)
    client.slack.wait_for(
        lambda s: len([c for c in s.of("chat.postMessage") if "Approval needed" in c["text"]]) >= 2,
        what="the second card",
    )
    client.click("approve", first, "U1", card)  # the old card's buttons are still on screen
    (closed,) = client.slack.wait_for(lambda s: card_updates(client, card), what="the refusal")
    assert "Replaced by a newer proposal" in str(closed["blocks"])
    assert client.model.remaining == 0, "nothing ran, the model was not called again"


def test_cards_for_two_leads_both_stay_pending(serve: Any) -> None:
    client = serve(
        [
            S.tool_calls(("send_sms", {"lead_id": JANE, "message": "Running late"})),
            S.tool_calls(("send_sms", {"lead_id": TOM, "message": "Running late"})),
        ]
    )
    assert client.dm("text Jane I'm late").status_code == 200
    _, card = _card(client.slack)
    client.dm("and Tom", ts="1699999999.000200", thread_ts=THREAD)
    client.slack.wait_for(
        lambda s: len([c for c in s.of("chat.postMessage") if c.get("blocks")]) >= 2,
        what="the second card",
    )
    time.sleep(0.2)
    assert card_updates(client, card) == []
