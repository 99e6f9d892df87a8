"""One Slack message for the actions one model response proposed together (a batch).

Twenty-five emails as twenty-five cards bury the thread, so a batch is one message: a
section per item (what it does, to whom, the text), an overflow menu on each (leave it out
or put it back, edit it, approve or cancel only it) and "Approve all (n)" / "Cancel all".
One block per item keeps the largest batch (`COWORKER_MAX_BATCH_ACTIONS`, 25 by default)
under Slack's 50 blocks. Which items are left out lives in the message itself (each item's
`block_id` ends `:in` or `:out`), so a press carries it back; it only ever narrows what the
service lets the presser decide. Whatever the message says, the actions are read again
from the service on every press.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from coworker.agent.events import ActionView, Event, TurnDone
from coworker.channels.slack.render import ICONS, MAX_CHUNK, escape
from coworker.channels.slack.stream import Block
from coworker.channels.slack.thread import Thread
from coworker.runtime import Runtime
from coworker.store.records import UserRecord

ITEM_ACTION = "coworker_batch_item"  # an item's overflow menu: "verb:action_id"
APPROVE_ALL = "coworker_batch_approve"  # value: the batch id, nothing else is read from it
CANCEL_ALL = "coworker_batch_cancel"
LEFT_OUT = "Left out of the batch"  # the reason an unticked item is rejected with
MAX_BLOCKS = 50  # Slack's limit per message
_ITEM = "bitem"
_BODY_CHARS = 600  # an item's text on the card; the edit form holds all of it


def item_block_id(action_id: str, included: bool) -> str:
    return f"{_ITEM}:{action_id}:{'in' if included else 'out'}"


def state_of(message: dict[str, Any] | None) -> dict[str, str]:
    """A batch message's items in order and those left out, as `where` carries them (into
    a modal's metadata too); {} for any other message."""
    items: list[str] = []
    left_out: list[str] = []
    for block in (message or {}).get("blocks") or []:
        parts = str(block.get("block_id", "")).split(":") if isinstance(block, dict) else []
        if len(parts) == 3 and parts[0] == _ITEM:
            items.append(parts[1])
            if parts[2] == "out":
                left_out.append(parts[1])
    if not items:
        return {}
    return {"items": ",".join(items), "left_out": ",".join(left_out)}


def ids(where: dict[str, str], key: str) -> list[str]:
    return [part for part in where.get(key, "").split(",") if part]


def _fields_line(action: ActionView) -> str:
    return " · ".join(
        f"{escape(field.label)}: {escape(field.value)}"
        for field in action.card
        if not field.multiline
    )


def _quote(action: ActionView) -> str:
    texts = [field.value for field in action.card if field.multiline]
    if not texts:
        return ""
    body = "\n".join(texts)
    if len(body) > _BODY_CHARS:
        body = body[:_BODY_CHARS].rstrip() + "…"
    return "\n".join("> " + line for line in escape(body).splitlines()) or "> "


def _item_text(number: int, action: ActionView, included: bool) -> str:
    label = escape(action.label or action.tool)
    if action.status != "pending":
        said = escape(action.outcome or action.status)
        head = f"{ICONS.get(action.status, '')} *{number}. {label}* — {said}"
    elif included:
        head = f":ballot_box_with_check: *{number}. {label}*"
    else:
        head = f":white_large_square: ~*{number}. {label}*~ _left out_"
    lines = [head, _fields_line(action), _quote(action)]
    return "\n".join(line for line in lines if line)[:MAX_CHUNK]


