"""Tool profiles: read from the contract's `x-coworker` extensions, strictly."""

from __future__ import annotations

import pytest

from coworker.agent.cards import card_of, normalise_edits, outcome_of
from coworker.dialsheet.profiles import parse_profile
from coworker.errors import ToolInputError
from coworker.tools.catalog import build_catalog
from coworker.tools.policy import DEFAULT_CONFIRM, Risk


def test_every_tool_that_waits_for_a_person_declares_how_it_reads() -> None:
    catalog = build_catalog()
    waiting = [tool for tool in catalog if tool.risk in DEFAULT_CONFIRM]
    assert {t.name for t in waiting if t.risk is Risk.OUTBOUND} == {
        "send_email",
        "send_sms",
        "enroll_in_sequence",
    }
    for tool in waiting:
        assert tool.profile.label and tool.profile.card and tool.profile.noun, tool.name


def test_a_typo_in_a_profile_fails_at_start_up() -> None:
    with pytest.raises(ValueError, match="unknown x-coworker keys"):
        parse_profile({"lable": "Send"}, "send_fax")
    with pytest.raises(ValueError, match="exactly one of field or show"):
        parse_profile({"card": [{"field": "a", "show": "b", "label": "A"}]}, "send_fax")
    with pytest.raises(ValueError, match="only an input field can be editable"):
        parse_profile({"card": [{"show": "to", "label": "To", "editable": True}]}, "send_fax")


def test_the_card_and_outcome_of_an_email_read_as_a_person_would_say_them() -> None:
    profile = build_catalog().get("send_email").profile  # type: ignore[union-attr]
    arguments = {"email_account_id": "m1", "lead_id": "l1", "subject": "Hi", "body_text": "B"}
    display = {
        "from": "me@acme.com",
        "mailbox": "Sam Lee",
        "provider": "Gmail",
        "to": "jane@acme.com",
        "lead": "Jane Smith (Acme)",
    }
    card = card_of(profile, arguments, display, {"body_text": "Edited"})
    # Each party once, in words: no Lead line repeating the recipient, no ids.
    assert [(f.label, f.value) for f in card] == [
        ("From", "Sam Lee <me@acme.com> (Gmail)"),
        ("To", "Jane Smith (Acme) <jane@acme.com>"),
        ("Subject", "Hi"),
        ("Body", "Edited"),
    ]
    assert [f.key for f in card if f.editable] == ["subject", "body_text"]
    assert [f.key for f in card if f.multiline] == ["body_text"]
    said = {
        status: outcome_of(profile, status, reason="too pushy", error="The phone changed.")
        for status in ("pending", "succeeded", "rejected", "expired", "stale", "unknown")
    }
    assert said == {
        "pending": None,
        "succeeded": "Sent.",
        "rejected": "Cancelled: too pushy",
        "expired": "Expired, not sent",
        "stale": "Not sent: the phone changed.",
        "unknown": "Unknown whether it was sent — check before sending again",
    }


def test_edits_use_the_declared_fields_and_aliases_only() -> None:
    profile = build_catalog().get("send_email").profile  # type: ignore[union-attr]
    assert normalise_edits("send_email", profile, {"body": "New"}) == {"body_text": "New"}
    with pytest.raises(ToolInputError, match="cannot be edited"):
        normalise_edits("send_email", profile, {"to_email": "x@evil.example"})


def test_a_declared_card_still_shows_every_input_it_does_not_mention() -> None:
    """What runs is the whole input: a send that also takes `bcc` shows it, even when the
    profile's card (written before the CRM added it) never mentions one."""
    from coworker.agent.cards import card_of
    from coworker.dialsheet.contract import load_contract

    profile = load_contract().operations["send_email"].profile
    arguments = {
        "email_account_id": "m1",
        "to_email": "jane@acme.com",
        "subject": "Hi",
        "body_text": "Hello",
        "bcc": "evil@example.com",
    }
    display = {"from": "me@us.com", "to": "jane@acme.com"}
    card = {line.key: line for line in card_of(profile, arguments, display)}
    assert card["bcc"].value == "evil@example.com" and not card["bcc"].editable
    assert "email_account_id" not in card and "to_email" not in card  # shown by name
