"""Bulk with one decision (#18 item 4): one response's gated calls share a batch id, are
decided together through approve/reject item by item, and a batch decision can never
reach an action the person did not list, another person's action or another batch's."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from coworker.agent.batches import LEFT_OUT
from coworker.agent.events import ActionDecided, ConfirmationRequired, Event, TurnDone
from coworker.errors import ActionNotFound, ActionNotPending, ToolInputError
from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.offline.model import OfflineModel
from coworker.llm.scripted import ScriptedModel
from coworker.sandbox.seed import demo_id
from tests.agent.conftest import (
    World,
    WorldFactory,
    assert_valid_transcript,
    collect,
    done_of,
    pending_of,
    tool_results,
)
from tests.support.databases import shared_database
from tests.support.store_queries import list_audit

S = ScriptedModel
ACME = ("jane-smith", "priya-shah", "luis-ortega")
LEADS = {slug: demo_id("lead", f"northwind:{slug}") for slug in ACME}


def hello(slug: str) -> tuple[str, dict[str, Any]]:
    return (
        "send_email",
        {"lead_id": LEADS[slug], "subject": "Hello", "body_text": "A quick hello"},
    )


def batch_turn() -> ModelTurn:
    return S.tool_calls(*(hello(slug) for slug in ACME), text="Three hellos for you to check.")


def report(request: ModelRequest) -> ModelTurn:
    """The model's reply once every card is decided: each result, in order."""
    return S.text(" | ".join(str(r["content"])[:40] for r in tool_results(request)))


async def emails_to(world: World, slug: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await world.crm("list_emails", lead_id=LEADS[slug]))["emails"]
    return found


async def outbox(world: World) -> dict[str, int]:
    return {slug: len(await emails_to(world, slug)) for slug in ACME}


async def proposed(world: World) -> tuple[str, list[Any]]:
    cid = await world.conversation()
    events = await world.say("email all new leads at Acme a quick hello", cid)
    actions = pending_of(events)
    assert len(actions) == 3 and done_of(events).stop_reason == "confirmation"
    return cid, actions


def decided(events: list[Event]) -> dict[str, str]:
    return {e.action.id: e.action.status for e in events if isinstance(e, ActionDecided)}


async def test_one_response_proposing_several_shares_one_batch(make_world: WorldFactory) -> None:
    world = await make_world([batch_turn(), S.tool_calls(hello("jane-smith"))])
    _, actions = await proposed(world)
    (batch_id,) = {a.batch_id for a in actions}
    assert batch_id and len(batch_id) == 32
    assert [a.as_dict()["batch_id"] for a in actions] == [batch_id] * 3
    created = await list_audit(world.runtime.store, action_id=actions[0].id)
    assert created[0].data["batch_id"] == batch_id

    alone = await world.say("and Jane once more", await world.conversation())
    (single,) = pending_of(alone)
    assert single.batch_id is None, "a response proposing one action gets a normal card"


async def test_approve_all_but_one_sends_exactly_those(make_world: WorldFactory) -> None:
    world = await make_world([batch_turn(), report])
    cid, (jane, priya, luis) = await proposed(world)
    assert await outbox(world) == {"jane-smith": 0, "priya-shah": 0, "luis-ortega": 0}

    events = await collect(
        world.coworker.decide_batch(
            world.user,
            jane.batch_id,
            approve=[jane.id, luis.id],
            reject=[priya.id],
            edits={luis.id: {"body": "A quick hello, Luis"}},
        )
    )
    assert decided(events) == {jane.id: "succeeded", priya.id: "rejected", luis.id: "succeeded"}
    assert [e.action.id for e in events if isinstance(e, ActionDecided)] == [
        jane.id,
        priya.id,
        luis.id,
    ], "decided one by one in card order"
    done = done_of(events)  # the model goes on once, after the last card
    assert done.stop_reason == "end_turn" and done.text.count("|") == 2
    assert world.model.remaining == 0
    assert await outbox(world) == {"jane-smith": 1, "priya-shah": 0, "luis-ortega": 1}
    (luis_email,) = await emails_to(world, "luis-ortega")
    assert "A quick hello, Luis" in str(luis_email)
    left_out = await world.coworker.get_action(world.user, priya.id)
    assert left_out.reason == LEFT_OUT
    assert_valid_transcript(await world.transcript(cid))
    kinds = [a.kind for a in await list_audit(world.runtime.store, action_id=jane.id)]
    assert kinds == ["action.created", "action.approved", "action.succeeded"]

    with pytest.raises(ActionNotPending):  # a replayed decision does nothing
        await collect(
            world.coworker.decide_batch(
                world.user, jane.batch_id, approve=[jane.id, luis.id], reject=[priya.id]
            )
        )
    assert await outbox(world) == {"jane-smith": 1, "priya-shah": 0, "luis-ortega": 1}


