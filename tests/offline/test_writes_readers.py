"""Writes as people type them: what the readers take from a task, a deal or a status request,
and what they leave to be asked (no amount, a stage or status the CRM doesn't have)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.offline.readings import intent


@pytest.mark.parametrize(
    ("text", "who", "title", "due", "priority"),
    [
        # the date and time, wherever they sit, are cut from the name and the title
        ("pls add a fu task w/ jane smith tmrw 10am", "jane smith", "fu", "2026-11-27T10:00", None),
        ("task to send chris johnson the contract monday morning", "chris johnson",
         "send chris johnson the contract", "2026-11-30T09:00", None),
        ("reminder to chase olivia garcia re the renewal next wk", "olivia garcia",
         "chase olivia garcia re the renewal", None, None),
        ("tmrw 10am call w jane smith", "jane smith", "call w jane smith", "2026-11-27T10:00",
         None),
        ("need to send priya the contract by fri", "priya", "send priya the contract",
         "2026-11-27T17:00", None),
        ("luis - fu re invoice eod", "luis", "luis - fu re invoice", "2026-11-26T17:00", None),
        # the priority said first
        ("high prio task: send hannah phillips the questionnaire fri", "hannah phillips",
         "send hannah phillips the questionnaire", "2026-11-27", "high"),
        ("urgent: call marcus back tmrw", "marcus", "call marcus back", "2026-11-27", "high"),
        ("low priority task - email mei hayes the deck mon", "mei hayes",
         "email mei hayes the deck", "2026-11-30", "low"),
    ],
)  # fmt: skip
def test_a_task_keeps_its_words_without_the_date(
    text: str, who: str, title: str, due: str | None, priority: str | None
) -> None:
    kind, slots = intent(text)
    assert kind == "create_task", (text, kind, slots)
    assert slots.get("who") == who
    assert str(slots["title"]).lower().startswith(title)
    assert not any(w in str(slots["title"]).lower() for w in ("tmrw", "10am", "monday", " fri"))
    if due is not None:
        assert str(slots["due"]).startswith(due)
    assert slots.get("priority") == priority


@pytest.mark.parametrize(
    "text", ["tasks for jane", "open tasks for jane", "whats due this wk", "today's tasks"]
)
def test_task_lists_stay_lists(text: str) -> None:
    assert intent(text)[0] == "list_tasks"


@pytest.mark.parametrize(
    ("text", "who", "value", "stage"),
    [
        ("opp for olivia garcia, 40k, qualification", "olivia garcia", 40000, "qualification"),
        ("deal for maya schmidt $18,500 negotiation", "maya schmidt", 18500, "negotiation"),
        ("new opp mei hayes 25k prospecting", "mei hayes", 25000, "prospecting"),
        ("opp for olivia garcia closing in 2 wks", "olivia garcia", None, None),
    ],
)
def test_a_bare_opp_with_values_opens_a_deal(
    text: str, who: str, value: float | None, stage: str | None
) -> None:
    kind, slots = intent(text)
    assert kind == "create_deal"
    assert slots.get("who") == who
    assert slots.get("value") == value  # None: no number is taken from "2 wks"
    assert slots.get("stage") == stage


@pytest.mark.parametrize("text", ["opp for olivia garcia", "deals for jane"])
def test_a_bare_opp_without_values_is_a_read(text: str) -> None:
    assert intent(text)[0] == "list_deals"


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("move marcus's deal to almost done", {"who": "marcus", "stage_words": "almost done"}),
        ("move the acme team plan deal to warm", {"who": "acme team plan", "stage_words": "warm"}),
        ("bump the acme team plan deal to 40k", {"who": "acme team plan", "value": 40000}),
        ("acme deal is now 40k", {"who": "acme", "value": 40000}),
        ("push the initech deal to next month", {"who": "initech", "close": "2026-12-01"}),
    ],
)
def test_deal_updates_read_or_ask(text: str, slots: dict[str, Any]) -> None:
    kind, found = intent(text)
    assert kind == "update_deal"
    assert {k: found.get(k) for k in slots} == slots
    assert found.get("stage") is None


def test_a_stage_word_the_crm_lacks_is_kept_to_ask_about() -> None:
    kind, slots = intent("new deal: jane smith, 30k, disco stage")
    assert kind == "create_deal"
    assert slots.get("stage_words") == "disco" and slots.get("stage") is None


@pytest.mark.parametrize(
    ("text", "who", "words"),
    [
        ("mark jane as hot lead status", "jane", "hot lead"),
        ("set tom becker's status to warm", "tom becker", "warm"),
        ("mark luis as cold", "luis", "cold"),
    ],
)
def test_a_status_the_crm_lacks_is_asked_about(text: str, who: str, words: str) -> None:
    kind, slots = intent(text)
    assert kind == "unknown_status"
    assert slots == {"who": who, "words": words}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("set jane's title to vp sales", "update_lead"),
        ("mark luis ortega as qualifed pls", "update_status"),
        ("mark the initech proposal task done", "complete_task"),
        ("marcus deal status", "list_deals"),
    ],
)
def test_other_requests_are_not_taken_for_unknown_values(text: str, kind: str) -> None:
    assert intent(text)[0] == kind


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        # a change by an amount, worked out from the CRM's value and shown first
        ("acme deal up 5k, they added seats", {"value": 5000, "value_sign": 1}),
        ("initech license deal down 4k", {"value": 4000, "value_sign": -1}),
        ("add 10k to the tyrell onboarding deal", {"value": 10000, "value_sign": 1}),
        ("bump the acme deal by 5k", {"value": 5000, "value_sign": 1}),
        # said, then said again: the last one, shown first
        ("set the acme team plan deal to 45k no wait 42k", {"value": 42000, "value_sign": None}),
    ],
)
def test_relative_or_corrected_amounts_are_shown_first(text: str, slots: dict[str, Any]) -> None:
    kind, found = intent(text)
    assert kind == "update_deal"
    assert {k: found.get(k) for k in slots} == slots
    assert found.get("value_unsure") is True


@pytest.mark.parametrize(
    ("text", "stage", "words"),
    [
        ("the initech license deal is closed", None, "closed"),
        ("initech license deal - closed lost, went w a competitor", "closed_lost", None),
        ("mark the acme deal closed lost", "closed_lost", None),
        ("move the initech deal to closed won", "closed_won", None),
    ],
)
def test_closed_alone_is_won_or_lost_so_asked(text: str, stage: str | None, words: str) -> None:
    kind, found = intent(text)
    assert kind == "update_deal"
    assert found.get("stage") == stage and found.get("stage_words") == words


@pytest.mark.parametrize(
    "text",
    [
        "remind me to call marcus reed thurs, no fri",  # said again
        "task to call dana whitfield yday",  # a day gone by
        "call luis ortega tmrw at 6:30",  # morning or evening?
        "fu w jane thurs 8",  # an hour with no am/pm
        "task to call jane on the 12th",  # which month?
    ],
)
def test_a_due_date_not_read_for_sure_is_shown_first(text: str) -> None:
    kind, found = intent(text)
    assert kind == "create_task"
    assert found.get("due_unsure") is True
    assert not any(w in str(found["title"]).lower() for w in ("thurs", "fri", "yday", "6:30"))


def test_a_correction_inside_the_message_takes_the_last_day() -> None:
    _, found = intent("remind me to call marcus reed thurs, no fri")
    assert str(found["due"]).startswith("2026-11-27")  # Friday


@pytest.mark.parametrize(
    "text", ["remind me what luis ortega's title is", "remind me when the initech deal closes"]
)
def test_remind_me_what_is_a_question(text: str) -> None:
    assert intent(text)[0] != "create_task"
