"""Approve / Edit / Cancel on an action card; only the requester may decide, and once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from coworker.agent.events import ActionDecided, ActionView, Event
from coworker.channels.slack import batch_card, render
from coworker.channels.slack.context import SlackContext
from coworker.channels.slack.events import slack_id_of, slack_user, team_of
from coworker.channels.slack.reply import Thread, render_run
from coworker.channels.slack.stream import SlackFeatures
from coworker.errors import ActionNotFound, ActionNotPending, NotAllowed
from coworker.runtime import Runtime

EDIT_MODAL = "coworker_edit_modal"
CANCEL_MODAL = "coworker_cancel_modal"


def _where(body: dict[str, Any]) -> dict[str, str]:
    """Where the card is: enough to update it and reply in its thread after a modal."""
    message = body.get("message") or {}
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id", "")
    ts = message.get("ts") or container.get("message_ts", "")
    thread_ts = message.get("thread_ts") or container.get("thread_ts") or ts
    where = {"channel": str(channel), "message_ts": str(ts), "thread_ts": str(thread_ts)}
    return where | batch_card.state_of(message)  # a batch message's items and left-outs


async def _refuse(
    runtime: Runtime,
    client: AsyncWebClient,
    action_id: str,
    where: dict[str, str],
    slack_user_id: str,
) -> None:
    record = await runtime.store.get_action(action_id)
    owner = await runtime.store.get_user(record.user_id) if record else None
    who = f"<@{slack_id_of(owner)}>" if owner else "the person who asked"
    await client.chat_postEphemeral(
        channel=where["channel"],
        user=slack_user_id,
        thread_ts=where["thread_ts"],
        text=f"Only {who} can decide this.",
    )


async def _show(
    runtime: Runtime,
    client: AsyncWebClient,
    where: dict[str, str],
    action: ActionView,
    decider: str | None,
) -> None:
    if action.batch_id and where.get("items"):  # one item of a batch message: redraw it all
        await batch_card.show(
            runtime, client, where, action.batch_id, decider=decider, slack_id_of=slack_id_of
        )
        return
    await client.chat_update(
        channel=where["channel"],
        ts=where["message_ts"],
        text=render.outcome_text(action),
        blocks=render.outcome_blocks(action, decider),
    )


async def _current(runtime: Runtime, action_id: str) -> ActionView:
    record = await runtime.coworker.gate.get(action_id)
    return runtime.coworker.gate.view(record)


async def decide(
    runtime: Runtime,
    client: AsyncWebClient,
    *,
    team: str,
    slack_user_id: str,
    action_id: str,
    where: dict[str, str],
    approve: bool,
    edits: dict[str, Any] | None = None,
    reason: str | None = None,
    features: SlackFeatures,
) -> None:
    user = await slack_user(runtime, team, slack_user_id)
    coworker = runtime.coworker
    events = (
        coworker.approve(user, action_id, edits)
        if approve
        else coworker.reject(user, action_id, reason)
    )
    try:
        first = await anext(events)
    except NotAllowed:
        await _refuse(runtime, client, action_id, where, slack_user_id)
        return
    except (ActionNotPending, ActionNotFound):
        # a double click, a retry, or an action that expired: show how it stands, run nothing
        try:
            await _show(runtime, client, where, await _current(runtime, action_id), None)
        except ActionNotFound:
            pass
        return
    thread = Thread(where["channel"], where["thread_ts"], slack_user_id, team, features)
    if isinstance(first, ActionDecided):
        await _show(runtime, client, where, first.action, slack_user_id)
        if first.action.batch_id and where.get("items"):  # the turn goes on after its last
            going_on = await batch_card.after_decision(events)
            if going_on is not None:
                await render_run(client, thread, going_on)
            return

    async def rest() -> AsyncIterator[Event]:
        if not isinstance(first, ActionDecided):
            yield first
        async for event in events:
            yield event

    await render_run(client, thread, rest())


async def _allowed_pending(
    runtime: Runtime, client: AsyncWebClient, body: dict[str, Any], action_id: str
) -> ActionView | None:
    """The action if this person may decide it and it still waits; otherwise say why."""
    where = _where(body)
    slack_user_id = str(body["user"]["id"])
    user = await slack_user(runtime, team_of(body), slack_user_id)
    try:
        action = await runtime.coworker.get_action(user, action_id)
    except NotAllowed:
        await _refuse(runtime, client, action_id, where, slack_user_id)
        return None
    except ActionNotFound:
        return None
    if action.status != "pending":
        await _show(runtime, client, where, action, None)
        return None
    return action


def edit_modal(action: ActionView, where: dict[str, str]) -> dict[str, Any]:
    blocks = [
        {
            "type": "input",
            "block_id": field.key,
            "label": {"type": "plain_text", "text": field.label},
            "element": {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": field.multiline,
                "initial_value": field.value,
            },
        }
        for field in action.card
        if field.editable
    ]
    return {
        "type": "modal",
        "callback_id": EDIT_MODAL,
        "private_metadata": json.dumps({"action_id": action.id, **where}),
        "title": {"type": "plain_text", "text": "Edit, then send"},
        "submit": {"type": "plain_text", "text": "Approve"},
        "close": {"type": "plain_text", "text": "Back"},
        "blocks": blocks,
    }


def cancel_modal(action: ActionView, where: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": CANCEL_MODAL,
        "private_metadata": json.dumps({"action_id": action.id, **where}),
        "title": {"type": "plain_text", "text": "Cancel this action"},
        "submit": {"type": "plain_text", "text": "Cancel it"},
        "close": {"type": "plain_text", "text": "Back"},
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "optional": True,
                "label": {"type": "plain_text", "text": "Why? (the coworker reads this)"},
                "element": {"type": "plain_text_input", "action_id": "value", "multiline": True},
            }
        ],
    }


def _values(view: dict[str, Any]) -> dict[str, str]:
    state = (view.get("state") or {}).get("values") or {}
    values: dict[str, str] = {}
    for block_id, elements in state.items():
        value = (elements.get("value") or {}).get("value")
        if value is not None:
            values[block_id] = str(value)
    return values


async def open_form(
    runtime: Runtime,
    client: AsyncWebClient,
    body: dict[str, Any],
    action_id: str,
    build: Callable[[ActionView, dict[str, str]], dict[str, Any]],
) -> None:
    """Edit and Cancel open a form, but only for the requester and a pending action."""
    action = await _allowed_pending(runtime, client, body, action_id)
    if action is not None:
        await client.views_open(trigger_id=body["trigger_id"], view=build(action, _where(body)))


def register(app: AsyncApp, shared: SlackContext) -> None:
    """Buttons and modals of action cards; each acks first, then works (tracked, so a
    shutdown lets a decision in progress finish)."""
    runtime_of, features = shared.runtime_of, shared.features

    async def decided(
        body: dict[str, Any],
        client: AsyncWebClient,
        action_id: str,
        where: dict[str, str],
        **decision: Any,
    ) -> None:
        """A button or a submitted form: the presser decides (tracked until it is done)."""
        async with shared.inflight.track():
            await decide(
                runtime_of(),
                client,
                team=team_of(body),
                slack_user_id=str(body["user"]["id"]),
                action_id=action_id,
                where=where,
                features=features,
                **decision,
            )

    @app.action("coworker_approve")
    async def on_approve(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        action_id = str(body["actions"][0]["value"])
        await decided(body, client, action_id, _where(body), approve=True)

    async def open_modal(
        body: dict[str, Any],
        client: AsyncWebClient,
        build: Callable[[ActionView, dict[str, str]], dict[str, Any]],
    ) -> None:
        await open_form(runtime_of(), client, body, str(body["actions"][0]["value"]), build)

    @app.action("coworker_edit")
    async def on_edit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await open_modal(body, client, edit_modal)

    @app.action("coworker_cancel")
    async def on_cancel(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await open_modal(body, client, cancel_modal)

    async def submitted(body: dict[str, Any], client: AsyncWebClient, **decision: Any) -> None:
        """A submitted Edit or Cancel form: the action and its thread ride in the metadata."""
        meta = json.loads(body["view"]["private_metadata"])
        await decided(body, client, meta.pop("action_id"), meta, **decision)

    @app.view(EDIT_MODAL)
    async def on_edit_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await submitted(body, client, approve=True, edits=_values(body["view"]) or None)

    @app.view(CANCEL_MODAL)
    async def on_cancel_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        reason = _values(body["view"]).get("reason", "").strip() or None
        await submitted(body, client, approve=False, reason=reason)
