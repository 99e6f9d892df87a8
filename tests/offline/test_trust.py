"""The trust invariant (#16 item 1): a write runs only when every value it writes was read
with confidence; otherwise the person sees what was understood, and "yes" runs exactly that.

Three layers: the mechanism (`trust.write` and the interpreter's refusal of any write that
did not pass it), a property over arbitrary values, and conversations on the sandbox CRM.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coworker.agent.context import system_prompt
from coworker.llm.base import ModelRequest
from coworker.llm.offline import OfflineModel, capabilities
from coworker.llm.offline.conversation import read_clock
from coworker.llm.offline.engine import Reply, Stop, call
from coworker.llm.offline.intents import Intent
from coworker.llm.offline.memory import Memory
from coworker.llm.offline.resolve import Ctx
from coworker.llm.offline.split import split_requests
from coworker.llm.offline.text import Utterance
from coworker.llm.offline.trust import (
    UNCHECKED,
    WRITES,
    Unread,
    WritePlan,
    Written,
    money_confident,
    text_confident,
    title_confident,
    write,
)
from tests.offline.driver import Driver, sandbox_executor

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def _ctx(answers: dict[str, Any] | None = None) -> Ctx:
    clock = read_clock(system_prompt(user_name="Alex", timezone="UTC", now=NOW), NOW)
    return Ctx(Intent("create_deal"), Utterance.of("x"), clock, Memory(), dict(answers or {}))


# --------------------------------------------------------------------------- mechanism


@pytest.mark.parametrize("tool", sorted(WRITES))
def test_a_write_that_bypasses_the_check_never_leaves_the_interpreter(
    tool: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan that calls a writing tool directly (a bug) gets no tool_use out: refused."""

    def rogue(ctx: Ctx) -> Any:
        yield call(tool, title="x")
        return Reply("done")

    monkeypatch.setitem(
        capabilities.BY_KIND,
        "find_leads",
        capabilities.Capability("find_leads", rogue, "find Jane"),
    )
    request = ModelRequest(
        system=system_prompt(user_name="Alex", timezone="UTC", now=NOW),
        messages=[{"role": "user", "content": [{"type": "text", "text": "find Jane"}]}],
        tools=[],
    )
    turn = OfflineModel(now=NOW).turn(request)
    assert turn.stop_reason == "end_turn"
    assert [b["type"] for b in turn.content] == ["text"]
    assert UNCHECKED in str(turn.content[0].get("text"))


def test_the_writes_guarded_are_every_immediate_write_of_the_contract() -> None:
    assert {"create_task", "update_task", "create_note", "create_opportunity"} <= WRITES
    assert {"update_lead", "create_lead", "update_opportunity", "create_tag"} <= WRITES
    assert not WRITES & {"send_email", "send_sms", "delete_lead", "search_leads"}


values = st.builds(
    Written,
    field=st.sampled_from(["title", "value", "stage", "company", "due_date"]),
    value=st.one_of(st.text(max_size=20), st.floats(allow_nan=False), st.none()),
    label=st.text(min_size=1, max_size=8),
    shown=st.text(max_size=12),
    source=st.sampled_from(["words", "crm", "default"]),
    confident=st.booleans(),
    raw=st.text(max_size=10),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(values, min_size=1, max_size=5), st.booleans())
def test_no_unconfident_write_is_ever_emitted_without_a_yes(
    written: list[Written], unread: bool
) -> None:
    plan = WritePlan(
        "create_task",
        {},
        tuple(written),
        "New task",
        (Unread("date", "2 wks"),) if unread else (),
    )
    steps = write(_ctx(), plan)
    if plan.confident:
        batch = next(steps)
        assert [c.name for c in batch.calls] == ["create_task"]
        assert batch.calls[0].checked
        return
    with pytest.raises(Stop) as stopped:
        next(steps)
    question = stopped.value.reply.question
    assert question is not None and question.key == "confirm:create_task"
    for value in written:  # every value understood is shown to the person
        if value.value is not None:
            assert value.shown in stopped.value.reply.text
    # with the person's "yes", exactly the call that was shown runs
    again = next(write(_ctx({question.key: question.options[0]}), plan))
    assert again.calls == (plan.call(),)


