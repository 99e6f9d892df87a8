"""Reads in a salesperson's shorthand: whose leads and deals ("mine", "incl sams"), leads by
tag, deals by closing period and won/lost, and the daily questions. Each is read as the
read it is, with the slots that narrow it; none may become a write."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from coworker.llm.offline.intents import classify
from coworker.llm.offline.intents.daily import prep_name
from coworker.llm.offline.text import Utterance

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
READS = frozenset(
    "find_leads list_leads lead_owner list_deals list_calls list_tasks list_tags next_calls "
    "prep_brief activity_report pipeline_report".split()
)


def read(text: str) -> tuple[str, dict[str, Any]]:
    found = classify(Utterance.of(text), NOW)
    slots = dict(found.slots)
    ref = slots.pop("ref", None)
    if ref is not None and ref.text:
        slots["who"] = ref.text.lower()
    return found.kind, slots


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        # the person's own leads
        ("which initech leads r mine", "list_leads", {"who": "initech", "mine": True}),
        ("my leads at hooli", "list_leads", {"who": "hooli", "mine": True}),
        ("any of the acme ppl mine?", "list_leads", {"who": "acme", "mine": True}),
        ("leads i own at initech", "list_leads", {"who": "initech", "mine": True}),
        ("my qualified ppl", "list_leads", {"status": "qualified", "mine": True}),
        ("anyone at hooli thats mine", "list_leads", {"who": "hooli", "mine": True}),
        # the team's: no owner filter
        ("everyone at acme incl sams", "find_leads", {"who": "acme"}),
        ("initech contacts including sam's", "find_leads", {"who": "initech"}),
        ("all the acme leads not just mine", "find_leads", {"who": "acme"}),
        # tags
        ("whos tagged hot", "list_leads", {"tag": "hot"}),
        ("who at acme has the hot tag", "list_leads", {"who": "acme", "tag": "hot"}),
        ("my initech leads tagged enterprise", "list_leads", {"tag": "enterprise", "mine": True}),
        ("any enterprise ppl at acme", "list_leads", {"who": "acme", "tag": "enterprise"}),
        # deals
        ("any of my opps closing this wk", "list_deals", {"closing": "this week", "mine": True}),
        ("anything of mine closing soon", "list_deals", {"closing": "soon", "mine": True}),
        ("what did we close won", "list_deals", {"stage": "closed_won"}),
        ("what deals did we lose", "list_deals", {"stage": "closed_lost"}),
        ("what did i close", "list_deals", {"stage": "closed_won", "mine": True}),
        # the day
        ("who do i call rn", "next_calls", {}),
        ("who shd i be calling today", "next_calls", {}),
        ("who needs a call today", "next_calls", {}),
        ("what did i get done yday", "activity_report", {"when": "yesterday"}),
        ("who did i call yday", "list_calls", {"when": "yesterday"}),
        ("call history w marcus", "list_calls", {"who": "marcus"}),
        ("prep for marcus mtg", "prep_brief", {"name": "marcus"}),
        ("brief me on chris johnson before my call", "prep_brief", {"name": "chris johnson"}),
        ("get me ready for my mtg w dana tmrw", "prep_brief", {"name": "dana"}),
        ("how much is in my pipeline rn", "pipeline_report", {"whose": "mine"}),
        # whose one lead is: a question, never a task ("remind me ...")
        ("remind me whose lead tom becker is", "lead_owner", {"who": "tom becker"}),
        ("is dana whitfield mine", "lead_owner", {"who": "dana whitfield"}),
        ("who owns priya shah", "lead_owner", {"who": "priya shah"}),
        ("do i own any initech leads", "list_leads", {"who": "initech", "mine": True}),
        # closing windows
        ("my deals closing in the next 2 wks", "list_deals", {"closing": "next 14 days"}),
        ("opps closing by end of month", "list_deals", {"closing": "this month"}),
        ("the deal with acme closes when", "list_deals", {"who": "acme"}),
    ],
)
def test_a_read_in_shorthand(text: str, kind: str, expected: dict[str, Any]) -> None:
    found_kind, slots = read(text)
    assert found_kind == kind, (text, found_kind, slots)
    for key, value in expected.items():
        assert slots.get(key) == value, (text, key, slots)
    if kind == "find_leads":  # the team's: not narrowed to the person's own
        assert "mine" not in slots, (text, slots)


@pytest.mark.parametrize(
    "text",
    [
        "my leads", "hot leads at acme", "which acme leads are mine",
        "everyone at initech incl sams", "prep me for the acme call", "what did we lose this month",
        "whos next on my list",
    ],
)  # fmt: skip
def test_a_read_never_becomes_a_write(text: str) -> None:
    assert read(text)[0] in READS, text


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("my call with jane", "jane"),
        ("the acme call", "acme"),
        ("marcus reed's deal", "marcus reed"),
        ("hannah phillips before the call tomorrow at 10", "hannah phillips"),
        ("my mtg w/ dana", "dana"),
    ],
)
def test_the_name_a_prep_is_about(said: str, name: str) -> None:
    assert prep_name(said) == name
