"""Pause for approval, and every way out of it: approve, edit, reject, expire, supersede."""

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
    kinds = [a.kind for a in await world.runtime.store.list_audit(action_id=action.id)]
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


async def test_a_new_message_supersedes_the_pending_action(make_world: WorldFactory) -> None:
    def remind(request: ModelRequest) -> ModelTurn:
        last = request.messages[-1]["content"]
        assert last[0]["type"] == "tool_result" and "Not executed" in last[0]["content"]
        assert last[-1] == {"type": "text", "text": "actually, what are my tasks?"}
        return S.text("Noted: the pricing email was not sent.")

    world = await make_world([S.tool_calls(("send_email", EMAIL)), remind])
    cid, action = await draft(world)
    done = done_of(await world.say("actually, what are my tasks?", cid))
    assert "not sent" in done.text
    (record,) = await world.runtime.store.list_actions(conversation_id=cid)
    assert record.status == "superseded"
    with pytest.raises(ActionNotPending):
        [e async for e in world.coworker.approve(world.user, action.id)]
    assert await sent_emails(world) == []
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
