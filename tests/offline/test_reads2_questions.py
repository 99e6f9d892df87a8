"""Questions that name a stage or a status without asking to change it: "initech opps in
negotiation?", "is jane qualified yet or still new", "team pipeline in proposal". A stage or
status word in a question is what the person wants to know, never a value to write; and the
day's overview in the other ways people ask for it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.offline.readings import question as read


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a company's deals in a stage: listed, not moved
        ("tyrell deals in proposal", {"who": "tyrell", "stage": "proposal"}),
        ("initech opps in negotiation?", {"who": "initech", "stage": "negotiation"}),
        ("any initech opps in negotiation", {"who": "initech", "stage": "negotiation"}),
        ("acme deal in proposal?", {"who": "acme", "stage": "proposal"}),
        ("deals in negotiation for acme", {"who": "acme", "stage": "negotiation"}),
        ("any deals in proposal for tyrell", {"who": "tyrell", "stage": "proposal"}),
        # the team's: no owner, no company
        ("team pipeline in proposal", {"stage": "proposal", "open": True}),
        ("teams deals in proposal stage?", {"stage": "proposal"}),
        ("everyone's opps in negotiation", {"stage": "negotiation"}),
        ("whats the whole team got in negotiation rn", {"stage": "negotiation"}),
        # mine
        ("my deals in proposal", {"stage": "proposal", "mine": True}),
        # a sum over a stage is not a company called "the total value"
        ("what's the total value of the deals in negotiation?", {"stage": "negotiation"}),
        # one deal, two stages to choose from
        ("is the acme deal won or lost", {"who": "acme"}),
        ("initech deal - proposal or negotiation?", {"who": "initech"}),
    ],
)
def test_deals_asked_by_stage_are_listed(text: str, expected: dict[str, Any]) -> None:
    assert read(text) == ("list_deals", expected)


@pytest.mark.parametrize(
    "text",
    [
        "move the tyrell deal to proposal",
        "tyrell deal is now in proposal",
        "acme deal moved to negotiation",
        "push initech opp to negotiation",
    ],
)
def test_a_deal_moved_is_still_an_update(text: str) -> None:
    assert read(text)[0] == "update_deal"


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("is jane smith qualified yet or still new", "jane smith"),
        ("is marcus reed qualified or still contacted", "marcus reed"),
        ("dana whitfield contacted or qualified?", "dana whitfield"),
        ("is chris johnson still new or qualified by now", "chris johnson"),
        ("has priya shah been contacted or is she still new", "priya shah"),
        ("jane smith: new or contacted?", "jane smith"),
        ("is she qualified or still new", "pronoun"),
        ("is jane still new or has she been contacted", "jane"),
        ("is priya new or did she get qualified", "priya"),
    ],
)
def test_a_two_status_question_asks_the_status(text: str, who: str) -> None:
    kind, slots = read(text)
    assert kind == "find_leads"
    assert slots["who"] == who
    assert slots["field"] == "status"
    assert "is_status" not in slots  # neither option is taken as the answer


@pytest.mark.parametrize(
    "text",
    [
        "whatve i got on today",
        "what've we got going on today",
        "what's my day like",
        "whats the day looking like",
        "whats on for me today",
        "what's in store for today",
    ],
)
def test_the_day_asked_in_other_words(text: str) -> None:
    assert read(text)[0] == "overview"


@pytest.mark.parametrize(
    ("text", "mine"),
    [
        ("who did i call yday", True),
        ("my calls yesterday", True),
        ("who have i called today", True),
        ("calls today", None),
    ],
)
def test_my_calls_are_mine(text: str, mine: bool | None) -> None:
    kind, slots = read(text)
    assert kind == "list_calls"
    assert slots.get("mine") is mine


def test_the_day_ahead_is_its_tasks() -> None:
    assert read("whats my day like tomorrow") == ("list_tasks", {"when": "tomorrow"})


@pytest.mark.parametrize(
    ("text", "since"),
    [
        ("new leads since yday", "since yesterday"),
        ("any new leads this wk", "week"),
        ("what leads came in today", "today"),
        ("leads that came in yesterday", "yesterday"),
        ("any new ppl in the last 5 days", "days:5"),
        ("who came in since yesterday", "since yesterday"),
    ],
)
def test_leads_by_when_they_came_in(text: str, since: str) -> None:
    assert read(text) == ("recent_leads", {"since": since})


@pytest.mark.parametrize("text", ["new leads at acme", "any new leads", "new leads"])
def test_new_without_a_when_is_the_status(text: str) -> None:
    kind, slots = read(text)
    assert (kind, slots.get("status")) == ("find_leads", "new")
