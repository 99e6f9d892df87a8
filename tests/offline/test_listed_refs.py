"""Pointers into the last reply's list ("the one at wonka", "the jane one"): what they pick
(evals/offline_realistic/refs6.yaml has the whole flows)."""

from __future__ import annotations

import pytest

from coworker.llm.offline.listed import fits, leads_fitting, pointer
from coworker.llm.offline.slots import lead_ref


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("make a task to call the one at wonka tomorow", "wonka"),
        ("put the bluth one in the new lead nurture", "bluth"),
        ("ok the jane one is done already", "jane"),
        ("text the harbor point one: hi logan", "harbor point"),
        ("follow up with the guy from initech tomorrow", "initech"),
        ("mark the cedar ridge one contacted", "cedar ridge"),
    ],
)
def test_a_pointer_names_the_words_that_pick(text: str, key: str) -> None:
    found = pointer(text)
    assert found is not None and found.key == key


@pytest.mark.parametrize(
    "text",
    [
        "the first one is done",
        "the other one",
        "the last one at acme",
        "call jane tomorrow",
        "the same one",
    ],
)
def test_an_ordinal_or_no_pointer_is_not_one(text: str) -> None:
    assert pointer(text) is None


def test_a_lead_named_by_pointer_is_looked_for_in_the_list_first() -> None:
    ref = lead_ref("the one at wonka")
    assert (ref.text, ref.listed) == ("wonka", True)
    assert lead_ref("jane smith").listed is False


def test_words_fit_shortened_joined_and_misspelt() -> None:
    assert fits("dup leads cleanup", "Clean up duplicate leads")
    assert fits("umbrella demo prep", "Prepare demo for Umbrella Health")
    assert fits("wonka", "Tariq Walker", "Wonka Confections")
    assert not fits("pied piper", "Tariq Walker", "Wonka Confections")


def test_two_leads_at_one_company_both_fit() -> None:
    shown = [
        {"id": "1", "name": "Evelyn Green", "company": "Pied Piper"},
        {"id": "2", "name": "Maya Gonzalez", "company": "Pied Piper"},
        {"id": "3", "name": "Tariq Walker", "company": "Wonka Confections"},
    ]
    assert [lead["id"] for lead in leads_fitting(shown, "pied piper")] == ["1", "2"]
    assert [lead["id"] for lead in leads_fitting(shown, "wonka")] == ["3"]
