"""Call reports and the context said before a request (evals/offline_realistic/notes6.yaml has
the whole flows): the outcome said in words ("hes in", "pilot is a go"), a report opened by
how the call went, a "log it" said as a request of its own, chat or news before a request
set aside, a callback with its time as a task, a note dictated word for word, and a
statement the person says they will log themselves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coworker.llm.offline.asides import context_cut, set_aside, statements_logged
from coworker.llm.offline.intents import classify
from coworker.llm.offline.intents.notes import call_outcome
from coworker.llm.offline.split import split_requests
from coworker.llm.offline.text import Utterance

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("just got off w marcus reed, hes in. wants the 50 seat paperwork sent over", "interested"),
        ("theyre in!", "interested"),
        ("pilot is a go on their side", "interested"),
        ("wants the contract sent over", "interested"),
        ("legal wants the msa redlines by fri", None),
        ("he just told me theyre going w a competitor", "not_interested"),
        ("shes in a meeting til 3", None),
        ("let it go", None),
    ],
)
def test_the_outcome_said_in_words(text: str, outcome: str | None) -> None:
    assert call_outcome(text) == outcome


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("great call w chris parker!! pilot is a go on their side", "chris parker"),
        ("quick chat w liam evans, not interested for now", "liam evans"),
        ("good call with jane, she wants pricing", "jane"),
    ],
)
def test_a_report_opened_by_how_the_call_went(text: str, who: str) -> None:
    intent = classify(Utterance.of(text), NOW)
    ref = intent.slots.get("ref")
    assert intent.kind == "add_note" and ref is not None and ref.text == who


@pytest.mark.parametrize(
    ("text", "context", "rest"),
    [
        ("ugh long day. anyway mark the acme fu w jane done", "ugh long day", "mark the acme"),
        ("lol his dog ate the memo 😂 anyway can u push the acme close date", "lol his", "push"),
        ("chris asked for another day so push my initech task to tmrw", "chris asked", "push my"),
        ("the Q1 campaign got scrapped, delete my call script task", "the Q1", "delete my"),
        ("marcus reed signed!! mark the acme deal closed won", "marcus reed signed", "mark the"),
    ],
)
def test_context_before_a_request_is_cut_off(text: str, context: str, rest: str) -> None:
    cut = context_cut(text)
    assert cut is not None and cut[0].startswith(context) and cut[1].startswith(rest)
    kept, aside = set_aside(split_requests(text))
    assert aside and aside[0].startswith(context) and kept[0].startswith(rest)


@pytest.mark.parametrize(
    "text",
    [
        "mark jane done. tag her hot",  # a request first
        "just talked to jane smith, very interested. tag her hot",  # a call, reported
        "what's jane's number? also mark her contacted",  # a question
        "jane said to mark her done lol, then tag her hot",  # a request verb inside
        "ugh long day lol",  # nothing after it
        "whats jordan lee at globex working on? show me their pipeline",  # a question
    ],
)
def test_no_context_cut(text: str) -> None:
    assert context_cut(text) is None


def test_a_bare_log_it_logs_the_statement_before_it() -> None:
    parts = ["x not interested, went w a competitor", "log it", "close the initech opp as lost"]
    assert statements_logged(parts) == [
        "x not interested, went w a competitor. log it",
        "close the initech opp as lost",
    ]
    parts = ["he told me theyre going w a competitor", "mark him unqualified", "log a note"]
    assert statements_logged(parts) == [
        "mark him unqualified",
        "he told me theyre going w a competitor. log it",
    ]
    assert statements_logged(["mark jane contacted", "log it"]) == ["mark jane contacted", "log it"]


@pytest.mark.parametrize(
    ("text", "who", "hour"),
    [
        ("priya at acme wants a callback tmrw at 2pm", "priya", 14),
        ("liam evans asked for a call back tomorrow at 10am", "liam evans", 10),
    ],
)
def test_a_callback_with_its_time_is_a_task(text: str, who: str, hour: int) -> None:
    intent = classify(Utterance.of(text), NOW)
    ref = intent.slots.get("ref")
    assert intent.kind == "create_task" and ref is not None and ref.text == who
    assert str(intent.slots.get("due")).startswith(f"2026-12-08T{hour:02d}:00")


def test_a_callback_without_a_time_is_no_task() -> None:
    text = "spoke to tom becker, he's out til the 15th and wants a call back after that"
    assert classify(Utterance.of(text), NOW).kind == "add_note"


def test_a_note_dictated_word_for_word_keeps_its_words() -> None:
    text = "add a note to jane smith, word for word: Budget owner is Ravi, not Jane. Loop him in."
    intent = classify(Utterance.of(text), NOW)
    assert intent.kind == "add_note"
    assert intent.slots.get("content") == "Budget owner is Ravi, not Jane. Loop him in."


@pytest.mark.parametrize(
    "text", ["liam evans not interested, ill log it later", "jane not keen, dont log it"]
)
def test_a_statement_the_person_logs_themselves_is_no_note(text: str) -> None:
    assert classify(Utterance.of(text), NOW).kind == "unsupported"
