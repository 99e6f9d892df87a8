"""New words for a waiting message, written instead of pressing Edit (intents/revising.py,
plans/revisions.py): the same message, the person's new words verbatim, on a new card."""

from __future__ import annotations

import pytest

from coworker.llm.offline import OfflineModel
from coworker.llm.offline.engine import Call
from coworker.llm.offline.intents.revising import revise_request
from coworker.llm.offline.plans.revised_when import Rescheduled, rescheduled
from coworker.llm.offline.plans.revisions import substituted
from tests.offline.driver import Driver, sandbox_executor

JANE = "b553da99-b72f-5a69-92de-f2ed58d9f2ab"


@pytest.mark.parametrize(
    ("said", "words"),
    [
        ("actually make it: see u at 3:30", "see u at 3:30"),
        ("no wait, say: Running late, 15 min.", "Running late, 15 min."),
        ('make it say "hi Jane - can we talk Thursday?"', "hi Jane - can we talk Thursday?"),
        ("make it say call moved to 4:30 instead", "call moved to 4:30"),
        ("change the text to: see you at 4", "see you at 4"),
        ("oops change it to - Best, Alex", "Best, Alex"),
    ],
)
def test_new_words_are_read_verbatim(said: str, words: str) -> None:
    intent = revise_request(said)
    assert intent is not None and intent.kind == "revise_message"
    assert intent.slots.get("text") == words


def test_a_new_subject_is_read_apart_from_the_body() -> None:
    intent = revise_request("change the subject to: Q1 pricing")
    assert intent is not None and intent.slots.get("subject") == "Q1 pricing"
    assert intent.slots.get("text") is None


@pytest.mark.parametrize(
    "said",
    ["make it 4pm", "make it 25k", "actually make it qualified", "say hi to jane", "make it tmrw"],
)
def test_corrections_of_a_time_amount_or_status_are_not_new_words(said: str) -> None:
    assert revise_request(said) is None


async def test_the_waiting_text_is_offered_again_with_the_new_words() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        first = await driver.say("text jane: see u at 3")
        assert first.calls[-1] == ("send_sms", {"lead_id": JANE, "message": "see u at 3"})
        second = await driver.say("actually make it: see u at 3:30")
        assert second.calls[-1] == ("send_sms", {"lead_id": JANE, "message": "see u at 3:30"})
        assert "> see u at 3:30" in second.text and "+1-555-000-1234" in second.text


async def test_new_words_with_nothing_waiting_change_nothing() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say("actually make it: see u at 3:30")
        assert turn.calls == [] and not turn.pending
        assert "no message waiting" in turn.text


@pytest.mark.parametrize(
    ("words", "said", "revised"),
    [
        (
            "can we move our call to 2pm?",
            "actually make it 3pm not 2",
            "can we move our call to 3pm?",
        ),
        ("see u thursday at 10am", "sorry, friday not thursday", "see u friday at 10am"),
    ],
)
def test_one_corrected_value_of_the_waiting_words(words: str, said: str, revised: str) -> None:
    waiting = Call("send_sms", {"lead_id": JANE, "message": words})
    assert substituted(waiting, said) == revised


@pytest.mark.parametrize(
    ("words", "said", "revised"),
    [
        ("see u at 3pm", "make it 4pm", "see u at 4pm"),
        (
            "onsite is confirmed for tuesday 10am",
            "actually make it wednesday, same time",
            "onsite is confirmed for wednesday 10am",
        ),
    ],
)
def test_a_day_or_time_said_alone_replaces_the_one_in_the_waiting_words(
    words: str, said: str, revised: str
) -> None:
    """ "make it 4pm" names no old value: the one time (or day) of the words is the one meant
    (`plans/revised_when.py`); `substituted` handles only "X not Y"."""
    waiting = Call("send_sms", {"lead_id": JANE, "message": words})
    assert substituted(waiting, said) is None
    assert rescheduled(waiting, said) == Rescheduled(revised)


@pytest.mark.parametrize(
    ("words", "said"),
    [
        ("call at 2pm or 4pm?", "make it 3pm"),  # two times: which one is never guessed
        ("see u at 3pm", "make it 5pm not 2"),  # the old value isn't in the words
        ("see u at 3pm", "sorry 15k not 12k"),
    ],
)
def test_a_correction_that_does_not_fit_the_words_once_is_not_guessed_into_them(
    words: str, said: str
) -> None:
    assert substituted(Call("send_sms", {"lead_id": JANE, "message": words}), said) is None
    assert substituted(None, said) is None


async def test_the_words_sent_keep_their_dashes_and_quotes() -> None:
    async with sandbox_executor() as executor:
        driver = Driver(executor, OfflineModel())
        turn = await driver.say(
            "email jane smith: Hi Jane — the “pilot” plan is attached. Best, Alex"
        )
        assert (
            turn.calls[-1][1]["body_text"] == "Hi Jane — the “pilot” plan is attached. Best, Alex"
        )
