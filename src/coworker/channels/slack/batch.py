"""Presses on a batch message (`batch_card.py`): one decision for many actions.

"Approve all (n)" and "Cancel all" carry only the batch id. The actions are read again
from the service, the presser must be someone who may decide them (the single card's
check), and the decision goes through `Coworker.decide_batch`: each item approved or left
out through the service's own approve / reject, so each keeps its at-most-once run, its
audit and its effect check. An item's menu leaves it out or puts it back (a redraw, no
decision), or decides it alone through the single card's paths (the edit and cancel forms).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from coworker.agent.events import ActionDecided, Event
from coworker.channels.slack import approvals, batch_card
from coworker.channels.slack.context import SlackContext
from coworker.channels.slack.events import slack_id_of, slack_user, team_of
from coworker.channels.slack.reply import Thread, render_run
from coworker.channels.slack.stream import SlackFeatures
from coworker.errors import ActionNotFound, ActionNotPending, NotAllowed
from coworker.runtime import Runtime


async def decide_all(
    runtime: Runtime,
    client: AsyncWebClient,
    body: dict[str, Any],
    *,
    approve: bool,
    features: SlackFeatures,
) -> None:
    """Approve every pending item still ticked and leave out the rest ("Approve all"), or
    leave out every pending item ("Cancel all"); then show how each ended."""
    batch_id = str(body["actions"][0]["value"])
    where = approvals._where(body)
    slack_user_id, team = str(body["user"]["id"]), team_of(body)
    user = await slack_user(runtime, team, slack_user_id)
    actions, _ = await batch_card.read(runtime, batch_id, batch_card.ids(where, "items"))
    if not actions:
        return
    try:
        await runtime.coworker.get_action(user, actions[0].id)  # who may decide: as one card
    except NotAllowed:
        await approvals._refuse(runtime, client, actions[0].id, where, slack_user_id)
        return
    left_out = set(batch_card.ids(where, "left_out"))
    pending = [a.id for a in actions if a.status == "pending"]
    ticked = [i for i in pending if approve and i not in left_out]
    unticked = [i for i in pending if i not in ticked]

    async def redraw() -> None:
        await batch_card.show(
            runtime, client, where, batch_id, decider=slack_user_id, slack_id_of=slack_id_of
        )

    if not pending:  # a replayed press, or decided elsewhere: show how it stands
        await redraw()
        return
    events = runtime.coworker.decide_batch(user, batch_id, approve=ticked, reject=unticked)
    try:
        going_on = await _decisions(events)
    except (ActionNotPending, ActionNotFound):  # another press won the race: nothing ran here
        await redraw()
        return
    await redraw()
    if going_on is not None:
        thread = Thread(where["channel"], where["thread_ts"], slack_user_id, team, features)
        await render_run(client, thread, going_on)
        await redraw()  # items decided after the turn went on (a late decision goes on each)


async def _decisions(events: AsyncIterator[Event]) -> AsyncIterator[Event] | None:
    """Consume the items' decisions; what follows them is the model's turn going on (or
    None when other cards of the turn still wait)."""
    while True:
        try:
            event = await anext(events)
        except StopAsyncIteration:
            return None
        if not isinstance(event, ActionDecided):
            break

    async def rest() -> AsyncIterator[Event]:
        yield event
        async for following in events:
            yield following

    return await batch_card.after_decision(rest())


async def _toggle(
    runtime: Runtime, client: AsyncWebClient, body: dict[str, Any], action_id: str, out: bool
) -> None:
    """Leave an item out or put it back: only the message changes."""
    action = await approvals._allowed_pending(runtime, client, body, action_id)
    if action is None or action.batch_id is None:
        return
    where = approvals._where(body)
    left_out = set(batch_card.ids(where, "left_out")) - {action_id}
    if out:
        left_out.add(action_id)
    where["left_out"] = ",".join(sorted(left_out))
    await batch_card.show(
        runtime, client, where, action.batch_id, decider=None, slack_id_of=slack_id_of
    )


def register(app: AsyncApp, shared: SlackContext) -> None:
    """The batch message's buttons and menus; each acks first, then works (tracked, so a
    shutdown lets a decision in progress finish)."""
    runtime_of, features = shared.runtime_of, shared.features

    async def all_of(body: dict[str, Any], client: AsyncWebClient, *, approve: bool) -> None:
        async with shared.inflight.track():
            await decide_all(runtime_of(), client, body, approve=approve, features=features)

    @app.action(batch_card.APPROVE_ALL)
    async def on_approve_all(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await all_of(body, client, approve=True)

    @app.action(batch_card.CANCEL_ALL)
    async def on_cancel_all(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await all_of(body, client, approve=False)

    @app.action(batch_card.ITEM_ACTION)
    async def on_item(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        chosen = body["actions"][0].get("selected_option") or {}
        verb, _, action_id = str(chosen.get("value", "")).partition(":")
        runtime = runtime_of()
        async with shared.inflight.track():
            if verb in ("out", "in"):
                await _toggle(runtime, client, body, action_id, out=verb == "out")
            elif verb == "approve":
                await approvals.decide(
                    runtime,
                    client,
                    team=team_of(body),
                    slack_user_id=str(body["user"]["id"]),
                    action_id=action_id,
                    where=approvals._where(body),
                    approve=True,
                    features=features,
                )
            elif verb in ("edit", "cancel"):
                build = approvals.edit_modal if verb == "edit" else approvals.cancel_modal
                await approvals.open_form(runtime, client, body, action_id, build)
