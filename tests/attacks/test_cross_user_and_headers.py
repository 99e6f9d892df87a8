"""Cross-user access through every channel, and CR/LF header injection through every send path."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.attacks.conftest import (
    ALEX_KEY,
    Server,
    Slack,
    auth,
    cli,
    mcp_call,
    new_user,
    wait_until,
)


def _a_card(server: Server) -> tuple[str, dict[str, str], dict[str, object]]:
    owner = new_user("alice")
    lead = server.new_lead()
    card = server.propose(owner, f"email {lead['name']} about pricing: Hi, our pricing.")
    return owner, lead, card  # type: ignore[return-value]


@pytest.mark.parametrize(
    "how",
    [
        "approve",
        "approve-edited",
        "reject",
        "get-conversation",
        "list-by-conversation",
        "chat-into-conversation",
        "mcp-token-read",
        "mcp-token-approve",
    ],
)
def test_another_person_cannot_touch_my_actions_or_conversations(server: Server, how: str) -> None:
    """User B (web or MCP token) acting on A's action/conversation: 404/403, nothing changes."""
    owner, lead, card = _a_card(server)
    intruder = new_user("bob")
    cid, aid = card["conversation_id"], card["id"]
    headers = auth(intruder, "mcp" if how.startswith("mcp") else None)
    url = server.url
    answer = {
        "approve": lambda: httpx.post(f"{url}/api/actions/{aid}/approve", json={}, headers=headers),
        "approve-edited": lambda: httpx.post(
            f"{url}/api/actions/{aid}/approve",
            headers=headers,
            json={"edits": {"subject": "pwned"}},
        ),
        "reject": lambda: httpx.post(f"{url}/api/actions/{aid}/reject", json={}, headers=headers),
        "get-conversation": lambda: httpx.get(f"{url}/api/conversations/{cid}", headers=headers),
        "list-by-conversation": lambda: httpx.get(
            f"{url}/api/actions", headers=headers, params={"conversation_id": cid, "status": "all"}
        ),
        "chat-into-conversation": lambda: httpx.post(
            f"{url}/api/chat",
            headers=headers,
            json={"message": "approve it", "conversation_id": cid},
        ),
        "mcp-token-read": lambda: httpx.get(f"{url}/api/conversations/{cid}", headers=headers),
        "mcp-token-approve": lambda: httpx.post(
            f"{url}/api/actions/{aid}/approve", json={}, headers=headers
        ),
    }[how]()
    if how == "list-by-conversation":
        assert answer.status_code in (200, 404, 422)
        if answer.status_code == 200:
            assert answer.json()["actions"] == []
    else:
        assert answer.status_code in (403, 404), f"{answer.status_code}: {answer.text[:200]}"
        assert aid not in answer.text and str(lead["email"]) not in answer.text
    assert server.action(owner, str(aid))["status"] == "pending"
    assert server.emails_of(str(lead["id"])) == []
    shown = httpx.get(f"{url}/api/conversations/{cid}", headers=auth(owner)).json()
    assert "approve it" not in json.dumps(shown)


@pytest.mark.parametrize(
    "variant",
    ["ALICE", "alice ", " alice", "alice\u0000", "ａｌｉｃｅ", "web:alice", "alice\u200b"],
)
def test_lookalike_subjects_are_different_people(server: Server, variant: str) -> None:
    """Case/space/NUL/fullwidth/zero-width lookalikes of a subject see none of its data."""
    owner = f"alice{new_user('')}"
    server.chat(owner, "hello")
    lookalike = variant.replace("alice", owner) if "alice" in variant else variant
    answer = httpx.get(server.url + "/api/conversations", headers=auth(lookalike), timeout=30)
    if answer.status_code == 200:
        assert answer.json()["conversations"] == [], variant
    else:
        assert answer.status_code in (400, 401, 422)


