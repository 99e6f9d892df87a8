"""Corrections of one value after a write, and tasks as reps write them (W2c): the readers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coworker.llm.offline.intents import classify
from coworker.llm.offline.intents.corrections import correction_request, text_fix_request
from coworker.llm.offline.text import Utterance

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize(
    ("said", "hour", "minute"),
    [
        ("make it 2 instead", 14, 0),  # a bare hour is a working hour
        ("make that 3:30", 15, 30),
        ("no wait make that 9:30", 9, 30),
        ("sorry, 4pm not 3", 16, 0),
    ],
)
def test_a_time_said_as_a_change_is_a_working_hour(said: str, hour: int, minute: int) -> None:
    intent = correction_request(said, NOW, said)
    assert intent is not None and intent.kind == "correct_time", intent
    assert (intent.slots.get("hour"), intent.slots.get("minute")) == (hour, minute)


def test_a_day_said_as_a_change_moves_only_the_day() -> None:
    intent = correction_request("make it wed instead", NOW, "make it wed instead")
    assert intent is not None and intent.kind == "correct_time"
    assert intent.slots.get("date") == "2026-12-09" and intent.slots.get("hour") is None
    # "actually" is dropped before the readers; the person's own words still mark a change
    intent = correction_request("thurs", NOW, "actually thurs")
    assert intent is not None and intent.slots.get("date") == "2026-12-10"
    # "same time": the time stays as it was
    intent = correction_request("make it thurs same time", NOW, "actually make it thurs same time")
    assert (
        intent is not None
        and intent.slots.get("date") == "2026-12-10"
        and intent.slots.get("hour") is None
    )


def test_a_number_alone_is_no_correction() -> None:
    assert correction_request("2", NOW, "2") is None


@pytest.mark.parametrize("said", ["friday", "tomorrow"])
def test_a_day_alone_is_only_a_bare_day(said: str) -> None:
    """A day alone is no correction of a change: it is read as `bare`, which only sets the
    due date of a task just made with none (`plans/undated.py`); anything else asks."""
    intent = correction_request(said, NOW, said)
    assert intent is not None and intent.slots.get("bare") is True
    assert correction_request(said + "?", NOW, said + "?") is None


def test_a_phone_said_again_is_a_phone_correction() -> None:
    intent = correction_request("typo sorry, 555-123-9867", NOW, "typo sorry, 555-123-9867")
    assert intent is not None and intent.kind == "correct_value"
    assert intent.slots.get("phone") == "555-123-9867"


def test_words_said_again_are_read_only_as_words() -> None:
    intent = text_fix_request("make it SVP of Sales")
    assert intent is not None and intent.slots.get("text") == "SVP of Sales"
    for other in ("make it high priority", "make it a task for friday", "make it 2"):
        assert text_fix_request(other) is None, other


@pytest.mark.parametrize(
    ("said", "name", "title"),
    [
        ("task for priya shah fri: send the updated deck", "priya shah", "Send the updated deck"),
        (
            "task for tom becker: send security questionnaire before tues",
            "tom becker",
            "Send security questionnaire",
        ),
        ("marcus reed wed 4pm - call re pricing", "marcus reed", "Call re pricing"),
        ("reminder for luis ortega tmrw - get the signed w9", "luis ortega", "Get the signed w9"),
    ],
)
def test_whom_for_then_what_keeps_the_title_out_of_the_name(
    said: str, name: str, title: str
) -> None:
    intent = classify(Utterance.of(said), NOW)
    assert intent.kind == "create_task", intent
    assert intent.slots.get("ref").text == name and intent.slots.get("title") == title
    assert intent.slots.get("due")


def test_chatter_is_not_in_a_task_title() -> None:
    intent = classify(
        Utterance.of("task: call marcus reed about the renewal tmrw 10am, thanks!"), NOW
    )
    assert intent.kind == "create_task" and "thanks" not in intent.slots.get("title").lower()


def test_push_a_task_by_days_and_done_w() -> None:
    intent = classify(Utterance.of("push the jane smith pricing task 2 days"), NOW)
    assert intent.kind == "update_task" and intent.slots.get("shift_days") == 2
    assert classify(Utterance.of("bump the olivia fu a week"), NOW).slots.get("shift_days") == 7
    assert classify(Utterance.of("push the initech deal 2 weeks"), NOW).kind != "update_task"
    done = classify(Utterance.of("done w the olivia garcia fu"), NOW)
    assert done.kind == "complete_task" and "olivia garcia" in done.slots.get("phrase")
