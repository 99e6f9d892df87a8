"""Approved effect == seen effect: change what the CRM would act on between card and approval."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.attacks.conftest import (
    SECRET,
    Server,
    Slack,
    auth,
    cli,
    mcp_call,
    new_user,
    next_phone,
    wait_until,
)

NEW_PHONE = "+1-555-099-6666"


def _approve_web(server: Server, user: str, action_id: str, body: Any = None) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/actions/{action_id}/approve",
        json=body or {},
        headers=auth(user),
        timeout=60,
    )


def _status(server: Server, user: str, action_id: str) -> str:
    return str(server.action(user, action_id)["status"])


def _change_phone(server: Server, user: str, lead_id: str, via: str, phone: str) -> None:
    if via == "crm":
        answer = server.crm_call("PUT", f"/leads/{lead_id}", json={"phone": phone})
        assert answer.status_code == 200, answer.text
    elif via == "mount":
        answer = httpx.put(
            f"{server.url}/sandbox/api/v1/leads/{lead_id}",
            json={"phone": phone},
            headers={"Authorization": "Bearer ds_demo_alex_3f9a1c7e5b2d4a60"},
        )
        assert answer.status_code == 200, answer.text
    elif via == "mcp":
        result = mcp_call(server.url, user, "update_lead", {"lead_id": lead_id, "phone": phone})
        assert result.is_error is False, result
    assert server.crm_call("GET", f"/leads/{lead_id}").json()["lead"]["phone"] == phone


def _settled(server: Server, user: str, action_id: str) -> str:
    return str(
        wait_until(
            lambda: (s := _status(server, user, action_id)) not in ("pending", "executing") and s,
            timeout=30,
            what="the action to settle",
        )
    )


@pytest.mark.parametrize("via", ["crm", "mount", "mcp"])
def test_sms_phone_swapped_after_the_card_never_reaches_the_new_number(
    server: Server, via: str
) -> None:
    """Phone changed (CRM API, sandbox mount, MCP update_lead) after the web card: no SMS to it."""
    user = new_user("sms")
    lead = server.new_lead()
    card = server.propose(user, f"text {lead['name']}: your quote is ready")
    assert lead["phone"] in json.dumps(card["display"])
    _change_phone(server, user, lead["id"], via, NEW_PHONE + str(len(via)))
    _approve_web(server, user, card["id"])
    sent = [s["to_phone"] for s in server.sms_to(lead["id"])]
    assert NEW_PHONE + str(len(via)) not in sent, f"SMS went to a number never shown: {sent}"
    assert _settled(server, user, card["id"]) != "succeeded" or sent == [lead["phone"]]


def test_mcp_proposed_sms_then_phone_changed_by_the_same_client(server: Server) -> None:
    """MCP proposes send_sms, then update_lead changes the phone; the web approval sends nothing."""
    user = new_user("mcpsms")
    lead = server.new_lead()
    proposed = mcp_call(server.url, user, "send_sms", {"lead_id": lead["id"], "message": "hi"})
    assert proposed.is_error is False
    (pending,) = server.actions(user)
    new = next_phone()
    _change_phone(server, user, lead["id"], "mcp", new)
    _approve_web(server, user, pending["id"])
    sent = [s["to_phone"] for s in server.sms_to(lead["id"])]
    assert new not in sent, sent


def test_slack_card_approved_after_phone_change_sends_nothing_to_the_new_phone(
    server: Server, slack: Slack
) -> None:
    """Slack: card shown, phone changed in the CRM, Approve clicked: no SMS to the new number."""
    lead = server.new_lead()
    answer, ts = slack.dm(f"text {lead['name']}: see you at 3", "UATK1")
    assert answer.status_code == 200
    action_id, card = slack.card(ts)
    new = next_phone()
    _change_phone(server, "", lead["id"], "crm", new)
    assert slack.click("approve", action_id, "UATK1", card).status_code == 200
    wait_until(
        lambda: any(u.get("ts") == card["ts"] for u in slack.mock.of("chat.update")),
        timeout=30,
        what="the card's outcome",
    )
    assert new not in [s["to_phone"] for s in server.sms_to(lead["id"])]


def test_cli_approval_after_phone_change_sends_nothing_to_the_new_phone(server: Server) -> None:
    """CLI: `chat -m` card, phone changed, `actions approve`: no SMS to the new number."""
    lead = server.new_lead()
    env = {"COWORKER_DATA_DIR": str(server.data_dir), "COWORKER_SECRET_KEY": server.secret_key}
    shown = cli(["chat", "-m", f"text {lead['name']}: on my way", "--json"], env)
    assert shown.returncode == 0, shown.stderr[-2000:]
    (action,) = json.loads(shown.stdout)["actions"]
    new = next_phone()
    _change_phone(server, "", lead["id"], "crm", new)
    cli(["actions", "approve", action["id"]], env)
    assert new not in [s["to_phone"] for s in server.sms_to(lead["id"])]


@pytest.mark.parametrize("proposer", ["chat", "mcp-without-to_email"])
def test_email_address_changed_after_the_card_is_not_the_recipient(
    server: Server, proposer: str
) -> None:
    """Lead's email changed after the card: the email never goes to the new address."""
    user = new_user("mail")
    lead = server.new_lead()
    if proposer == "chat":
        card = server.propose(user, f"email {lead['name']} about pricing: Hi, our pricing.")
    else:
        result = mcp_call(
            server.url,
            user,
            "send_email",
            {"lead_id": lead["id"], "subject": "Pricing", "body_text": "Hi."},
        )
        assert result.is_error is False, result
        (card,) = server.actions(user)
    assert lead["email"] in json.dumps(card["display"]) + json.dumps(card["input"])
    swapped = "attacker@evil.example"
    assert (
        server.crm_call("PUT", f"/leads/{lead['id']}", json={"email": swapped}).status_code == 200
    )
    _approve_web(server, user, card["id"])
    recipients = [e["to_email"] for e in server.emails_of(lead["id"])]
    assert swapped not in recipients, recipients
    assert set(recipients) <= {lead["email"]}