def test_slack_user_cannot_decide_another_slack_users_card(server: Server, slack: Slack) -> None:
    """U2 clicks Approve on U1's card: refused, nothing sent; U1 can still decide."""
    lead = server.new_lead()
    answer, ts = slack.dm(f"email {lead['name']} about pricing: Hi, our pricing.", "UOWNER")
    assert answer.status_code == 200
    action_id, card = slack.card(ts)
    assert slack.click("approve", action_id, "UINTRUDER", card).status_code == 200
    wait_until(
        lambda: any(
            "UOWNER" in json.dumps(c) or "Only" in json.dumps(c)
            for c in slack.mock.of("chat.postEphemeral")
        ),
        timeout=20,
        what="the private refusal",
    )
    assert server.emails_of(lead["id"]) == []
    assert slack.click("approve", action_id, "UOWNER", card).status_code == 200
    wait_until(lambda: server.emails_of(lead["id"]), timeout=30, what="the owner's approval")


def test_cli_local_user_cannot_approve_a_web_users_action(server: Server) -> None:
    """`coworker actions approve` on a web user's action (same data dir): refused, nothing sent."""
    owner, lead, card = _a_card(server)
    env = {"COWORKER_DATA_DIR": str(server.data_dir), "COWORKER_SECRET_KEY": server.secret_key}
    done = cli(["actions", "approve", str(card["id"])], env)
    assert done.returncode != 0
    assert server.emails_of(str(lead["id"])) == []
    assert server.action(owner, str(card["id"]))["status"] == "pending"


def test_cross_user_on_the_other_replica(pg_replicas: list[Server]) -> None:
    """A's card made on replica 1, B approves on replica 2: 404, still pending."""
    first, second = pg_replicas
    owner, intruder = new_user("a"), new_user("b")
    lead = first.new_lead()
    card = first.propose(owner, f"text {lead['name']}: hi")
    second.connect_key(intruder)
    answer = httpx.post(
        f"{second.url}/api/actions/{card['id']}/approve",
        json={},
        headers=auth(intruder),
        timeout=30,
    )
    assert answer.status_code == 404
    assert second.action(owner, card["id"])["status"] == "pending"


# ------------------------------------------------------------------ CR/LF header injection

INJECTIONS = [
    "Hi\r\nBcc: victim@evil.example",
    "Hi\nBcc: victim@evil.example",
    "Hi\rBcc: x@evil.example",
    "Hi\u0085Bcc: x@evil.example",
    "Hi\u2028Bcc: x@evil.example",
    "Hi\r\n\r\n<html>body</html>",
]


@pytest.mark.parametrize("subject", INJECTIONS, ids=["crlf", "lf", "cr", "nel", "ls", "crlfcrlf"])
def test_subject_edit_with_line_breaks_is_refused(server: Server, subject: str) -> None:
    """Approve with a subject edit holding CR/LF/NEL/LS: 422, still pending, nothing sent."""
    user = new_user("crlf")
    lead = server.new_lead()
    card = server.propose(user, f"email {lead['name']} about pricing: Hi, pricing.")
    answer = httpx.post(
        f"{server.url}/api/actions/{card['id']}/approve",
        headers=auth(user),
        json={"edits": {"subject": subject}},
        timeout=60,
    )
    assert answer.status_code == 422, answer.text[:200]
    assert server.emails_of(lead["id"]) == []


@pytest.mark.parametrize(
    "field,value",
    [
        ("subject", "Hi\r\nBcc: victim@evil.example"),
        ("to_email", "a@b.example\r\nBcc: victim@evil.example"),
        ("to_email", "a@b.example\nCc: victim@evil.example"),
    ],
    ids=["subject", "to-crlf", "to-lf"],
)
def test_mcp_send_email_with_header_injection_never_waits(
    server: Server, field: str, value: str
) -> None:
    """MCP send_email with CR/LF in subject or recipient: a tool error, no pending card."""
    user = new_user("mcpcrlf")
    lead = server.new_lead()
    args = {"lead_id": lead["id"], "subject": "Pricing", "body_text": "Hello", field: value}
    result = mcp_call(server.url, user, "send_email", args)
    assert result.is_error is True
    assert server.actions(user) == []


