"""Names as typed (typos, first or last names, "@ company") against the leads (issue #16)."""

from __future__ import annotations

import pytest

from coworker.llm.offline.names import Candidate, Match, best_matches, candidates_of, winner

LEADS = [
    Candidate("1", "Jane Smith", "Acme Corp", "jane@acme.com"),
    Candidate("2", "Jane Doe", "Initech", "jdoe@initech.com"),
    Candidate("3", "Janet Lee", "Globex"),
    Candidate("4", "John Smith", "Initech", "john.smith@initech.com"),
    Candidate("5", "Dana Jones", "Greenfield Analytics", "dana@greenfieldanalytics.example"),
    Candidate("6", "Bobby Tables", "Acme Corp"),
    Candidate("7", "Priya Raghunathan", "Pinecrest Labs"),
    Candidate("8", "Chris O'Neil", "Initech"),
]

# (what the person typed, the one lead it means)
ONE_WINNER = [
    ("jane smith", "Jane Smith"),
    ("Jane Smith", "Jane Smith"),
    ("jane smtih", "Jane Smith"),  # swapped letters
    ("jnae doe", "Jane Doe"),
    ("jane s", "Jane Smith"),  # an initial
    ("jane @ acme", "Jane Smith"),
    ("jane at initech", "Jane Doe"),
    ("jane from acme corp", "Jane Smith"),
    ("janet", "Janet Lee"),
    ("john", "John Smith"),
    ("bob", "Bobby Tables"),
    ("tables", "Bobby Tables"),
    ("greenfield", "Dana Jones"),  # the company
    ("dana jones", "Dana Jones"),
    ("priya", "Priya Raghunathan"),
    ("priya raghunatan", "Priya Raghunathan"),  # a letter missing in a long name
    ("raghunathan", "Priya Raghunathan"),
    ("chris oneil", "Chris O'Neil"),
    ("CHRIS O'NEIL", "Chris O'Neil"),
    ("smith @ initech", "John Smith"),
    ("pinecrest", "Priya Raghunathan"),
]


@pytest.mark.parametrize(("query", "name"), ONE_WINNER)
def test_one_confident_winner(query: str, name: str) -> None:
    matches = best_matches(query, LEADS, limit=3)
    top = winner(matches)
    assert top is not None, matches
    assert top.candidate.name == name
    assert matches[0] is top and top.confident
    assert not any(m.confident for m in matches[1:])


# (what the person typed, the leads to ask about, best first in any order)
ASK_WHICH = [
    ("jane", {"Jane Smith", "Jane Doe"}),
    ("smith", {"Jane Smith", "John Smith"}),
    ("j smith", {"Jane Smith", "John Smith"}),
    ("acme", {"Jane Smith", "Bobby Tables"}),
]


@pytest.mark.parametrize(("query", "names"), ASK_WHICH)
def test_ask_which_one(query: str, names: set[str]) -> None:
    matches = best_matches(query, LEADS, limit=5)
    assert winner(matches) is None
    assert not any(m.confident for m in matches)
    assert {m.candidate.name for m in matches[: len(names)]} == names


def test_company_narrows_a_first_name() -> None:
    matches = best_matches("jane @ initech", LEADS, limit=5)
    assert matches[0].candidate.name == "Jane Doe" and matches[0].confident


@pytest.mark.parametrize("query", ["xyz", "zebra crossing", "", "   "])
def test_nothing_close(query: str) -> None:
    matches = best_matches(query, LEADS, limit=5)
    assert winner(matches) is None
    assert all(m.score < 85 for m in matches)


def test_limit_and_order() -> None:
    matches = best_matches("jane", LEADS, limit=2)
    assert len(matches) == 2
    assert matches[0].score >= matches[1].score


def test_what_matched() -> None:
    (top, *_) = best_matches("greenfield", LEADS, limit=3)
    assert top.field == "company"
    (top, *_) = best_matches("jdoe", LEADS, limit=3)
    assert (top.candidate.name, top.field) == ("Jane Doe", "email")


def test_winner_rule() -> None:
    lead = LEADS[0]
    assert winner([Match(lead, 99.0, "name", False)]) is not None
    assert winner([Match(lead, 84.9, "name", False)]) is None
    assert winner([Match(lead, 95.0, "name", False), Match(LEADS[1], 90.0, "name", False)]) is None
    assert winner([Match(lead, 95.0, "name", False), Match(LEADS[1], 80.0, "name", False)])
    assert winner([]) is None


def test_candidates_from_crm_records() -> None:
    records = [
        {"id": 11, "name": "Jane Smith", "company": "Acme Corp", "email": "jane@acme.com"},
        {"id": 12, "name": "Jane Doe", "company": None, "email": None},
    ]
    matches = best_matches("jane smtih", candidates_of(records), limit=2)
    assert matches[0].candidate == Candidate("11", "Jane Smith", "Acme Corp", "jane@acme.com")
    assert matches[0].confident
    assert candidates_of(records)[1] == Candidate("12", "Jane Doe")
