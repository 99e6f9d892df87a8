"""Bulk with one decision in Slack (#18 item 4): the cards one model response proposes are
one message; the person leaves one out and presses "Approve all (3)"; exactly those three
emails are in the sandbox's outbox. Signed requests through the real bolt handlers, the
mock Slack Web API checking Block Kit's limits, the embedded sandbox CRM."""

from __future__ import annotations

import time
from typing import Any

from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import DEMO_USERS, demo_id
from tests.channels.slack.conftest import JANE, SlackClient
from tests.channels.slack.mock_slack import MockSlack
from tests.channels.slack.test_slack import _texts

S = ScriptedModel
SUBJECT = "Quick hello (batch)"
ACME = [JANE, *(demo_id("lead", f"northwind:{s}") for s in ("priya-shah", "luis-ortega"))]
LEADS = [*ACME, demo_id("lead", "northwind:marcus-reed")]


def hello(lead_id: str) -> tuple[str, dict[str, Any]]:
    return ("send_email", {"lead_id": lead_id, "subject": SUBJECT, "body_text": "Hi! Quick hello."})


def sent(client: SlackClient, leads: list[str]) -> dict[str, int]:
    """Emails with the batch's subject in the sandbox's outbox, per lead."""
    counts = {}
    for lead in leads:
        answer = client.http.get(
            "/sandbox/api/v1/emails",
            params={"lead_id": lead},
            headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
        )
        counts[lead] = sum(1 for e in answer.json()["emails"] if e["subject"] == SUBJECT)
    return counts


def batch_message(slack: MockSlack) -> dict[str, Any]:
    """The batch message as posted (and accepted: the mock refuses what Slack would)."""

    def find(s: MockSlack) -> Any:
        for call in s.of("chat.postMessage"):
            ids = [str(b.get("block_id", "")) for b in call.get("blocks") or []]
            if call["_ok"] and any(i.startswith("bitem:") for i in ids):
                return call
        return None

    found: dict[str, Any] = slack.wait_for(find, what="the batch message")
    return found


def shown(slack: MockSlack, posted: dict[str, Any]) -> list[dict[str, Any]]:
    """The message's blocks as Slack shows them now (its last update, or as posted)."""
    updates = [u for u in slack.of("chat.update") if u["ts"] == posted["_answered_ts"]]
    blocks: list[dict[str, Any]] = (updates[-1] if updates else posted)["blocks"]
    return blocks


def items(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for b in blocks if str(b.get("block_id", "")).startswith("bitem:")]


def press(
    client: SlackClient,
    posted: dict[str, Any],
    user: str,
    action: dict[str, Any],
    *,
    blocks: list[dict[str, Any]] | None = None,
) -> None:
    """A press on the message as it is shown now: Slack sends the message's blocks along."""
    message = {
        "ts": posted["_answered_ts"],
        "thread_ts": posted["thread_ts"],
        "blocks": blocks if blocks is not None else shown(client.slack, posted),
    }
    answer = client.interaction(
        {
            "type": "block_actions",
            "user": {"id": user},
            "trigger_id": "trigger-1",
            "channel": {"id": posted["channel"]},
            "container": {"type": "message", "channel_id": posted["channel"]},
            "message": message,
            "actions": [action],
        }
    )
    assert answer.status_code == 200


def menu(client: SlackClient, posted: dict[str, Any], user: str, number: int, verb: str) -> None:
    """Choose `verb` in item `number`'s menu (1-based, as the message numbers them)."""
    accessory = items(shown(client.slack, posted))[number - 1]["accessory"]
    (option,) = [o for o in accessory["options"] if o["value"].startswith(verb + ":")]
    press(client, posted, user, {"action_id": accessory["action_id"], "selected_option": option})


def button(client: SlackClient, posted: dict[str, Any], user: str, starts: str) -> None:
    (actions,) = [b for b in shown(client.slack, posted) if b["type"] == "actions"]
    (chosen,) = [e for e in actions["elements"] if e["text"]["text"].startswith(starts)]
    press(client, posted, user, {"action_id": chosen["action_id"], "value": chosen["value"]})


def updates(slack: MockSlack, posted: dict[str, Any]) -> int:
    return len([u for u in slack.of("chat.update") if u["ts"] == posted["_answered_ts"]])


def test_one_message_untick_one_approve_all_three_sends_exactly_three(serve: Any) -> None:
    client = serve(
        [S.tool_calls(*map(hello, LEADS)), S.text("Sent three hellos; Marcus was left out.")]
    )
    assert client.dm("email all new leads at Acme a quick hello").status_code == 200
    posted = batch_message(client.slack)
    cards = [c for c in client.slack.of("chat.postMessage") if "Approval needed" in c["text"]]
    assert cards == [posted], "one message for the batch, no card per item"
    blocks = posted["blocks"]
    assert len(items(blocks)) == 4
    assert "Jane Smith" in items(blocks)[0]["text"]["text"] and SUBJECT in str(blocks)
    assert "Approve all (4)" in str(blocks)

    menu(client, posted, "U1", 4, "out")  # leave Marcus out
    client.slack.wait_for(lambda s: updates(s, posted) >= 1, what="the redraw")
    now = shown(client.slack, posted)
    assert "Approve all (3)" in str(now) and "left out" in items(now)[3]["text"]["text"]
    assert sent(client, LEADS) == dict.fromkeys(LEADS, 0), "leaving one out decides nothing"

    button(client, posted, "U1", "Approve all")
    client.slack.wait_for(
        lambda s: "Sent three hellos" in " ".join(_texts(s)), what="the model going on once"
    )
    assert sent(client, LEADS) == {**dict.fromkeys(ACME, 1), LEADS[3]: 0}
    final = shown(client.slack, posted)
    assert not [b for b in final if b["type"] == "actions"], "no buttons once all are decided"
    texts = [b["text"]["text"] for b in items(final)]
    assert all("Sent." in t for t in texts[:3]) and "Left out of the batch" in texts[3]
    assert len(client.model.requests) == 2, "the model's turn went on once, after the last"

    # leaving one out, then the redraws after the decisions and after the turn went on
    before = client.slack.wait_for(lambda s: updates(s, posted) == 3 and 3, what="redraws")
    (actions,) = [b for b in posted["blocks"] if b["type"] == "actions"]
    approve_all = actions["elements"][0]  # the very press again, as first shown (a replay)
    press(client, posted, "U1", approve_all, blocks=posted["blocks"])
    client.slack.wait_for(lambda s: updates(s, posted) > before, what="the replay's redraw")
    assert sent(client, LEADS) == {**dict.fromkeys(ACME, 1), LEADS[3]: 0}, "a replay sends nothing"