def test_sending_mailbox_address_changed_after_the_card_does_not_send(server: Server) -> None:
    """The mailbox's address changes in the CRM after the card: nothing goes out from it."""
    user = new_user("box")
    lead = server.new_lead()
    card = server.propose(user, f"email {lead['name']} about the demo: Thanks for your time.")
    account_id = card["input"]["email_account_id"]
    shown_from = card["display"]["from"]
    with server.sandbox_db() as db:
        db.execute(
            "UPDATE email_accounts SET email=? WHERE id=?", ("spoof@evil.example", account_id)
        )
    try:
        _approve_web(server, user, card["id"])
        senders = {e["from_email"] for e in server.emails_of(lead["id"])}
    finally:
        with server.sandbox_db() as db:
            db.execute("UPDATE email_accounts SET email=? WHERE id=?", (shown_from, account_id))
    assert senders <= {shown_from}, f"sent from an address never shown: {senders}"
    assert _settled(server, user, card["id"]) != "succeeded" or senders == {shown_from}


def test_sequence_changed_after_the_card_does_not_enroll(server: Server) -> None:
    """The sequence's name/steps change after the card: the lead is not enrolled."""
    user = new_user("seq")
    lead = server.new_lead()
    card = server.propose(user, f"enroll {lead['name']} in New lead nurture")
    assert card["tool"] == "enroll_in_sequence"
    sequence_id = card["input"]["sequence_id"]
    with server.sandbox_db() as db:
        name, steps = db.execute(
            "SELECT name, step_count FROM sequences WHERE id=?", (sequence_id,)
        ).fetchone()
        db.execute(
            "UPDATE sequences SET name=?, step_count=? WHERE id=?",
            ("Aggressive daily blast", 40, sequence_id),
        )
    try:
        _approve_web(server, user, card["id"])
    finally:
        with server.sandbox_db() as db:
            db.execute(
                "UPDATE sequences SET name=?, step_count=? WHERE id=?", (name, steps, sequence_id)
            )
        with server.sandbox_db() as db:
            enrolled = db.execute(
                "SELECT count(*) FROM enrollments WHERE lead_id=?", (lead["id"],)
            ).fetchone()[0]
    assert enrolled == 0, "enrolled in a sequence that no longer matches the card"


@pytest.mark.parametrize("field", ["name", "company"])
def test_lead_renamed_after_a_delete_card_is_not_deleted(server: Server, field: str) -> None:
    """The record to delete is renamed after the card: approving deletes nothing."""
    user = new_user("del")
    lead = server.new_lead()
    card = server.propose(user, f"delete lead {lead['name']}")
    assert card["tool"] == "delete_lead"
    changed = {"name": "Chief Executive Officer", "company": "Our Biggest Customer"}[field]
    assert server.crm_call("PUT", f"/leads/{lead['id']}", json={field: changed}).status_code == 200
    _approve_web(server, user, card["id"])
    assert server.crm_call("GET", f"/leads/{lead['id']}").status_code == 200, "deleted anyway"


