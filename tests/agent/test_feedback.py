"""Feedback on replies through the real service: the turn names its final reply, a press is
stored with the turn it rates, audited, replaced by a second press, and refused for what is
not the caller's reply."""

from __future__ import annotations

import pytest

from coworker.agent.events import RunSummary
from coworker.agent.feedback import (
    FeedbackInput,
    FeedbackRecord,
    InvalidFeedback,
    ReplyNotFound,
    export,
)
from coworker.errors import ConversationNotFound
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import demo_id
from tests.agent.conftest import WorldFactory, done_of
from tests.support.store_queries import list_audit

S = ScriptedModel
JANE = demo_id("lead", "northwind:jane-smith")
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}


async def test_a_press_is_stored_with_the_turn_it_rates(make_world: WorldFactory) -> None:
    world = await make_world(
        [
            S.tool_calls(("search_leads", {"search": "jane"}), text="Looking."),
            S.tool_calls(("get_lead", {"lead_id": JANE}), ("list_tasks", {})),
            S.text("Jane Smith is at Northwind."),
        ]
    )
    cid = await world.conversation()
    done = done_of(await world.say("who is jane?", cid))
    assert done.reply_id is not None
    transcript = await world.transcript(cid)
    # The reply is the last stored message, an assistant one, named by its place.
    assert done.reply_id == str(len(transcript))
    assert transcript[-1]["role"] == "assistant"

    entry = FeedbackInput(cid, done.reply_id, "down", channel="web")
    first = await world.coworker.record_feedback(world.user, entry)
    assert isinstance(first, FeedbackRecord)
    assert (first.user_id, first.user, first.conversation_id) == (world.user.id, "local", cid)
    assert (first.reply_id, first.rating, first.channel) == (done.reply_id, "down", "web")
    assert first.model == "scripted"
    assert first.tools == ("search_leads", "get_lead", "list_tasks")
    assert first.reply == "Jane Smith is at Northwind."

    # A second press replaces the rating: still one row, the same id, a later update.
    second = await world.coworker.record_feedback(
        world.user, FeedbackInput(cid, done.reply_id, "up", channel="web")
    )
    assert second.id == first.id and second.rating == "up"
    assert second.created_at == first.created_at and second.updated_at >= first.updated_at
    assert [r.rating for r in await export(world.runtime.store)] == ["up"]

    audit = await list_audit(world.runtime.store, conversation_id=cid)
    pressed = [e for e in audit if e.kind == "feedback.recorded"]
    assert [e.data["rating"] for e in pressed] == ["down", "up"]
    assert {e.actor for e in pressed} == {world.user.id}
    assert pressed[0].data == {
        "feedback_id": first.id,
        "reply_seq": int(done.reply_id),
        "rating": "down",
        "channel": "web",
    }


async def test_each_turn_names_its_own_reply_and_tools(make_world: WorldFactory) -> None:
    world = await make_world(
        [
            S.tool_calls(("search_leads", {"search": "jane"})),
            S.text("Found her."),
            S.text("You're welcome."),
        ]
    )
    cid = await world.conversation()
    one = done_of(await world.say("find jane", cid)).reply_id
    two = done_of(await world.say("thanks", cid)).reply_id
    assert one is not None and two is not None and one != two
    first = await world.coworker.record_feedback(world.user, FeedbackInput(cid, one, "up", "web"))
    second = await world.coworker.record_feedback(
        world.user, FeedbackInput(cid, two, "down", "slack")
    )
    assert (first.tools, first.reply) == (("search_leads",), "Found her.")
    assert (second.tools, second.reply) == ((), "You're welcome.")
    newest_first = await export(world.runtime.store)
    assert [r.reply_id for r in newest_first] == [two, one]
    assert [r.reply_id for r in await export(world.runtime.store, rating="down")] == [two]


async def test_a_turn_that_waits_for_approval_names_the_proposal(
    make_world: WorldFactory,
) -> None:
    world = await make_world(
        [S.tool_calls(("send_email", EMAIL), text="I'll email Jane."), S.text("Sent it.")]
    )
    cid = await world.conversation()
    done = done_of(await world.say("email jane about pricing", cid))
    assert done.stop_reason == "confirmation" and done.reply_id is not None
    rated = await world.coworker.record_feedback(
        world.user, FeedbackInput(cid, done.reply_id, "up", "web")
    )
    assert rated.tools == ("send_email",) and rated.reply == "I'll email Jane."

    # Approving continues the conversation: that run ends on a reply of its own.
    events = [e async for e in world.coworker.approve(world.user, done.pending[0].id)]
    after = done_of(events)
    assert after.reply_id is not None and int(after.reply_id) > int(done.reply_id)
    rated = await world.coworker.record_feedback(
        world.user, FeedbackInput(cid, after.reply_id, "down", "web")
    )
    assert rated.reply == "Sent it." and rated.tools == ("send_email",)


async def test_no_reply_no_id(make_world: WorldFactory) -> None:
    world = await make_world([])
    cid = await world.conversation()
    events = await world.say("   ", cid)
    assert done_of(events).reply_id is None
    summary = RunSummary()
    for event in events:
        summary.add(event)
    assert summary.as_dict()["reply_id"] is None


async def test_only_an_assistant_reply_of_your_own_conversation(
    make_world: WorldFactory,
) -> None:
    world = await make_world([S.text("Hello.")])
    cid = await world.conversation()
    reply_id = done_of(await world.say("hi", cid)).reply_id
    assert reply_id == "2"
    coworker = world.coworker
    stranger = await world.runtime.store.ensure_user("web:mallory")
    with pytest.raises(ConversationNotFound):
        await coworker.record_feedback(stranger, FeedbackInput(cid, reply_id, "down", "web"))
    with pytest.raises(ConversationNotFound):
        await coworker.record_feedback(world.user, FeedbackInput("nope", "2", "up", "web"))
    for not_a_reply in ("1", "3", "0", "-2", "abc", "٢", "99999999999", " 2"):
        with pytest.raises(ReplyNotFound):
            await coworker.record_feedback(world.user, FeedbackInput(cid, not_a_reply, "up", "web"))
    with pytest.raises(InvalidFeedback, match="rating 'meh'"):
        await coworker.record_feedback(
            world.user,
            FeedbackInput(cid, reply_id, "meh", "web"),  # type: ignore[arg-type]
        )
    with pytest.raises(InvalidFeedback, match="channel 'fax'"):
        await coworker.record_feedback(world.user, FeedbackInput(cid, reply_id, "up", "fax"))
    with pytest.raises(InvalidFeedback):
        await export(world.runtime.store, rating="sideways")
    assert await export(world.runtime.store) == []  # nothing refused was stored
