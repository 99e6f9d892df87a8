"""Pause for approval, and every way out of it: approve, edit, reject, expire, supersede
(a new proposal for the same thing), and a card that outlives the person's next message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from coworker.agent.events import ActionDecided, ConfirmationRequired
from coworker.errors import ActionNotPending, NotAllowed, ToolInputError
from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import demo_id
from tests.agent.conftest import (
    World,
    WorldFactory,
    assert_valid_transcript,
    done_of,
    pending_of,
    tool_results,
)
from tests.support.store_queries import list_audit

S = ScriptedModel
JANE = demo_id("lead", "northwind:jane-smith")
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}


def report(request: ModelRequest) -> ModelTurn:
    """The model's reply after a decision: it echoes what the tool result said."""
    return S.text("Outcome: " + tool_results(request)[-1]["content"])


async def draft(world: World) -> tuple[str, Any]:
    cid = await world.conversation()
    events = await world.say("Email Jane our pricing", cid)
    (action,) = pending_of(events)
    done = done_of(events)
    assert done.stop_reason == "confirmation" and done.pending == (action,)
    return cid, action


async def sent_emails(world: World) -> list[dict[str, Any]]:
    emails: list[dict[str, Any]] = (await world.crm("list_emails", lead_id=JANE))["emails"]
    return emails


async def test_send_waits_for_approval_then_sends_exactly_once(make_world: WorldFactory) -> None:
    world = await make_world(
        [S.tool_calls(("send_email", EMAIL), text="I'll send Jane our pricing."), report]
    )
    cid, action = await draft(world)
    assert action.tool == "send_email" and action.risk == "outbound"
    assert action.display["to"] == "jane@acme.com" and action.display["from"]
    assert action.input["to_email"] == "jane@acme.com", "the card shows the filled-in recipient"
    assert await sent_emails(world) == [], "nothing is sent before approval"
    waiting = await world.transcript(cid)
    assert_valid_transcript(waiting, open_ok=True)
    assert waiting[-1]["content"][-1]["type"] == "tool_use"

    events = [e async for e in world.coworker.approve(world.user, action.id)]
    decided = [e for e in events if isinstance(e, ActionDecided)]
    assert decided[0].action.status == "succeeded"
    assert done_of(events).text.startswith("Outcome: The person approved this. It was done.")
    emails = await sent_emails(world)
    assert len(emails) == 1 and emails[0]["subject"] == "Pricing"
    assert_valid_transcript(await world.transcript(cid))

    with pytest.raises(ActionNotPending) as again:
        [e async for e in world.coworker.approve(world.user, action.id)]
    assert again.value.status == "succeeded"
    assert len(await sent_emails(world)) == 1
    kinds = [a.kind for a in await list_audit(world.runtime.store, action_id=action.id)]
    assert kinds == ["action.created", "action.approved", "action.succeeded"]


async def test_edits_change_only_what_a_person_may_edit(make_world: WorldFactory) -> None:
    world = await make_world([S.tool_calls(("send_email", EMAIL)), report])
    _, action = await draft(world)
    with pytest.raises(ToolInputError):
        [e async for e in world.coworker.approve(world.user, action.id, {"to_email": "x@evil.io"})]
    events = [
        e async for e in world.coworker.approve(world.user, action.id, {"body": "Edited body."})
    ]
    assert "with their edits to body_text" in done_of(events).text
    (email,) = await sent_emails(world)
    assert email["body_text"] == "Edited body." and email["to_email"] == "jane@acme.com"


async def test_reject_with_reason_reaches_the_model_and_sends_nothing(
    make_world: WorldFactory,
) -> None:
    world = await make_world([S.tool_calls(("send_email", EMAIL)), report])
    cid, action = await draft(world)
    events = [e async for e in world.coworker.reject(world.user, action.id, "too pushy")]
    assert [e.action.status for e in events if isinstance(e, ActionDecided)] == ["rejected"]
    assert 'Their reason: "too pushy"' in done_of(events).text
    assert await sent_emails(world) == []
    assert_valid_transcript(await world.transcript(cid))


async def test_only_the_requester_decides(make_world: WorldFactory) -> None:
    world = await make_world([S.tool_calls(("send_email", EMAIL))])
    _, action = await draft(world)
    stranger = await world.runtime.store.ensure_user("web:someone-else")
    with pytest.raises(NotAllowed):
        [e async for e in world.coworker.approve(stranger, action.id)]
    with pytest.raises(NotAllowed):
        [e async for e in world.coworker.reject(stranger, action.id, None)]
    assert await sent_emails(world) == []


async def test_expired_action_cannot_run_and_the_next_message_says_so(
    make_world: WorldFactory,
) -> None:
    def after(request: ModelRequest) -> ModelTurn:
        results = tool_results(request)
        assert "expired" in results[0]["content"]
        return S.text("That email expired; want me to draft it again?")

    world = await make_world([S.tool_calls(("send_email", EMAIL)), after])
    cid, action = await draft(world)
    world.coworker.gate.clock = lambda: datetime.now(UTC) + timedelta(hours=25)
    with pytest.raises(ActionNotPending) as refused:
        [e async for e in world.coworker.approve(world.user, action.id)]
    assert refused.value.status == "expired"
    done = done_of(await world.say("hello?", cid))
    assert "expired" in done.text
    assert await sent_emails(world) == []
    assert_valid_transcript(await world.transcript(cid))


