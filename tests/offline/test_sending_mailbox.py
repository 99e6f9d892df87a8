"""Sending: the mailbox the person named (anywhere before the body, never from the body),
the body as typed, the number a text goes to, and what was sent in a period."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from coworker.llm.offline.conversation import Clock
from coworker.llm.offline.intents import classify
from coworker.llm.offline.intents.common import Intent
from coworker.llm.offline.plans.messages import named_mailbox
from coworker.llm.offline.plans.outbox import sent_days
from coworker.llm.offline.text import Utterance

NOW = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)  # a Wednesday


def read(text: str) -> Intent:
    return classify(Utterance.of(text), NOW)


@pytest.mark.parametrize(
    ("text", "mailbox", "who", "body"),
    [
        (
            "from gmail email marcus re: contract - hi marcus, it's ready",
            "gmail",
            "marcus",
            "hi marcus, it's ready",
        ),
        (
            "gmail acct pls, email chris johnson re proposal: hi chris, attached",
            "gmail",
            "chris johnson",
            "hi chris, attached",
        ),
        (
            "o365 acct pls - email dana re budget: can we move it to fri",
            "outlook",
            "dana",
            "can we move it to fri",
        ),
        (
            "send it from my other mailbox this time - email luis: quick q",
            "other",
            "luis",
            "quick q",
        ),
        (
            "use alex.rivera@northwind-mail.example to email tom becker: great meeting u",
            "alex.rivera@northwind-mail.example",
            "tom becker",
            "great meeting u",
        ),
        (
            "email jane from my outlook acct re: pricing - hi jane, 40 seats",
            "outlook",
            "jane",
            "hi jane, 40 seats",
        ),
        ("shoot tom a note from outlook - thx for today", "outlook", "tom", "thx for today"),
        (
            "email priya shah using alex@northwind.example: welcome aboard",
            "alex@northwind.example",
            "priya shah",
            "welcome aboard",
        ),
        (
            "send marcus an email from gmail, subject contract, say hi marcus it's ready",
            "gmail",
            "marcus",
            "hi marcus it's ready",
        ),
        ("email hannah from my yahoo acct: hi", "yahoo", "hannah", "hi"),
        ("email mei via the other one: demo link below", "other", "mei", "demo link below"),
        (
            "let jane know by email from outlook that the contract's ready",
            "outlook",
            "jane",
            "The contract's ready.",
        ),
        ("from outlook let jane know by email that we're live", "outlook", "jane", "We're live."),
        ("email jane re pricing (outlook): see attached", "outlook", "jane", "see attached"),
        ("send jane an email on outlook: hi", "outlook", "jane", "hi"),
        ("on gmail pls - email luis: hi luis", "gmail", "luis", "hi luis"),
        (
            "email jane about the pricing from my outlook: here it is",
            "outlook",
            "jane",
            "here it is",
        ),
    ],
)
def test_the_mailbox_named_anywhere_before_the_body(
    text: str, mailbox: str, who: str, body: str
) -> None:
    intent = read(text)
    assert intent.kind == "send_email"
    assert intent.slots.get("mailbox") == mailbox
    assert intent.slots.get("ref").text == who
    assert intent.slots.get("body") == body


@pytest.mark.parametrize(
    "text",
    [
        "email jane: i'll send the contract from my outlook tmrw",
        "email marcus re switching from outlook: hi marcus, we move off it next wk",
        "email jane: pls use my gmail acct for replies",
        "email jane from acme: hi",
        "email dana about moving from gmail: we switch next wk",
        "let jane know by email that i moved from outlook to gmail",
        "email jane on the google doc: pls review",
        "email jane: from outlook, the numbers look off",
        "email jane - using gmail now, pls update ur contacts",
        "let jane know by email: from outlook the numbers look off",
    ],
)
def test_a_mailbox_in_the_body_or_the_topic_is_not_the_sender(text: str) -> None:
    intent = read(text)
    assert intent.kind == "send_email"
    assert intent.slots.get("mailbox") is None


def test_the_body_keeps_the_persons_own_shorthand() -> None:
    sms = read("text jane: pls txt me back w/ the # & the addr")
    assert sms.slots.get("message") == "pls txt me back w/ the # & the addr"
    email = read("email jane: opps look good, follow-up tmrw w/ todos")
    assert email.slots.get("body") == "opps look good, follow-up tmrw w/ todos"
    bulk = read("email all new leads at acme: hi, quick intro w/ pricing")
    assert bulk.kind == "bulk_send" and bulk.slots.get("message") == "hi, quick intro w/ pricing"


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("text jane at 555-999-0000: running late", "555-999-0000"),
        ("txt luis on his cell 555-031-8825 - omw", "555-031-8825"),
        ("text luis: call me at 555-000-1234 when u can", None),  # in the message: data
    ],
)
def test_a_number_typed_for_a_text_is_kept_to_check(text: str, phone: str | None) -> None:
    intent = read(text)
    assert intent.kind == "send_sms"
    assert intent.slots.get("phone") == phone


ACCOUNTS: list[dict[str, Any]] = [
    {
        "id": "a",
        "email": "alex@northwind.example",
        "provider": "gmail",
        "is_default": True,
        "display_name": "Alex Rivera",
    },
    {
        "id": "b",
        "email": "alex.rivera@northwind-mail.example",
        "provider": "outlook",
        "is_default": False,
        "display_name": "Alex Rivera (Northwind Traders)",
    },
]


@pytest.mark.parametrize(
    ("wanted", "found"),
    [
        ("outlook", "b"),
        ("gmail", "a"),
        ("other", "b"),
        ("default", "a"),
        ("alex.rivera@northwind-mail.example", "b"),
        ("northwind-mail", "b"),
        ("traders", "b"),
        ("yahoo", None),
        ("smtp", None),
        ("alex@gmail.example", None),  # an address that is not theirs: never a near miss
        ("work", None),
    ],
)
def test_a_named_mailbox_is_that_one_or_a_question(wanted: str, found: str | None) -> None:
    box = named_mailbox(ACCOUNTS, wanted)
    assert (box["id"] if box else None) == found


def test_two_mailboxes_of_the_named_provider_are_a_question() -> None:
    two = [*ACCOUNTS, {"id": "c", "email": "sales@northwind.example", "provider": "gmail"}]
    assert named_mailbox(two, "gmail") is None
    three = [*two, {"id": "d", "email": "x@y.example", "provider": "smtp"}]
    assert named_mailbox(three, "other") is None


@pytest.mark.parametrize(
    ("text", "channel", "who", "period"),
    [
        ("emails i sent this wk", "email", "", "this week"),
        ("texts sent today", "sms", "", "today"),
        ("what did i send jane", "both", "jane", None),
        ("any emails to marcus this wk", "email", "marcus", "this week"),
        ("did i text luis yday", "sms", "luis", "yesterday"),
        ("wht emails did i send last wk", "email", "", "last week"),
        ("last email w chris johnson?", "email", "chris johnson", None),
        ("latest texts to jane", "sms", "jane", None),
    ],
)
def test_what_was_sent_in_shorthand(text: str, channel: str, who: str, period: str) -> None:
    intent = read(text)
    assert intent.kind == "list_sent"
    assert (
        intent.slots.get("channel"),
        intent.slots.get("ref").text,
        intent.slots.get("period"),
    ) == (
        channel,
        who,
        period,
    )


@pytest.mark.parametrize(
    "text", ["which email accts do i have", "sent jane the deck yday", "text jane: omw"]
)
def test_not_a_sent_list(text: str) -> None:
    assert read(text).kind != "list_sent"


def test_periods_are_days_in_the_persons_zone() -> None:
    clock = Clock(NOW, ZoneInfo("America/Denver"))
    assert [d.isoformat() for d in sent_days("this week", clock)] == ["2026-12-07", "2026-12-09"]
    assert [d.isoformat() for d in sent_days("last week", clock)] == ["2026-11-30", "2026-12-06"]
    assert [d.isoformat() for d in sent_days("yesterday", clock)] == ["2026-12-08"] * 2


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("put all the acme leads in nurture", "all the acme leads"),
        ("enroll everyone at initech in the post demo seq", "everyone at initech"),
        ("put marcus in the post demo seq", None),
    ],
)
def test_a_group_for_a_sequence_is_named_as_a_group(text: str, group: str | None) -> None:
    intent = read(text)
    assert intent.kind == "enroll"
    assert intent.slots.get("group") == group


@pytest.mark.parametrize(
    ("text", "kind", "said"),
    [
        ("text from jane: can we move to thursday?", "send_sms", "can we move to thursday?"),
        (
            "got a text from marcus: can u send the redlines tonight?",
            "send_sms",
            "can u send the redlines tonight?",
        ),
        (
            "i got an email from hannah saying the deck link is broken",
            "send_email",
            "the deck link is broken",
        ),
    ],
)
def test_a_message_received_is_reported_never_sent(text: str, kind: str, said: str) -> None:
    intent = read(text)
    assert (intent.kind, intent.slots.get("received")) == (kind, said)
    assert intent.slots.get("message") is None and intent.slots.get("body") is None


def test_a_mailbox_after_from_is_a_send_and_filler_is_no_message() -> None:
    assert read("email from gmail to marcus: contract attached").slots.get("mailbox") == "gmail"
    assert read("text her too").slots.get("message") is None
    assert read("email him again").slots.get("body") is None
