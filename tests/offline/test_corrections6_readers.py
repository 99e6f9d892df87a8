"""Corrections of the last change, as reps write them (evals/offline_realistic/corrections6.yaml
has the whole flows): the wrong record and the one meant, a day relative to the one just
written, a word of a title, a value and a name together, a reason after the correction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coworker.llm.offline.answers import match_answer
from coworker.llm.offline.engine import Option, Question
from coworker.llm.offline.intents.fixing import fix_request, words_fix_request
from coworker.llm.offline.intents.taking_back import take_back
from coworker.llm.offline.plans.fixes import replaced

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize(
    ("said", "wrong", "meant"),
    [
        ("undo that, wrong lead. i meant priya", None, "priya"),
        ("wait wrong hannah, the one at maple grove. sorry", "hannah", "the one at maple grove"),
        ("no not that noah, the greenfield one", "noah", "the greenfield one"),
        ("no sorry i meant the initech proposal, not jane", "jane", "the initech proposal"),
        ("oops wrong lead, should have been ella torres", None, "ella torres"),
    ],
)
def test_the_wrong_record_and_the_one_meant(said: str, wrong: str | None, meant: str) -> None:
    intent = take_back(said, said)
    assert intent is not None and intent.kind == "undo", said
    assert intent.slots.get("wrong") == wrong and intent.slots.get("meant") == meant


@pytest.mark.parametrize(
    ("said", "who"),
    [
        ("wait undo the mateo one, havent actually sent it yet", "mateo"),
        ("scratch that, undo the tariq one. he didnt pick up", "tariq"),
        ("put the rahul one back", "rahul"),
    ],
)
def test_one_of_several_changes_taken_back_by_name(said: str, who: str) -> None:
    intent = take_back(said, said)
    assert intent is not None and intent.slots.get("wrong") == who
    assert not intent.slots.get("soft")


@pytest.mark.parametrize(
    ("said", "slots"),
    [
        ("wait no not tomorrow, the day after", {"date": "2026-12-09"}),
        ("no not friday, the day before", {"date": "2026-12-10"}),
        ("actually a day later", {"shift_days": 1}),
        ("sorry, 2 days earlier", {"shift_days": -2}),
    ],
)
def test_a_day_relative_to_the_one_written(said: str, slots: dict[str, object]) -> None:
    intent = fix_request(said, NOW, said)
    assert intent is not None and intent.kind == "correct_time", said
    assert {k: intent.slots.get(k) for k in slots} == slots


def test_the_day_after_alone_is_no_correction() -> None:
    assert fix_request("the day after", NOW, "the day after") is None


@pytest.mark.parametrize(
    ("said", "hour"),
    [
        ("actually make it 2pm, he has a standup in the morning", 14),
        ("sorry make that 4pm because he's travelling", 16),
        ("make it 3pm, she's in meetings all morning", 15),
    ],
)
def test_a_time_with_the_reason_after_it(said: str, hour: int) -> None:
    intent = fix_request(said, NOW, said)
    assert intent is not None and intent.kind == "correct_time" and intent.slots["hour"] == hour


@pytest.mark.parametrize(
    ("said", "value", "name"),
    [
        ("actually make it 15k and call it Acme - office rollout", 15000, "Acme - office rollout"),
        ("sorry, call it Monarch - renewal and make it 9k", 9000, "Monarch - renewal"),
    ],
)
def test_a_value_and_a_name_together(said: str, value: float, name: str) -> None:
    intent = fix_request(said, NOW, said)
    assert intent is not None and intent.kind == "correct_value"
    assert intent.slots.get("value") == value and intent.slots.get("name") == name


@pytest.mark.parametrize(
    ("said", "title", "fixed"),
    [
        ("typo, 14 seats not 40", "Send priya the 40 seat quote", "Send priya the 14 seat quote"),
        ("sorry, the q3 deck not q2", "Email yuki the q2 deck", "Email yuki the q3 deck"),
        ("typo, 50 seats not 40", "Call tariq walker", None),  # not there: nothing written
        ("its 30 not 3", "Send 3 quotes for 3 sites", None),  # there twice: which one?
    ],
)
def test_a_word_of_the_title(said: str, title: str, fixed: str | None) -> None:
    intent = words_fix_request(said)
    assert intent is not None and intent.kind == "correct_value", said
    new, old = str(intent.slots.get("text")), str(intent.slots.get("words"))
    assert replaced(title, old, new) == fixed


def test_a_denial_is_no_answer_to_did_you_mean() -> None:
    option = Option("1", "Noah Walker (Greenfield Analytics)", {"name": "Noah Walker"})
    question = Question("lead", "choice", (option,))
    assert match_answer(question, "wrong noah, the one at brightline") is None
    assert match_answer(question, "yes") == option
