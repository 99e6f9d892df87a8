"""Bulk groups read filter by filter, a waiting email moved to another mailbox, and the
sending readers' "email for X" (a question) and "the acme guy" (a person named by company)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coworker.llm.offline.intents import classify
from coworker.llm.offline.intents.bulk import bulk_request, read_group
from coworker.llm.offline.intents.mailboxes import switch_mailbox_request
from coworker.llm.offline.text import Utterance

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("who", "group"),
    [
        ("all my new acme leads", {"status": "new", "company": "acme", "mine": True}),
        ("all hot leads at acme", {"tag": "hot", "company": "acme", "status": None}),
        ("all the hot acme ppl", {"tag": "hot", "company": "acme"}),
        ("all leads at acme who are still new", {"status": "new", "company": "acme"}),
        ("all the new leads at acme i own", {"status": "new", "company": "acme", "mine": True}),
        ("all new leads at acme incl sams", {"status": "new", "company": "acme", "mine": None}),
        ("all leads tagged vip", {"tag": "vip", "company": None}),
        ("all my qualified initech leads", {"status": "qualified", "company": "initech"}),
        # a word that is no filter is kept to be asked about, never dropped
        ("all local leads at initech", {"company": "initech", "unread": "local"}),
        ("all my stale leads at acme", {"company": "acme", "unread": "stale", "mine": True}),
    ],
)
def test_reads_every_filter_of_the_group(who: str, group: dict[str, object]) -> None:
    found = read_group(who)
    assert found is not None
    for key, value in group.items():
        assert found.get(key) == value, (key, found)


@pytest.mark.parametrize("who", ["all of them", "everyone", "all of those"])
def test_names_no_group(who: str) -> None:
    assert read_group(who) is None


def test_a_colon_later_starts_the_words_not_a_that_in_the_group() -> None:
    intent = bulk_request("email every new pied piper lead that's mine: hi, following up", NOW)
    assert (
        intent is not None
        and intent.slots.get("mine")
        and intent.slots.get("company") == "pied piper"
    )
    assert intent.slots.get("message") == "hi, following up"
    late = bulk_request("text all my leads that i'm running late", NOW)
    assert late is not None and late.slots.get("message") == "i'm running late"


@pytest.mark.parametrize(
    ("said", "slots"),
    [
        ("mark all my new acme leads as contacted", {"mine": True, "status": "new"}),
        ("set all the new leads at acme i own to contacted", {"mine": True, "company": "acme"}),
        ("mark all acme leads tagged hot as qualified", {"tag": "hot", "mark_as": "qualified"}),
        # no company is called that: the plan says so and asks, changing nothing
        ("mark all the dormant acme leads as contacted", {"company": "dormant acme"}),
    ],
)
def test_a_bulk_status_change_reads_its_group(said: str, slots: dict[str, object]) -> None:
    intent = classify(Utterance.of(said), NOW)
    assert intent.kind == "bulk_status", intent
    for key, value in slots.items():
        assert intent.slots.get(key) == value, (key, intent.slots)


@pytest.mark.parametrize(
    ("said", "mailbox"),
    [
        ("actually send it from outlook", "outlook"),
        ("use gmail instead", "gmail"),
        ("oops switch that to my other acct pls", "other"),
        ("no, outlook instead", "outlook"),
        ("can u send it from gmail instead", "gmail"),
        ("actually from alex@northwind.example", "alex@northwind.example"),
    ],
)
def test_a_mailbox_switch_for_the_waiting_email(said: str, mailbox: str) -> None:
    intent = classify(Utterance.of(said), NOW)
    assert intent.kind == "switch_mailbox" and intent.slots.get("mailbox") == mailbox


@pytest.mark.parametrize(
    "said",
    [
        "use gmail",  # the answer to "which mailbox?"
        "gmail",
        "email jane from outlook: hi",
        "actually send it from outlook and cc tom",  # more than a mailbox
    ],
)
def test_not_a_mailbox_switch(said: str) -> None:
    assert switch_mailbox_request(Utterance.of(said), said) is None


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("email for chris at umbrella", "chris"),
        ("email for luis ortega?", "luis ortega"),
        ("e-mail of hannah phillips pls", "hannah phillips"),
    ],
)
def test_email_for_someone_asks_their_address(said: str, name: str) -> None:
    intent = classify(Utterance.of(said), NOW)
    assert intent.kind == "find_leads" and intent.slots.get("field") == "email"
    assert intent.slots.get("ref").text == name


def test_email_for_someone_with_words_is_still_an_email() -> None:
    assert classify(Utterance.of("email for jane: hi there"), NOW).kind == "send_email"


@pytest.mark.parametrize(
    ("said", "company"),
    [
        ("email the acme guy the deck", "acme"),
        ("text someone at initech: running 5 late", "initech"),
        ("email the hooli contact re the demo: link inside", "hooli"),
    ],
)
def test_a_person_named_by_company_is_looked_for_at_it(said: str, company: str) -> None:
    ref = classify(Utterance.of(said), NOW).slots.get("ref")
    assert ref is not None and ref.text == company and ref.company is None