@pytest.mark.parametrize(
    ("text", "field_value", "sure"),
    [
        ("Pinecrest proposal out by end of", False, False),
        ("Hooli, please update her company", True, False),
        ("Hooli", True, True),
        ("Send the proposal to Initech", False, True),
        ("VP, Sales", True, True),
        ("", False, False),
    ],
)
def test_text_confidence(text: str, field_value: bool, sure: bool) -> None:
    assert text_confident(text, field_value=field_value) is sure


@pytest.mark.parametrize(
    ("title", "names", "sure"),
    [
        ("W", "", False),
        ("Call w/", "", False),
        ("W jane", "Jane Smith", False),
        ("Re: acme", "", False),
        ("Call", "", False),
        ("Jane", "", False),
        ("Jane Smith", "Jane Smith", False),
        ("Call jane 2", "Jane Smith", False),  # "2" was the hour of "2 tomorrow"
        ("Send the proposal to", "", False),
        ("Follow up with jane, please also mark her as hot", "Jane Smith", False),
        ("Call jane", "Jane Smith", True),
        ("Call marcus 3 times", "Marcus Reed", True),
        ("Send proposal to Initech", "", True),
        ("Follow up w/ Luis about the renewal", "Luis Ortega", True),
    ],
)
def test_title_confidence(title: str, names: str, sure: bool) -> None:
    assert title_confident(title, names) is sure


@pytest.mark.parametrize(
    ("raw", "sure"), [("2", False), ("18.5k", True), ("$18,500", True), ("18500", True)]
)
def test_money_confidence(raw: str, sure: bool) -> None:
    assert money_confident(raw) is sure


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "mark Luis Ortega as contacted and tag him as hot",
            ["mark Luis Ortega as contacted", "tag Luis Ortega as hot"],
        ),
        (
            "text Jane and Marcus: the meeting moved to 4pm",
            ["text Jane and Marcus: the meeting moved to 4pm"],
        ),
        ("email Jane saying hi and thanks", ["email Jane saying hi and thanks"]),
        ("remind me to call Jane and send the deck", ["remind me to call Jane and send the deck"]),
    ],
)
def test_split_requests(text: str, parts: list[str]) -> None:
    assert split_requests(text) == parts


# --------------------------------------------------------------------------- conversations


def _writes(calls: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, args) for name, args in calls if name in WRITES]


async def test_an_unsure_deal_asks_first_and_yes_runs_exactly_what_was_shown() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        asked = await driver.say("new deal for Hannah Phillips, 2, prospecting")
        assert _writes(asked.calls) == []
        assert "$2 (not sure)" in asked.text and "Shall I?" in asked.text
        done = await driver.say("yes")
        [(name, args)] = _writes(done.calls)
        assert name == "create_opportunity"
        assert args["value"] == 2.0 and args["stage"] == "prospecting"


async def test_a_no_after_the_question_changes_nothing() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        await driver.say("new deal for Hannah Phillips, 2, prospecting")
        after = await driver.say("no")
        assert _writes(after.calls) == []


@pytest.mark.parametrize(
    "text",
    [
        "can u book me a flight to denver tues am? aisle seat if possible",
        "book a meeting room for 3pm tomorrow",
        "get me a taxi to the airport",
        "order lunch for the team",
        "find chris johnson on linkedin and send him a connect request",
        "whatsapp marcus that im running late",
        "add jane smith to my google calendar for thurs 2pm",
        "send hannah phillips flowers for closing the deal",
    ],
)
async def test_out_of_scope_changes_nothing_and_says_so(text: str) -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say(text)
        assert _writes(turn.calls) == [] and not driver.pending
        assert "haven't done anything" in turn.text or "can't" in turn.text.lower()


@pytest.mark.parametrize(
    "text",
    [
        "did the bluth proposal task get done",
        "should i move marcus reed's deal to closed won?",
        "has jane smith been marked contacted",
        "what if we tag luis ortega as hot",
    ],
)
async def test_a_question_about_the_crm_changes_nothing(text: str) -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say(text)
        assert _writes(turn.calls) == [] and not driver.pending


async def test_a_question_asked_then_confirmed_does_what_it_showed() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        asked = await driver.say("did the bluth proposal task get done")
        assert "haven't changed anything" in asked.text
        done = await driver.say("yes")
        [(name, args)] = _writes(done.calls)
        assert name == "update_task" and args["completed"] is True