def test_chat_cannot_produce_a_card_with_a_multiline_subject(server: Server) -> None:
    """A chat message smuggling CR/LF into the subject: any card's subject is one line."""
    user = new_user("chatcrlf")
    lead = server.new_lead()
    answer = httpx.post(
        server.url + "/api/chat",
        headers=auth(user),
        timeout=60,
        json={"message": f"email {lead['name']} about pricing\r\nBcc: victim@evil.example: Hi."},
    )
    assert answer.status_code < 500
    for action in answer.json().get("actions", []) if answer.status_code == 200 else []:
        subject = action["input"].get("subject", "")
        assert "\r" not in subject and "\n" not in subject, subject


def test_cli_set_subject_with_crlf_is_refused(server: Server) -> None:
    """`actions approve --set subject=$'Hi\\r\\nBcc: ...'`: refused, nothing sent."""
    lead = server.new_lead()
    env = {"COWORKER_DATA_DIR": str(server.data_dir), "COWORKER_SECRET_KEY": server.secret_key}
    shown = cli(["chat", "-m", f"email {lead['name']} about pricing: Hi there.", "--json"], env)
    (action,) = json.loads(shown.stdout)["actions"]
    done = cli(
        ["actions", "approve", action["id"], "--set", "subject=Hi\r\nBcc: victim@evil.example"], env
    )
    assert done.returncode != 0
    assert server.emails_of(lead["id"]) == []


def test_slack_edit_form_subject_with_crlf(server: Server, slack: Slack) -> None:
    """Slack edit form with a CR/LF subject: nothing sent with a line break in its subject."""
    lead = server.new_lead()
    answer, ts = slack.dm(f"email {lead['name']} about pricing: Hi, our pricing.", "UCRLF")
    assert answer.status_code == 200
    action_id, card = slack.card(ts)
    slack.click("edit", action_id, "UCRLF", card)
    view = slack.edit_view(action_id)
    bad = {
        "subject": {"value": {"type": "plain_text_input", "value": "Hi\r\nBcc: v@evil.example"}},
        "body_text": {"value": {"type": "plain_text_input", "value": "Body"}},
    }
    slack.submit(view, "UCRLF", bad)
    good = {
        "subject": {"value": {"type": "plain_text_input", "value": "Clean"}},
        "body_text": {"value": {"type": "plain_text_input", "value": "Body"}},
    }
    slack.submit(view, "UCRLF", good)
    wait_until(lambda: server.emails_of(lead["id"]), timeout=30, what="an email")
    for email in server.emails_of(lead["id"]):
        assert "\r" not in email["subject"] and "\n" not in email["subject"]


@pytest.mark.parametrize("mount", ["crm", "sandbox"])
@pytest.mark.parametrize("field", ["subject", "to_email"])
def test_sandbox_refuses_line_breaks_in_email_headers(
    server: Server, mount: str, field: str
) -> None:
    """POST /api/v1/emails straight to the CRM with CR/LF in subject or to_email: 400."""
    base = server.crm + "/api/v1" if mount == "crm" else server.url + "/sandbox/api/v1"  # type: ignore[operator]
    headers = {"Authorization": f"Bearer {ALEX_KEY}"}
    account = httpx.get(base + "/email-accounts", headers=headers).json()["email_accounts"][0]
    body = {
        "email_account_id": account["id"],
        "to_email": "a@b.example",
        "subject": "S",
        "body_text": "B",
    }
    body[field] = body[field] + "\r\nBcc: victim@evil.example"
    answer = httpx.post(base + "/emails", json=body, headers=headers, timeout=30)
    assert answer.status_code == 400, answer.text[:200]
    assert "error" in answer.json()