def _option(text: str, verb: str, action_id: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": f"{verb}:{action_id}"}


def _menu(action: ActionView, included: bool) -> dict[str, Any]:
    options = [
        _option("Leave out", "out", action.id)
        if included
        else _option("Put back in", "in", action.id),
        _option("Approve only this", "approve", action.id),
        _option("Cancel only this", "cancel", action.id),
    ]
    if action.editable:
        options.insert(1, _option("Edit, then send…", "edit", action.id))
    return {"type": "overflow", "action_id": ITEM_ACTION, "options": options}


def blocks(
    batch_id: str,
    actions: Sequence[ActionView],
    requester: str,
    left_out: set[str],
    decider: str | None = None,
) -> list[Block]:
    """The batch as it stands: pending items with their menus and the batch's buttons;
    decided items with how they ended."""
    pending = [a for a in actions if a.status == "pending"]
    ticked = [a for a in pending if a.id not in left_out]
    if pending:
        head = f"*{len(actions)} actions wait for your approval.* Use an item's menu to "
        head += "leave it out, edit it, or decide it alone."
    else:
        head = f"*{len(actions)} actions, all decided.*"
    out: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": head}}]
    for number, action in enumerate(actions, 1):
        included = action.id not in left_out
        section: Block = {
            "type": "section",
            "block_id": item_block_id(action.id, included),
            "text": {"type": "mrkdwn", "text": _item_text(number, action, included)},
        }
        if action.status == "pending":
            section["accessory"] = _menu(action, included)
        out.append(section)
    who = f"Decided by <@{decider}>." if decider and not pending else ""
    footer = who or f"Only <@{requester}> can decide these."
    out.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    if pending:
        buttons: list[Block] = []
        if ticked:
            buttons.append(_button(f"Approve all ({len(ticked)})", APPROVE_ALL, batch_id))
            buttons[-1]["style"] = "primary"
        buttons.append(_button("Cancel all", CANCEL_ALL, batch_id))
        buttons[-1]["style"] = "danger"
        out.append({"type": "actions", "block_id": f"batch:{batch_id}", "elements": buttons})
    return out


def _button(text: str, action_id: str, value: str) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }


def text(actions: Sequence[ActionView]) -> str:
    waiting = sum(1 for a in actions if a.status == "pending")
    return f"Approval needed: {waiting} of {len(actions)} actions wait for your decision"


def in_order(actions: Sequence[ActionView], order: Sequence[str]) -> list[ActionView]:
    """The batch in the order its message shows it; any other in the order proposed."""
    rank = {action_id: i for i, action_id in enumerate(order)}
    return sorted(actions, key=lambda a: (rank.get(a.id, len(rank)), a.created_at))


async def read(
    runtime: Runtime, batch_id: str, order: Sequence[str] = ()
) -> tuple[list[ActionView], str | None]:
    """The batch's actions as the service has them now (one whose time ran out is closed
    on the way, as any listing does), and the id of the person who asked for them."""
    gate = runtime.coworker.gate
    records = list(reversed(await runtime.store.list_actions(batch_id=batch_id)))
    views = [gate.view(await gate.expire_if_due(record) or record) for record in records]
    return in_order(views, order), (records[0].user_id if records else None)


async def show(
    runtime: Runtime,
    client: AsyncWebClient,
    where: dict[str, str],
    batch_id: str,
    *,
    decider: str | None,
    slack_id_of: Callable[[UserRecord], str],
) -> None:
    """The batch message redrawn from the service's state, at `where`."""
    actions, owner_id = await read(runtime, batch_id, ids(where, "items"))
    owner = await runtime.store.get_user(owner_id) if owner_id else None
    if not actions or owner is None:
        return
    left_out = set(ids(where, "left_out"))
    await client.chat_update(
        channel=where["channel"],
        ts=where["message_ts"],
        text=text(actions),
        blocks=blocks(batch_id, actions, slack_id_of(owner), left_out, decider),
    )


async def post(client: AsyncWebClient, thread: Thread, actions: Sequence[ActionView]) -> None:
    """A batch's one message in the thread, every item included."""
    batch_id = actions[0].batch_id or ""
    await client.chat_postMessage(
        channel=thread.channel,
        thread_ts=thread.thread_ts,
        text=text(actions),
        blocks=blocks(batch_id, actions, thread.requester, set()),
    )


async def after_decision(events: AsyncIterator[Event]) -> AsyncIterator[Event] | None:
    """What follows one item's decision: the model's turn going on (once the last item of
    the turn is decided), or None while others still wait, its run closed either way so
    the conversation is free for the next item."""
    try:
        following = await anext(events)
    except StopAsyncIteration:
        return None
    if isinstance(following, TurnDone) and following.stop_reason == "confirmation":
        await _close(events)
        return None

    async def going_on() -> AsyncIterator[Event]:
        yield following
        async for event in events:
            yield event

    return going_on()


async def _close(events: AsyncIterator[Event]) -> None:
    closing = getattr(events, "aclose", None)
    if closing is not None:
        await closing()
