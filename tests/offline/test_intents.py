"""Utterance -> intent and slots, for phrasings beyond the dev set (word order, casing,
synonyms, typos)."""

from __future__ import annotations

from typing import Any

import pytest

from coworker.llm.offline.intents import strip_preamble
from coworker.llm.offline.text import Utterance, correct
from tests.offline.readings import intent


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("is there anyone from Umbrella Health", "find_leads", {"who": "umbrella health"}),
        ("list leads at Hooli", "find_leads", {"who": "hooli"}),
        ("pull up chris johnson's record", "find_leads", {"who": "chris johnson"}),
        ("give me the details on Marcus", "find_leads", {"who": "marcus"}),
        ("What do we know about Dana Whitfield?", "find_leads", {"who": "dana whitfield"}),
        ("which leads are new", "find_leads", {"status": "new"}),
        ("show unqualified leads", "find_leads", {"status": "unqualified"}),
        ("whats Priya's email", "find_leads", {"who": "priya", "field": "email"}),
        (
            "add Jane Doe from Contoso as a lead, jane.doe@contoso.com",
            "create_lead",
            {"name": "Jane Doe", "company": "Contoso", "email": "jane.doe@contoso.com"},
        ),
        (
            "put Sarah Connor (Cyberdyne, VP Security) into the CRM",
            "create_lead",
            {"name": "Sarah Connor", "company": "Cyberdyne", "title": "VP Security"},
        ),
        ("Tom is qualified now", "update_status", {"who": "tom", "status": "qualified"}),
        ("flip Dana to customer", "update_status", {"who": "dana", "status": "customer"}),
        ("set status of Luis Ortega to qualified", "update_status", {"who": "luis ortega"}),
        ("update jane's number to 555-999-0000", "update_lead", {"who": "jane"}),
        ("label Chris Parker as hot", "tag_lead", {"who": "chris parker", "tag": "hot"}),
        ("make a new tag named priority-a", "create_tag", {"name": "priority-a"}),
        ("please delete jane smith", "delete_lead", {"who": "jane smith"}),
        (
            "I just got off the phone with Tom Becker, he wants a quote for 20 seats",
            "add_note",
            {"who": "tom becker", "outcome": "interested"},
        ),
        (
            "spoke to Priya: not interested at the moment",
            "add_note",
            {"who": "priya", "outcome": "not_interested"},
        ),
        (
            "Called Marcus - went to voicemail",
            "add_note",
            {"who": "marcus", "outcome": "voicemail"},
        ),
        ("Jane Smith - no answer", "add_note", {"who": "jane smith", "outcome": "no_answer"}),
        ("rang Dana, she asked us to call back Monday", "add_note", {"outcome": "callback"}),
        ("left a vm for chris parker", "add_note", {"who": "chris parker", "outcome": "voicemail"}),
        (
            "she's not interested anymore",
            "add_note",
            {"who": "<pronoun>", "outcome": "not_interested"},
        ),
        ("Tom Becker: wrong number", "add_note", {"outcome": "wrong_number"}),
        ("tried calling jane, no luck", "add_note", {"who": "jane", "outcome": "no_answer"}),
        (
            "remind me to email Tom the pricing sheet next Friday",
            "create_task",
            {"due": "2026-12-04T09:00:00-05:00", "who": "tom"},
        ),
        (
            "I have to call Chris Parker back tomorrow at 2:30pm",
            "create_task",
            {"due": "2026-11-27T14:30:00-05:00", "who": "chris parker"},
        ),
        (
            "set a reminder for Monday 9am: weekly pipeline review",
            "create_task",
            {"title": "Weekly pipeline review", "due": "2026-11-30T09:00:00-05:00"},
        ),
        ("create a low priority task to clean up duplicates", "create_task", {"priority": "low"}),
        ("new todo - send Jane the case study, high priority", "create_task", {"priority": "high"}),
        ("tasks overdue", "list_tasks", {"when": "overdue"}),
        ("What's on my to-do list for tomorrow?", "list_tasks", {"when": "tomorrow"}),
        ("show me Jane's tasks", "list_tasks", {"who": "jane"}),
        ("I'm done with the Initech proposal", "complete_task", {"phrase": "Initech proposal"}),
        ("finished: follow up with Jane Smith about pricing", "complete_task", {}),
        ("the Jane follow up is done", "complete_task", {}),
        (
            "push the Initech proposal to Monday",
            "update_task",
            {"due": "2026-11-30T09:00:00-05:00"},
        ),
        ("change the due date of the Initech proposal to Dec 10", "update_task", {}),
        (
            "email dana whitfield saying thanks for the call today",
            "send_email",
            {"who": "dana whitfield", "body": "thanks for the call today"},
        ),
        (
            "compose an email to Marcus: subject Renewal, body: Let's lock in the renewal",
            "send_email",
            {"who": "marcus", "subject": "Renewal"},
        ),
        ("mail Jane re contract: the contract is attached", "send_email", {"subject": "Contract"}),
        ("text Chris Parker saying I'll call in 10", "send_sms", {"message": "I'll call in 10"}),
        (
            'SMS Marcus Reed "contract signed, thanks!"',
            "send_sms",
            {"who": "marcus reed", "message": "contract signed, thanks!"},
        ),
        (
            "shoot Dana a text: call me when you can",
            "send_sms",
            {"message": "call me when you can"},
        ),
        ("what emails have we sent to Marcus?", "list_sent", {"who": "marcus", "channel": "email"}),
        ("did I email Jane already?", "list_sent", {"who": "jane"}),
        ("enrol Dana in the post demo follow up", "enroll", {"who": "dana"}),
        ("sign Marcus up for re-engagement", "enroll", {"who": "marcus"}),
        ("show the calls with Dana", "list_calls", {"who": "dana"}),
        ("deals in qualification", "list_deals", {"stage": "qualification"}),
        (
            "add opportunity Marcus Reed 20000 negotiation",
            "create_deal",
            {"who": "marcus reed", "value": 20000.0, "stage": "negotiation"},
        ),
        (
            "new opp for Dana Whitfield, 5k",
            "create_deal",
            {"who": "dana whitfield", "value": 5000.0},
        ),
        ("we lost the Initech license deal", "update_deal", {"stage": "closed_lost"}),
        (
            "set the value of the Acme deal to 45,000",
            "update_deal",
            {"who": "acme", "value": 45000.0},
        ),
        ("what do I need to focus on today?", "overview", {}),
        ("what are you able to do", "help", {}),
        ("export my leads to csv", "unsupported", {"topic": "report"}),
        ("call Chris Johnson", "call_lead", {"who": "chris johnson"}),
        (
            "Could you shoot an email over to Jane letting her know the contract is ready?",
            "send_email",
            {"who": "jane", "body": "The contract is ready."},
        ),
        (
            "let Jane know via text that I'm running late",
            "send_sms",
            {"who": "jane", "message": "I'm running late"},
        ),
        ("ping Jane on SMS: running late", "send_sms", {"message": "running late"}),
        ("notify Jane by email that the invoice is paid", "send_email", {"who": "jane"}),
        (
            "add 'call Jane' to my to-do list for tomorrow",
            "create_task",
            {"title": "Call Jane", "due": "2026-11-27T09:00:00-05:00"},
        ),
        ("what's Tom Becker's status?", "find_leads", {"who": "tom becker", "field": "status"}),
        ("how's the Initech deal going?", "list_deals", {"who": "initech"}),
        ("any updates on Jane?", "find_leads", {"who": "jane"}),
        ("did Jane open my email?", "unsupported", {"topic": "tracking"}),
        (
            "put a 15k deal on Chris Parker",
            "create_deal",
            {"who": "chris parker", "value": 15000.0},
        ),
        ("Jane - mark as qualified", "update_status", {"who": "jane", "status": "qualified"}),
        ("qualified: Jane Smith", "update_status", {"who": "jane smith"}),
        ("tomorrow remind me to call Dana", "create_task", {"who": "dana"}),
        (
            "Create task for Jane: send contract, due tomorrow",
            "create_task",
            {"who": "jane", "title": "Send contract"},
        ),
        ("move Tom Becker from new to contacted", "update_status", {"who": "tom becker"}),
        ("tell Jane by text that the demo moved to 4pm", "send_sms", {"who": "jane"}),
    ],
)
def test_phrasings(text: str, kind: str, expected: dict[str, Any]) -> None:
    got_kind, slots = intent(text)
    assert got_kind == kind, (text, got_kind, slots)
    for key, value in expected.items():
        assert slots.get(key) == value, (text, key, slots)


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [
        ("emial", "email"),
        ("tomorow", "tomorrow"),
        ("qualifed", "qualified"),
        ("taks", "task"),
        ("negotation", "negotiation"),
        ("overdeu", "overdue"),
        ("wendesday", "wednesday"),
    ],
)
def test_keyword_typos_are_fixed(typo: str, fixed: str) -> None:
    assert correct(typo) == fixed


@pytest.mark.parametrize(
    "word", ["contract", "talks", "place", "market", "little", "remote", "label"]
)
def test_real_words_are_left_alone(word: str) -> None:
    assert correct(word) == word


def test_names_are_never_corrected() -> None:
    u = Utterance.of("email Jane about Monday")
    assert "Jane" in u.text


def test_preamble_and_politeness_are_ignored() -> None:
    assert strip_preamble("Hey, could you please show my tasks, thanks!") == "show my tasks"
    assert strip_preamble("text Jane: see you soon, thanks!") == "text Jane: see you soon, thanks!"


def test_casing_and_punctuation_do_not_matter() -> None:
    a = intent("MARK JANE AS QUALIFIED!!!")
    b = intent("mark jane as qualified")
    assert a[0] == b[0] == "update_status"
    assert a[1]["status"] == b[1]["status"] == "qualified"