async def test_reject_all_sends_nothing(make_world: WorldFactory) -> None:
    world = await make_world([batch_turn(), report])
    _, actions = await proposed(world)
    ids = [a.id for a in actions]
    events = await collect(world.coworker.decide_batch(world.user, actions[0].batch_id, reject=ids))
    assert set(decided(events).values()) == {"rejected"}
    assert done_of(events).stop_reason == "end_turn"
    assert await outbox(world) == {"jane-smith": 0, "priya-shah": 0, "luis-ortega": 0}


async def test_items_not_listed_stay_pending(make_world: WorldFactory) -> None:
    world = await make_world([batch_turn(), report])
    _, (jane, priya, luis) = await proposed(world)
    events = await collect(world.coworker.decide_batch(world.user, jane.batch_id, [jane.id]))
    done = done_of(events)
    assert done.stop_reason == "confirmation" and {a.id for a in done.pending} == {
        priya.id,
        luis.id,
    }
    assert world.model.remaining == 1, "the model waits for the last card"
    assert await outbox(world) == {"jane-smith": 1, "priya-shah": 0, "luis-ortega": 0}
    rest = await collect(
        world.coworker.decide_batch(world.user, jane.batch_id, [luis.id], [priya.id])
    )
    assert done_of(rest).stop_reason == "end_turn"
    assert await outbox(world) == {"jane-smith": 1, "priya-shah": 0, "luis-ortega": 1}


async def test_an_item_decided_elsewhere_is_shown_as_it_ended(make_world: WorldFactory) -> None:
    world = await make_world([batch_turn(), report])
    _, (jane, priya, luis) = await proposed(world)
    await collect(world.coworker.reject(world.user, priya.id, "not her"))
    with pytest.raises(ActionNotPending):  # listed while no longer pending: nothing happens
        await collect(world.coworker.decide_batch(world.user, jane.batch_id, [jane.id, priya.id]))
    assert await outbox(world) == {"jane-smith": 0, "priya-shah": 0, "luis-ortega": 0}
    events = await collect(
        world.coworker.decide_batch(world.user, jane.batch_id, [jane.id, luis.id])
    )
    assert decided(events) == {jane.id: "succeeded", luis.id: "succeeded"}


async def test_never_another_persons_action_nor_another_batch(make_world: WorldFactory) -> None:
    world = await make_world([batch_turn(), batch_turn()])
    _, mine = await proposed(world)
    _, other_batch = await proposed(world)
    bob = await world.runtime.web_user("bob")
    batch_id = mine[0].batch_id
    assert other_batch[0].batch_id != batch_id

    for approve, reject in (
        ([mine[0].id, other_batch[0].id], []),  # an item of another batch
        ([mine[0].id], ["no-such-action"]),
    ):
        with pytest.raises(ActionNotFound):
            await collect(world.coworker.decide_batch(world.user, batch_id, approve, reject))
    with pytest.raises(ActionNotFound):  # Bob lists Alex's items: not his, so not found
        await collect(world.coworker.decide_batch(bob, batch_id, [a.id for a in mine]))
    with pytest.raises(ActionNotFound):  # the right ids under another batch's id
        await collect(
            world.coworker.decide_batch(world.user, other_batch[0].batch_id, [mine[0].id])
        )
    assert await outbox(world) == {"jane-smith": 0, "priya-shah": 0, "luis-ortega": 0}
    for action in [*mine, *other_batch]:
        assert (await world.coworker.get_action(world.user, action.id)).status == "pending"


@pytest.mark.parametrize(
    ("approve", "reject", "edits"),
    [
        ([], [], {}),  # nothing listed
        (["A", "A"], [], {}),  # twice
        (["A"], ["A"], {}),  # both ways
        (["A"], ["B"], {"B": {"body": "x"}}),  # an edit for an item left out
        (["A"], [], {"A": {"to_email": "evil@example.com"}}),  # a field no one may edit
        (["A"], [], {"A": {"body": "  "}}),  # empty text
    ],
)
async def test_bad_decisions_are_refused_before_anything(
    make_world: WorldFactory, approve: list[str], reject: list[str], edits: dict[str, Any]
) -> None:
    world = await make_world([batch_turn()])
    _, (jane, priya, _) = await proposed(world)
    names = {"A": jane.id, "B": priya.id}
    with pytest.raises(ToolInputError):
        await collect(
            world.coworker.decide_batch(
                world.user,
                jane.batch_id,
                [names[a] for a in approve],
                [names[r] for r in reject],
                {names[k]: v for k, v in edits.items()},
            )
        )
    assert await outbox(world) == {"jane-smith": 0, "priya-shah": 0, "luis-ortega": 0}


