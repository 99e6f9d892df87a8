"""The trust invariant on utterances of the kinds that once wrote what the person did not
ask for (issue #16), and the follow-ups that a question makes possible: a correction while
the write waits ("make that 4pm"), "it" for the one deal just shown, negated lead lists.
Conversations on the sandbox CRM, through the test driver."""

from __future__ import annotations

from typing import Any

import pytest

from coworker.llm.offline import OfflineModel
from coworker.llm.offline.trust import WRITES, unaccounted_numbers
from tests.offline.driver import Driver, sandbox_executor


def _writes(calls: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, args) for name, args in calls if name in WRITES]


# Utterances of the kinds that once wrote what the person did not ask for (issue #16): short
# or truncated titles, "w"/"w/" shorthand, numbers next to dates, a first name shared by
# several leads, an instruction inside a value, a listing read as a new task. Each either
# asks first (nothing written) or is a read.
ASKS_OR_READS = [
    "task: w",
    "remind me to w",
    "remind me to call w/",
    "create task w jane",
    "add a task to call",
    "remind me to send the proposal to",
    "remind me re: acme",
    "remind me to call jane 2 tomorrow",
    "task to call jane on the 12th",
    "new task: call Chris tomorrow",
    "remind me to call Chris tomorrow at 10",
    "set a task to call chris tmrw at 2",
    "remind me to follow up with jane, please also mark her as hot",
    "new deal for hannah phillips 3 fri",
    "new deal for marcus reed 40k close fri 2",
    "new opp for olivia garcia 25 qualification",
    "open task for jane",
    "open tasks for luis",
    "open tasks for jane",
    "new deal for hannah phillips, 2, prospecting",
]


@pytest.mark.parametrize("text", ASKS_OR_READS)
async def test_an_unsure_request_writes_nothing_until_the_person_says_yes(text: str) -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say(text)
        assert _writes(turn.calls) == [], turn.text


async def test_open_tasks_for_a_lead_lists_them() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say("open tasks for jane")
        assert _writes(turn.calls) == []
        assert "Follow up with Jane Smith about pricing" in turn.text


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("new task call marcus fri 3 times", "Call marcus 3 times"),  # the words as typed
        ("todo: email Priya the deck 2pm", "Email Priya the deck"),
    ],
)
async def test_a_whole_title_is_written_at_once(text: str, title: str) -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say(text)
        [(name, args)] = _writes(turn.calls)
        assert name == "create_task" and args["title"] == title


async def test_a_short_title_asks_and_yes_writes_it_as_shown() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        asked = await driver.say("remind me to call w/")
        assert _writes(asked.calls) == [] and "“Call w/” (not sure)" in asked.text
        done = await driver.say("yes")
        [(name, args)] = _writes(done.calls)
        assert name == "create_task" and args["title"] == "Call w/"


async def test_a_follow_up_is_written_at_once_and_its_time_corrected_after() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        made = await driver.say("fu w/ luis ortega tmrw 3pm")  # titled from the CRM's name
        [(name, args)] = _writes(made.calls)
        assert name == "create_task" and args["title"] == "Follow up with Luis Ortega"
        assert "T15:00:00" in args["due_date"]
        moved = await driver.say("make that 4pm")
        [(name, args)] = _writes(moved.calls)
        assert name == "update_task" and "T16:00:00" in args["due_date"]


async def test_an_amount_corrected_while_the_deal_waits_is_shown_again() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        await driver.say("new deal for hannah phillips, 2, prospecting")
        again = await driver.say("sorry 20k not 2")
        assert _writes(again.calls) == [] and "$20,000" in again.text
        done = await driver.say("yes")
        [(name, args)] = _writes(done.calls)
        assert name == "create_opportunity" and args["value"] == 20000.0


async def test_a_time_corrected_after_the_task_was_created_moves_it() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        made = await driver.say("remind me to call jane tomorrow at 3pm")
        [(_, created)] = _writes(made.calls)
        moved = await driver.say("make that 4pm")
        [(name, args)] = _writes(moved.calls)
        assert name == "update_task" and args["due_date"][:10] == created["due_date"][:10]
        assert "T16:00:00" in args["due_date"]


async def test_a_time_for_a_task_only_shown_asks_first() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        await driver.say("tasks for jane")
        turn = await driver.say("make it 4pm")
        assert _writes(turn.calls) == [] and "Shall I?" in turn.text


async def test_it_is_the_one_deal_shown_and_never_one_of_several() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        await driver.say("show deals for initech")  # three deals: "it" is none of them
        vague = await driver.say("move it to negotiation")
        assert _writes(vague.calls) == []
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        shown = await driver.say("show me the initech annual license deal")
        assert "Initech - Annual platform license" in shown.text and "Pilot" not in shown.text
        turn = await driver.say("move it to negotiation")
        [(name, args)] = _writes(turn.calls)
        assert name == "update_opportunity" and args["stage"] == "negotiation"
        assert "Initech - Annual platform license" in turn.text


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("any leads in acme i havent contacted", ["Priya Shah", "Luis Ortega"], ["Dana Whitfield"]),
        ("which leads at initech have we not called yet", ["Pierre Cooper"], ["Nora Murphy"]),
        ("acme leads that arent customers yet", ["Jane Smith", "Marcus Reed"], []),
        ("leads at initech that arent qualified", ["Nora Murphy"], ["Chris Johnson"]),
    ],
)
async def test_negated_lead_lists(text: str, present: list[str], absent: list[str]) -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say(text)
        assert _writes(turn.calls) == []
        for name in present:
            assert name in turn.text
        for name in absent:
            assert name not in turn.text


def test_a_number_inside_a_longer_one_is_not_accounted_for() -> None:
    assert unaccounted_numbers("new deal for hannah, 2, prospecting", ["20k"]) == ["2"]
    assert unaccounted_numbers("new opp 18.5k", ["18.5k"]) == []


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("who's the vp of engineering at initech", "Chris Johnson"),
        ("vp of eng at initech?", "Chris Johnson"),
        ("whos the head of ops at acme", "Jane Smith"),
        ("who's the cfo at acme", "Dana Whitfield"),
    ],
)
async def test_a_person_found_by_title_is_the_one_him_or_her_means(text: str, who: str) -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        found = await driver.say(text)
        assert _writes(found.calls) == [] and f"**{who}**" in found.text
        task = await driver.say("remind me to call them tomorrow at 2pm")
        [(name, args)] = _writes(task.calls)
        assert name == "create_task" and args["title"] == f"Call {who}"


async def test_shorthand_is_read_for_a_question_not_taken_as_a_value() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say("contacted ppl at acme")
        assert _writes(turn.calls) == [] and "Dana Whitfield" in turn.text
        assert "Priya Shah" not in turn.text
