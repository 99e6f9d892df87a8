"""Who the person means: a lead they ruled out is never the one picked, a first name that fits
several leads is not narrowed to one by a word that names no one, and a lead can be named by
company plus first name or title."""

from __future__ import annotations

import pytest

from coworker.llm.offline.answers import match_answer
from coworker.llm.offline.engine import Option, Question
from coworker.llm.offline.names import (
    by_company_and_role,
    by_title,
    negated_names,
    without_ruled_out,
    words_named,
)

PARKER = {
    "id": "p",
    "name": "Chris Parker",
    "company": "Umbrella Health",
    "title": "Director of Operations",
}
JOHNSON = {"id": "j", "name": "Chris Johnson", "company": "Initech", "title": "VP of Engineering"}
DANA = {"id": "d", "name": "Dana Whitfield", "company": "Acme Corp", "title": "CFO"}
PRIYA = {"id": "s", "name": "Priya Shah", "company": "Acme Corp", "title": "Procurement Manager"}
CHRISES = Question(
    "lead", "choice", (Option("p", "Chris Parker", PARKER), Option("j", "Chris Johnson", JOHNSON))
)


@pytest.mark.parametrize(
    ("message", "ruled_out"),
    [
        ("not parker, the other one", [["parker"]]),
        ("isnt jane smith its priya", [["jane", "smith"]]),
        ("no not the one at initech", [["initech"]]),
        ("instead of tom, luis", [["tom"]]),
        ("not sure", []),
        ("dont mark marcus won yet", []),
        ("no not that one", []),
    ],
)
def test_the_names_a_message_rules_out(message: str, ruled_out: list[list[str]]) -> None:
    assert negated_names(message) == ruled_out


@pytest.mark.parametrize(
    ("reply", "picked"),
    [
        ("not parker, the other one", "j"),
        ("not johnson", "p"),
        ("no not the initech one", "p"),
        ("not parker, chris johnson", "j"),
    ],
)
def test_an_answer_that_rules_one_out_picks_the_other(reply: str, picked: str) -> None:
    answer = match_answer(CHRISES, reply)
    assert isinstance(answer, Option) and answer.id == picked


def test_ruling_everyone_out_is_no_answer() -> None:
    assert match_answer(CHRISES, "not chris") is None


def test_a_ruled_out_lead_is_never_a_candidate() -> None:
    assert without_ruled_out([PARKER, JOHNSON], "mark chris contacted, not parker") == [JOHNSON]
    assert without_ruled_out([PARKER, JOHNSON], "mark chris contacted") == [PARKER, JOHNSON]


def test_a_lead_by_company_and_first_name_or_title() -> None:
    assert by_company_and_role([PARKER, JOHNSON], ["umbrella", "chris"]) == [PARKER]
    assert by_company_and_role([DANA, PRIYA, JOHNSON], ["acme", "cfo"]) == [DANA]
    assert by_company_and_role([DANA, PRIYA], ["acme"]) == []  # a company alone: a list
    assert by_company_and_role([DANA, PRIYA], ["jane", "smith"]) == []


def test_a_lead_by_title_among_those_shown() -> None:
    assert by_title([DANA, PRIYA], "their procurement manager") == [PRIYA]
    assert by_title([DANA, PRIYA], "priya") == []  # a name is not a title


def test_a_word_like_no_ones_name_does_not_pick_one_chris() -> None:
    assert words_named(PARKER, ["chris", "dupe"], like=56) == words_named(
        JOHNSON, ["chris", "dupe"], like=56
    )
    garcia = {"name": "Olivia Garcia"}
    gonzalez = {"name": "Olivia Gonzalez"}
    assert words_named(garcia, ["olivia", "garza"], like=56) != words_named(
        gonzalez, ["olivia", "garza"], like=56
    )