async def test_a_response_over_the_batch_limit_is_refused_whole(
    make_world: WorldFactory,
) -> None:
    seen: list[list[dict[str, Any]]] = []

    def told(request: ModelRequest) -> ModelTurn:
        seen.append(tool_results(request))
        return S.text("That is too many at once; which of them first?")

    world = await make_world([batch_turn(), told], max_batch_actions=2)
    cid = await world.conversation()
    events = await world.say("email all new leads at Acme a quick hello", cid)
    assert not [e for e in events if isinstance(e, ConfirmationRequired)]
    assert await world.runtime.store.list_actions(conversation_id=cid) == []
    (results,) = seen
    assert len(results) == 3 and all(r["is_error"] for r in results)
    assert "at most 2 can be approved together" in str(results[0]["content"])
    assert "narrow" in str(results[0]["content"])
    assert [e for e in events if isinstance(e, TurnDone)][0].stop_reason == "end_turn"
    assert_valid_transcript(await world.transcript(cid))


async def test_the_offline_model_proposes_one_batch_and_reports_each_end(
    make_world: WorldFactory,
) -> None:
    world = await make_world(model=OfflineModel())
    cid = await world.conversation()
    events = await world.say("email all new leads at Acme a quick hello", cid)
    actions = pending_of(events)
    tom = demo_id("lead", "northwind:tom-becker")
    assert {a.input["lead_id"] for a in actions} == {*LEADS.values(), tom}
    assert len({a.batch_id for a in actions}) == 1 and actions[0].batch_id
    jane = next(a for a in actions if a.input["lead_id"] == LEADS["jane-smith"])
    assert jane.input["body_text"] == "Hi Jane,\n\nJust a quick hello."

    left_out = next(a for a in actions if a.input["lead_id"] == tom)
    rest = [a.id for a in actions if a is not left_out]
    decided = await collect(
        world.coworker.decide_batch(world.user, jane.batch_id, rest, [left_out.id])
    )
    reply = done_of(decided).text
    assert "Sent 3 emails" in reply and "Not sent to **Tom Becker**: left out" in reply
    assert await outbox(world) == {"jane-smith": 1, "priya-shah": 1, "luis-ortega": 1}
    assert (await world.crm("list_emails", lead_id=tom))["emails"] == []
    assert_valid_transcript(await world.transcript(cid))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_two_decisions_at_once_send_each_item_once(
    make_world: WorldFactory, tmp_path: Path, backend: str
) -> None:
    async with shared_database(backend, tmp_path, purpose="batch_race") as url:
        world = await make_world([batch_turn(), report], database_url=url)
        _, actions = await proposed(world)
        ids = [a.id for a in actions]

        async def decide() -> list[Event] | BaseException:
            try:
                return await collect(
                    world.coworker.decide_batch(world.user, actions[0].batch_id, ids)
                )
            except ActionNotPending as refused:
                return refused

        first, second = await asyncio.gather(decide(), decide())
        assert await outbox(world) == {"jane-smith": 1, "priya-shah": 1, "luis-ortega": 1}
        ran = [r for r in (first, second) if isinstance(r, list)]
        succeeded = [
            e.action.id
            for events in ran
            for e in events
            if isinstance(e, ActionDecided) and e.action.status == "succeeded"
        ]
        assert set(succeeded) == set(ids), "the loser shows each item as it ended"
        for action_id in ids:
            kinds = [a.kind for a in await list_audit(world.runtime.store, action_id=action_id)]
            assert kinds.count("action.approved") == 1
        await world.runtime.aclose()


async def test_the_offline_model_texts_everyone_met_tomorrow_in_their_own_words(
    make_world: WorldFactory,
) -> None:
    world = await make_world(model=OfflineModel())
    tom = demo_id("lead", "northwind:tom-becker")
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(hour=10, minute=0, second=0)
    await world.crm(
        "create_task", title="Meet Tom Becker", lead_id=tom, due_date=tomorrow.isoformat()
    )
    cid = await world.conversation()
    events = await world.say("text everyone I meet tomorrow that I'm running late", cid)
    actions = pending_of(events)
    assert tom in {a.input["lead_id"] for a in actions}
    assert {a.tool for a in actions} == {"send_sms"}
    assert {a.input["message"] for a in actions} == {"I'm running late"}
    if len(actions) > 1:
        assert len({a.batch_id for a in actions}) == 1 and actions[0].batch_id