@pytest.mark.parametrize(
    "edits",
    [
        {"lead_id": "00000000-0000-0000-0000-000000000000"},
        {"to_email": "attacker@evil.example"},
        {"email_account_id": "00000000-0000-0000-0000-000000000001"},
        {"to_phone": "+15550000000"},
        {"Subject": "case trick"},
        {"subject ": "trailing space trick"},
        {"body": "ok", "to_email": "attacker@evil.example"},
        {"subject": ["list", "value"]},
        {"subject": {"nested": "object"}},
        {"body_text": ""},
    ],
    ids=lambda e: "-".join(e)[:30],
)
def test_approve_edits_cannot_touch_what_the_person_did_not_see(
    server: Server, edits: dict[str, Any]
) -> None:
    """Edits naming non-editable fields (or junk values): 422, still pending, nothing sent."""
    user = new_user("edit")
    lead = server.new_lead()
    card = server.propose(user, f"email {lead['name']} about pricing: Hi, our pricing.")
    answer = _approve_web(server, user, card["id"], {"edits": edits})
    assert answer.status_code == 422, answer.text[:300]
    assert answer.json().get("error")
    assert _status(server, user, card["id"]) == "pending"
    assert server.emails_of(lead["id"]) == []


@pytest.mark.parametrize(
    "body",
    [
        {"edits": {"subject": "New"}, "input": {"to_email": "attacker@evil.example"}},
        {"edits": {"subject": "New"}, "to_email": "attacker@evil.example"},
        {"lead_id": "00000000-0000-0000-0000-000000000000"},
    ],
    ids=["input-sibling", "top-level-to_email", "top-level-lead_id"],
)
def test_extra_fields_around_edits_never_change_the_recipient(
    server: Server, body: dict[str, Any]
) -> None:
    """Fields smuggled beside `edits`: refused (4xx) or ignored; never a different recipient."""
    user = new_user("smuggle")
    lead = server.new_lead()
    card = server.propose(user, f"email {lead['name']} about pricing: Hi, our pricing.")
    answer = _approve_web(server, user, card["id"], body)
    assert answer.status_code < 500, answer.text[:300]
    recipients = {e["to_email"] for e in server.emails_of(lead["id"])}
    assert recipients <= {lead["email"]}, recipients
    assert {e["lead_id"] for e in server.emails_of(lead["id"])} <= {lead["id"]}


def test_cli_set_cannot_change_recipient_fields(server: Server) -> None:
    """`coworker actions approve --set to_email=... --set lead_id=...`: refused, nothing sent."""
    lead = server.new_lead()
    env = {"COWORKER_DATA_DIR": str(server.data_dir), "COWORKER_SECRET_KEY": server.secret_key}
    shown = cli(["chat", "-m", f"email {lead['name']} about pricing: Hi there.", "--json"], env)
    (action,) = json.loads(shown.stdout)["actions"]
    done = cli(
        [
            "actions",
            "approve",
            action["id"],
            "--set",
            "to_email=attacker@evil.example",
            "--set",
            "lead_id=00000000-0000-0000-0000-000000000000",
        ],
        env,
    )
    assert done.returncode != 0
    assert server.emails_of(lead["id"]) == []


def test_slack_edit_form_with_an_injected_recipient_block(server: Server, slack: Slack) -> None:
    """Slack edit submission carrying extra to_email/lead_id blocks: recipient unchanged."""
    lead = server.new_lead()
    user = "UATK2"
    answer, ts = slack.dm(f"email {lead['name']} about pricing: Hi, our pricing.", user)
    assert answer.status_code == 200
    action_id, card = slack.card(ts)
    assert slack.click("edit", action_id, user, card).status_code == 200
    view = slack.edit_view(action_id)
    values = {
        "subject": {"value": {"type": "plain_text_input", "value": "Edited"}},
        "body_text": {"value": {"type": "plain_text_input", "value": "Edited body"}},
        "to_email": {"value": {"type": "plain_text_input", "value": "attacker@evil.example"}},
        "lead_id": {"value": {"type": "plain_text_input", "value": "0000"}},
    }
    assert slack.submit(view, user, values).status_code < 500
    honest = {k: values[k] for k in ("subject", "body_text")}
    assert slack.submit(view, user, honest).status_code < 500  # then a plain edit: it must send
    wait_until(lambda: server.emails_of(lead["id"]), timeout=30, what="the edited email")
    assert {e["to_email"] for e in server.emails_of(lead["id"])} <= {lead["email"]}


def test_mcp_token_cannot_approve_even_with_a_forged_audience_header(server: Server) -> None:
    """An MCP token (aud mcp) approving its own card over the web API: 403, nothing sent."""
    user = new_user("selfapprove")
    lead = server.new_lead()
    mcp_call(server.url, user, "send_sms", {"lead_id": lead["id"], "message": "self"})
    (pending,) = server.actions(user)
    headers = {**auth(user, "mcp"), "X-Token-Audience": "web"}
    answer = httpx.post(
        f"{server.url}/api/actions/{pending['id']}/approve", json={}, headers=headers, timeout=30
    )
    assert answer.status_code == 403
    assert server.sms_to(lead["id"]) == []
    assert SECRET  # the host application's secret never leaves the test
