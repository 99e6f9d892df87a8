"""Several requests in one message (`split.py`): where a message is cut, who "him" and
"his deal" are in the later requests, one action for two leads, and answers kept apart."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from coworker.llm.offline import interpreter
from coworker.llm.offline.capabilities import plan_for
from coworker.llm.offline.intents import classify
from coworker.llm.offline.model import OfflineModel
from coworker.llm.offline.split import in_order, split_requests
from coworker.llm.offline.text import Utterance
from coworker.sandbox.seed import demo_id
from coworker.tools.catalog import build_catalog
from tests.offline.driver import Driver, sandbox_executor

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
WRITES = frozenset(tool.name for tool in build_catalog() if tool.risk != "read")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # one action, two leads: once per lead
        ("mark tom and luis as contacted", ["mark tom as contacted", "mark luis as contacted"]),
        (
            "priya shah and jane smith are both qualified now",
            ["priya shah is qualified now", "jane smith is qualified now"],
        ),
        (
            "olivia garcia & hannah phillips r contacted",
            ["olivia garcia is contacted", "hannah phillips is contacted"],
        ),
        # a later request's pronouns and possessives: the lead the first one named
        ("mark luis ortega as contacted and tag him hot", None),
        (
            "note on marcus: legal signed off. also move his deal to closed won",
            ["note on marcus: legal signed off", "move marcus's deal to closed won"],
        ),
        (
            "log that dana whitfield said budget is approved and mark her qualified",
            ["log that dana whitfield said budget is approved", "mark dana whitfield qualified"],
        ),
        # a later task that names nobody is about that lead
        (
            "mark jane as qualified and set a fu task for fri",
            ["mark jane as qualified", "set a fu task for fri with jane"],
        ),
        # not cut: a field list, an email's body, a group text
        ("luis ortega phone and email", ["luis ortega phone and email"]),
        (
            "email jane smith: hi jane, thanks. also send me the signed order form",
            ["email jane smith: hi jane, thanks. also send me the signed order form"],
        ),
        ("text Jane and Marcus: the meeting moved to 4pm", None),
        ("jane smith and co are interested", None),
    ],
)
def test_split(text: str, parts: list[str] | None) -> None:
    if parts is None and "tag him" in text:
        parts = ["mark luis ortega as contacted", "tag luis ortega hot"]
    assert split_requests(text) == (parts or [text])


def _writes(calls: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, args) for name, args in calls if name in WRITES]


def _lead(slug: str) -> str:
    return demo_id("lead", f"northwind:{slug}")


async def test_an_answer_for_one_request_is_never_taken_for_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "Which Chris?" answered, the second request's "which Schmidt?" is still asked: the
    answer "the one at Initech" must not tag Chris Johnson instead of a Schmidt."""
    monkeypatch.setattr(
        interpreter, "_in_order", lambda ctx, parts: in_order(ctx, parts, plan_for), raising=False
    )
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        asked = await driver.say("mark chris as contacted and tag schmidt as hot")
        assert _writes(asked.calls) == []
        chris = await driver.say("the one at initech")
        assert _writes(chris.calls) == [
            ("update_lead", {"lead_id": _lead("chris-johnson"), "status": "contacted"})
        ]
        assert "schmidt" in chris.text.lower()
        maya = await driver.say("maya")
        [(name, args)] = _writes(maya.calls)
        assert name == "update_lead" and args["lead_id"] == demo_id("lead", "northwind:73")
        assert "hot" in args["tags"]


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("undo that", {}),
        ("nvm undo that", {}),
        ("hold on they havent signed. put it back", {}),
        ("undo that, wrong deal", {}),
        ("no dont do that, shes still in play", {"soft": True}),
        ("scratch that, wrong olivia", {"soft": True}),
        ("actually leave it, not yet", {"soft": True}),
        (
            "oops wrong one, undo that. i meant the bluth company one",
            {"meant": "the bluth company one"},
        ),
        ("no not tom, luis. tom hasnt picked up", {"wrong": "tom", "meant": "luis"}),
        (
            "ugh wrong acme person, i meant priya. put luis back",
            {"meant": "priya", "wrong": "luis"},
        ),
        ("actually reopen that task", {"only": "reopen"}),
    ],
)
def test_taking_back_the_last_change(text: str, slots: dict[str, Any]) -> None:
    intent = classify(Utterance.of(text), NOW)
    assert intent.kind == "undo" and dict(intent.slots) == slots


@pytest.mark.parametrize(
    "text",
    [
        "undo that and mark jane as qualified",  # two requests: cut first
        "mark jane as not interested",
        "put jane back to new",
        "leave a note on jane: undo the last invoice",
    ],
)
def test_not_an_undo(text: str) -> None:
    assert classify(Utterance.of(text), NOW).kind != "undo"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("sorry meant qualified", "qualified"),
        ("wait no, closed won", "closed won"),
        ("sorry, misread the email - its closed WON", "closed won"),
    ],
)
def test_a_corrected_status_or_stage(text: str, word: str) -> None:
    intent = classify(Utterance.of(text), NOW)
    assert intent.kind == "correct_value" and intent.slots.get("word") == word