async def test_a_new_message_leaves_the_card_pending_until_it_is_decided(
    make_world: WorldFactory,
) -> None:
    """Item 3 of #15: "thanks!" no longer cancels a waiting email. The tool_use is answered
    "waiting" (the transcript stays valid), the card stays approvable, and its outcome
    joins the conversation when the person decides."""

    def welcome(request: ModelRequest) -> ModelTurn:
        last = request.messages[-1]["content"]
        assert last[0]["type"] == "tool_result" and "Waiting for" in last[0]["content"]
        assert "not executed yet" in last[0]["content"]
        assert last[-1] == {"type": "text", "text": "thanks!"}
        return S.text("You're welcome: the email waits for your approval.")

    def told(request: ModelRequest) -> ModelTurn:
        (note,) = request.messages[-1]["content"]
        assert note["type"] == "text"
        assert note["text"].startswith("[Decision on an earlier request: send_email")
        return S.text("Outcome: " + note["text"])

    world = await make_world([S.tool_calls(("send_email", EMAIL)), welcome, told])
    cid, action = await draft(world)
    events = await world.say("thanks!", cid)
    assert not [e for e in events if isinstance(e, ActionDecided)]
    (record,) = await world.runtime.store.list_actions(conversation_id=cid)
    assert record.status == "pending"
    assert_valid_transcript(await world.transcript(cid))

    events = [e async for e in world.coworker.approve(world.user, action.id)]
    assert [e.action.status for e in events if isinstance(e, ActionDecided)] == ["succeeded"]
    assert "The person approved this. It was done." in done_of(events).text
    assert len(await sent_emails(world)) == 1
    assert_valid_transcript(await world.transcript(cid))
    with pytest.raises(ActionNotPending):
        [e async for e in world.coworker.approve(world.user, action.id)]
    assert len(await sent_emails(world)) == 1


async def test_a_new_proposal_for_the_same_thing_supersedes_the_older_card(
    make_world: WorldFactory,
) -> None:
    first = {"lead_id": JANE, "message": "Running 5 min late"}
    second = {"lead_id": JANE, "message": "Running 10 min late"}
    world = await make_world(
        [
            S.tool_calls(("send_sms", first)),
            S.text("Noted."),
            S.tool_calls(("send_sms", second)),
        ]
    )
    cid = await world.conversation()
    (older,) = pending_of(await world.say("Text Jane I'm 5 min late", cid))
    await world.say("thanks", cid)
    events = await world.say("make that 10 minutes", cid)
    (newer,) = pending_of(events)
    replaced = [e.action for e in events if isinstance(e, ActionDecided)]
    assert [(a.id, a.status) for a in replaced] == [(older.id, "superseded")]
    statuses = {a.id: a.status for a in await world.runtime.store.list_actions(conversation_id=cid)}
    assert statuses == {older.id: "superseded", newer.id: "pending"}
    with pytest.raises(ActionNotPending):
        [e async for e in world.coworker.approve(world.user, older.id)]
    assert_valid_transcript(await world.transcript(cid), open_ok=True)


async def test_the_same_thing_proposed_twice_in_one_turn_keeps_the_second(
    make_world: WorldFactory,
) -> None:
    first = {"lead_id": JANE, "message": "Running 5 min late"}
    second = {"lead_id": JANE, "message": "Running 10 min late"}
    world = await make_world([S.tool_calls(("send_sms", first), ("send_sms", second)), report])
    cid = await world.conversation()
    events = await world.say("Text Jane I'm late", cid)
    done = done_of(events)
    (waiting,) = done.pending
    assert waiting.input["message"] == "Running 10 min late"
    events = [e async for e in world.coworker.approve(world.user, waiting.id)]
    assert done_of(events).stop_reason != "confirmation", "nothing else is left open"
    assert_valid_transcript(await world.transcript(cid))


async def test_two_sends_in_one_turn_resume_after_both_are_decided(
    make_world: WorldFactory,
) -> None:
    sms = {"lead_id": JANE, "message": "Running 5 min late"}
    world = await make_world(
        [S.tool_calls(("send_email", EMAIL), ("send_sms", sms)), S.text("Both handled.")]
    )
    cid = await world.conversation()
    events = await world.say("email and text Jane", cid)
    first, second = pending_of(events)
    after_first = [e async for e in world.coworker.approve(world.user, first.id)]
    assert done_of(after_first).stop_reason == "confirmation"
    assert [a.id for a in done_of(after_first).pending] == [second.id]
    after_second = [e async for e in world.coworker.reject(world.user, second.id, None)]
    assert done_of(after_second).text == "Both handled."
    assert len(await sent_emails(world)) == 1
    assert (await world.crm("list_sms", lead_id=JANE))["total"] == 0
    assert_valid_transcript(await world.transcript(cid))


async def test_destructive_calls_wait_too_and_reads_do_not(make_world: WorldFactory) -> None:
    world = await make_world([S.tool_calls(("delete_lead", {"lead_id": JANE}))])
    cid = await world.conversation()
    events = await world.say("delete Jane", cid)
    (action,) = pending_of(events)
    assert action.risk == "destructive" and action.display["lead"] == "Jane Smith (Acme Corp)"
    assert (await world.crm("get_lead", id=JANE))["lead"]["name"] == "Jane Smith"


async def test_confirmation_can_cover_writes_when_configured(make_world: WorldFactory) -> None:
    world = await make_world(
        [S.tool_calls(("create_tag", {"name": "vip"}))], confirm_risks="write,outbound,destructive"
    )
    cid = await world.conversation()
    events = await world.say("make a vip tag", cid)
    assert [a.tool for a in pending_of(events)] == ["create_tag"]
    assert not any(
        isinstance(e, ConfirmationRequired) and e.action.tool != "create_tag" for e in events
    )
