"""The deal named by news before a request, and the words of an answer left unread."""

from __future__ import annotations

import pytest

from coworker.llm.offline.deal_context import lend_deal, news_cut
from coworker.llm.offline.intents.deal_news import news_deal
from coworker.llm.offline.intents.task_named import named_in_parentheses
from coworker.llm.offline.plans.deal_answer import _left_over


@pytest.mark.parametrize(
    ("said", "deal"),
    [
        ("ACME SIGNED", "ACME"),
        ("wonka confirmed budget", "wonka"),
        ("tyrell is slipping", "tyrell"),
        ("harbor point is stalling", "harbor point"),
        ("move the deal to closed won", None),
        ("i think we're good", None),
    ],
)
def test_news_names_its_deal(said: str, deal: str | None) -> None:
    assert news_deal(said) == deal


def test_the_deal_after_news_is_the_one_it_named() -> None:
    assert lend_deal(["ACME SIGNED", "move the deal to closed won"])[1] == (
        "move the ACME deal to closed won"
    )
    assert lend_deal(["tyrell is slipping", "drop it to 70k", "push close to jan 15"]) == [
        "tyrell is slipping",
        "drop the tyrell deal to 70k",
        "push close to jan 15",
    ]


def test_news_then_a_named_deal_is_cut_but_a_pointer_is_not() -> None:
    assert news_cut("wonka confirmed budget, move my wonka opp to qualification") == (
        "wonka confirmed budget",
        "move my wonka opp to qualification",
    )
    assert news_cut("mei hayes renewal is slipping, push close to jan 29") is None


def test_an_answer_keeps_what_no_value_read() -> None:
    text = "25k, proposal, and loop in his boss"
    assert _left_over(text, [(0, 3), (5, 13)]) == "loop in his boss"
    assert _left_over("18.5k, prospecting stage", [(0, 5), (7, 18)]) == ""


def test_a_lead_in_parentheses_after_their_company() -> None:
    ref = named_in_parentheses("Prep demo for initech (gabriel allen)")
    assert ref is not None and ref.text == "gabriel allen" and ref.company == "initech"
    assert named_in_parentheses("Send the deck to initech (asap)") is None
