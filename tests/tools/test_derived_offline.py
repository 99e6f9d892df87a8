"""The offline model answers the daily questions through the derived tools (#18 item 5):
the same answers Claude gets and the daily summary is computed from."""

from __future__ import annotations

import pytest

from coworker.llm.offline.model import OfflineModel
from tests.offline.driver import Driver, sandbox_executor


@pytest.mark.parametrize(
    ("said", "tool", "facts"),
    [
        ("who should I call next?", "next_best_actions", ["Start with", "Jane Smith"]),
        ("prep me for my call with Jane Smith", "prep_brief", ["Acme Corp", "pricing", "Next"]),
        ("prep me for my call with jane", "prep_brief", ["Acme Corp", "owner: you"]),
        ("what did I do yesterday?", "activity_report", ["calls (with ", "Quick question"]),
        ("how's my pipeline?", "pipeline_report", ["Your pipeline", "Negotiation"]),
        ("how much is in the team's pipeline", "pipeline_report", ["The team's pipeline"]),
    ],
)
async def test_the_daily_questions_go_through_the_derived_tools(
    said: str, tool: str, facts: list[str]
) -> None:
    async with sandbox_executor() as executor:
        turn = await Driver(executor, OfflineModel()).say(said)
    assert [name for name, _ in turn.calls][0] == tool
    for fact in facts:
        assert fact in turn.text, turn.text


async def test_a_name_that_fits_two_leads_asks_which() -> None:
    async with sandbox_executor() as executor:
        turn = await Driver(executor, OfflineModel()).say("prep me for chris")
    assert "Which one" in turn.text
    assert "Chris Johnson" in turn.text and "Chris Parker" in turn.text
