"""An AI SDK chat request as service calls: which conversation its chat id is, and the run
its last message asks for (a message, or decisions on cards).

Decisions go through the same `approve` / `reject` as the action endpoints, with the same
owner checks, and each runs at most once: an approval sent again (a retried request, a
reloaded tab, a card decided meanwhile in Slack) finds the action decided and only shows
how it ended; the conditional claim in the gate settles two that race.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from coworker.agent.events import ActionDecided, Event, TurnDone
from coworker.agent.service import Coworker
from coworker.channels.web.uimessages import Approval, PersonSays, UIChatRequest
from coworker.errors import ActionNotFound, ActionNotPending
from coworker.store.records import UserRecord

# A chat id that is not a conversation's own names one keyed this way, then the caller's
# user id and the chat id (channel "web").
CHAT_KEY_PREFIX = "ai-sdk:"


@dataclass(frozen=True)
class SdkRun:
    conversation_id: str
    events: AsyncIterator[Event]
    message_id: str | None  # the assistant message the reply continues; None: a new one


async def conversation_of(coworker: Coworker, user: UserRecord, chat_id: str) -> str:
    """The conversation a chat id stands for, the caller's or ConversationNotFound (404).

    A conversation's own id (from /api/conversations or the stream's `data-conversation`)
    continues it, so any conversation can be reopened in an SDK client; any other id is the
    client's name for a new conversation, started for the caller the first time it is seen.
    A name is the caller's own (keyed with their user id): apps pick names like a lead's
    page or "main", and another person using the same one must neither lock them out nor
    learn that it is taken.
    """
    if await coworker.owner_of(chat_id) is None:
        key = f"{CHAT_KEY_PREFIX}{user.id}:{chat_id}"
        chat_id = await coworker.start_conversation(user, channel="web", external_key=key)
    await coworker.own_conversation(user, chat_id)
    return chat_id


async def start(coworker: Coworker, user: UserRecord, body: UIChatRequest) -> SdkRun:
    """Check everything a refusal can come from (the conversation, each approval's action)
    before the run starts, so refusals are HTTP statuses."""
    conversation_id = await conversation_of(coworker, user, body.id)
    turn = body.turn()
    if isinstance(turn, PersonSays):
        events = coworker.chat(user, turn.text, conversation_id=conversation_id)
        return SdkRun(conversation_id, events, None)
    for approval in turn.approvals:
        action = await coworker.get_action(user, approval.action_id)  # 404 if not theirs
        if action.conversation_id != conversation_id:
            raise ActionNotFound(approval.action_id)  # not a card of this chat
    events = _decisions(coworker, user, conversation_id, turn.approvals)
    return SdkRun(conversation_id, events, turn.message_id or None)


async def _decisions(
    coworker: Coworker, user: UserRecord, conversation_id: str, approvals: tuple[Approval, ...]
) -> AsyncIterator[Event]:
    """Every decision's events as one reply, ending once: the model goes on after the last
    card of a turn is decided (the service knows when), and the reply's end is that run's."""
    done: TurnDone | None = None
    for approval in approvals:
        async for event in _decide(coworker, user, approval):
            if isinstance(event, TurnDone):
                done = event
            else:
                yield event
    yield done or TurnDone(conversation_id, "", "confirmation")


async def _decide(coworker: Coworker, user: UserRecord, approval: Approval) -> AsyncIterator[Event]:
    action = await coworker.get_action(user, approval.action_id)
    if action.status == "pending":
        if approval.approved:
            run = coworker.approve(user, approval.action_id)
        else:
            run = coworker.reject(user, approval.action_id, approval.reason)
        try:
            first = await anext(run, None)
        except ActionNotPending:  # decided between the look and the claim: the other won
            pass
        else:
            if first is not None:
                yield first
            async for event in run:
                yield event
            return
    # Decided already: show how it ended (the client's part moves on), never decide again.
    yield ActionDecided(await coworker.get_action(user, approval.action_id))