async def test_dictated_text_naming_another_app_is_still_the_persons_text() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say("text jane smith: saw ur post on linkedin, congrats")
        [waiting] = turn.pending
        assert waiting.use["name"] == "send_sms"
        assert waiting.use["input"]["message"] == "saw ur post on linkedin, congrats"


async def test_a_company_keeps_only_the_company() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say("Dana Whitfield moved to Hooli, please update her company")
        [(name, args)] = _writes(turn.calls)
        assert name == "update_lead" and args["company"] == "Hooli"


async def test_a_list_request_is_not_taken_as_the_text_of_a_note() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        await driver.say("add a note on Jane Smith")
        turn = await driver.say("overdue tasks")
        assert _writes(turn.calls) == []
        assert ("list_tasks", {"completed": False, "limit": 100}) in turn.calls


async def test_notes_keep_the_persons_words() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say("log a note on Jane Smith: hi jane said yes. Best, Alex")
        [(name, args)] = _writes(turn.calls)
        assert name == "create_note" and args["content"] == "hi jane said yes. Best, Alex"


async def test_two_requests_in_one_message_run_in_order() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say("mark Luis Ortega as contacted and tag him as hot")
        writes = _writes(turn.calls)
        assert [w[1].get("status") for w in writes] == ["contacted", None]
        assert writes[1][1]["tags"][-1] == "hot"


async def test_my_deals_are_mine_not_the_teams() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        team = await driver.say("which deals are in negotiation")
        mine = await driver.say("which of my deals are in negotiation rn")
        count = re.compile(r"deals[^:]*: (\d+)")
        found_team, found_mine = count.search(team.text), count.search(mine.text)
        assert found_team and found_mine
        assert 0 < int(found_mine[1]) < int(found_team[1])


async def test_daily_questions_are_answered_from_crm_data() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say("who should I call next?")
        names = [name for name, _ in turn.calls]
        assert "next_best_actions" in names  # the derived tool (#18), one source of truth
        assert ("search_leads", {"search": "should call next"}) not in turn.calls
        assert "Start with" in turn.text
        report = await driver.say("what did I do yesterday?")
        assert "activity_report" in {name for name, _ in report.calls}
        assert "email" in report.text


async def test_a_mailbox_is_picked_by_its_provider() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        boxes = (await executor.crm.call("list_email_accounts", {}))["email_accounts"]
        [outlook] = [box for box in boxes if box["provider"] == "outlook"]
        assert not outlook["is_default"]  # so a wrong pick would show
        await driver.say("email Jane Smith from my outlook acct: hi jane. Best, Alex")
        [pending] = driver.pending
        assert pending.call.arguments["email_account_id"] == outlook["id"]
        assert pending.call.arguments["body_text"] == "hi jane. Best, Alex"


async def test_the_reply_after_an_edited_send_names_what_was_sent() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        await driver.say("email Jane Smith about pricing: hi jane, here it is. Best, Alex")
        done = await driver.decide(approve=True, edits={"subject": "Volume pricing"})
        assert "“Volume pricing”" in done.text
        assert "about pricing" not in done.text.lower()


async def test_undo_puts_back_what_the_crm_had_before() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        await driver.say("mark maya schmidt as qualified")
        turn = await driver.say("undo that")
        [(name, args)] = _writes(turn.calls)
        assert name == "update_lead" and args["status"] == "contacted"
        nothing = await driver.say("undo that")  # the last change is now the undo itself
        assert [w[1]["status"] for w in _writes(nothing.calls)] == ["qualified"]


async def test_a_corrected_amount_changes_the_deal_just_opened() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        opened = await driver.say("new deal for tom becker 12k proposal stage")
        [(_, created)] = _writes(opened.calls)
        turn = await driver.say("sorry, 15k not 12k")
        [(name, args)] = _writes(turn.calls)
        assert name == "update_opportunity" and args["value"] == 15000.0
        assert created["value"] == 12000.0


async def test_undo_with_nothing_done_changes_nothing() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say("undo that")
        assert _writes(turn.calls) == [] and "haven't changed anything" in turn.text