def test_another_persons_press_decides_nothing(serve: Any) -> None:
    client = serve([S.tool_calls(*map(hello, ACME))])
    assert client.dm("email all new leads at Acme a quick hello").status_code == 200
    posted = batch_message(client.slack)
    button(client, posted, "U2", "Approve all")
    (refusal,) = client.slack.wait_for(
        lambda s: s.of("chat.postEphemeral"), what="the refusal to U2"
    )
    assert refusal["user"] == "U2" and "<@U1>" in refusal["text"]
    menu(client, posted, "U2", 1, "out")
    client.slack.wait_for(lambda s: len(s.of("chat.postEphemeral")) >= 2, what="2nd refusal")
    time.sleep(0.2)
    assert updates(client.slack, posted) == 0
    assert sent(client, ACME) == dict.fromkeys(ACME, 0)


def test_cancel_all_sends_nothing_and_an_item_alone_can_be_approved(serve: Any) -> None:
    client = serve([S.tool_calls(*map(hello, ACME)), S.text("Only Jane got it.")])
    assert client.dm("email all new leads at Acme a quick hello").status_code == 200
    posted = batch_message(client.slack)
    menu(client, posted, "U1", 1, "approve")  # Jane alone, from her item's menu
    client.slack.wait_for(lambda s: updates(s, posted) >= 1, what="the redraw")
    assert sent(client, ACME) == {**dict.fromkeys(ACME, 0), JANE: 1}
    now = shown(client.slack, posted)
    assert "Sent." in items(now)[0]["text"]["text"] and "Approve all (2)" in str(now)

    button(client, posted, "U1", "Cancel all")
    client.slack.wait_for(
        lambda s: "Only Jane got it." in " ".join(_texts(s)), what="the model going on"
    )
    assert sent(client, ACME) == {**dict.fromkeys(ACME, 0), JANE: 1}
    final = items(shown(client.slack, posted))
    assert all("Left out of the batch" in b["text"]["text"] for b in final[1:])


def test_twenty_five_items_fit_in_one_message(serve: Any) -> None:
    client = serve([])
    answer = client.http.get(
        "/sandbox/api/v1/leads",
        params={"limit": 50},
        headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
    )
    leads = [lead["id"] for lead in answer.json()["leads"] if lead.get("email")][:25]
    assert len(leads) == 25
    long_body = "A longer note. " * 300  # over Slack's 3000 characters on its own
    client.model._script.append(
        S.tool_calls(
            *[
                ("send_email", {"lead_id": lead, "subject": SUBJECT, "body_text": long_body})
                for lead in leads
            ]
        )
    )
    assert client.dm("email these 25 leads").status_code == 200
    posted = batch_message(client.slack)  # the mock refuses a message over Slack's limits
    blocks = posted["blocks"]
    assert len(items(blocks)) == 25 and len(blocks) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert "Approve all (25)" in str(blocks)


def test_an_item_edited_in_the_form_is_sent_as_edited_and_the_rest_still_wait(
    serve: Any,
) -> None:
    client = serve([S.tool_calls(*map(hello, ACME))])
    assert client.dm("email all new leads at Acme a quick hello").status_code == 200
    posted = batch_message(client.slack)
    menu(client, posted, "U1", 3, "out")
    client.slack.wait_for(lambda s: updates(s, posted) >= 1, what="the redraw")
    menu(client, posted, "U1", 2, "edit")
    (opened,) = client.slack.wait_for(lambda s: s.of("views.open"), what="the edit form")
    view = opened["view"]
    body = {"value": {"value": "Hi Priya, a quick hello from Alex."}}
    assert client.submit(view, "U1", {"body_text": body}).status_code == 200
    client.slack.wait_for(lambda s: updates(s, posted) >= 2, what="the redraw after the form")
    priya = ACME[1]
    answer = client.http.get(
        "/sandbox/api/v1/emails",
        params={"lead_id": priya},
        headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
    )
    (email,) = [e for e in answer.json()["emails"] if e["subject"] == SUBJECT]
    assert email["body_text"] == "Hi Priya, a quick hello from Alex."
    assert sent(client, ACME) == {ACME[0]: 0, priya: 1, ACME[2]: 0}
    now = shown(client.slack, posted)
    texts = [b["text"]["text"] for b in items(now)]
    assert "Sent." in texts[1] and "left out" in texts[2], "the left-out item stays left out"
    assert "Approve all (1)" in str(now)
    time.sleep(0.2)
    assert len(client.model.requests) == 1, "two still wait: the model is not called again"
