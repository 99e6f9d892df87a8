"""The conversation half of the Coworker service: finding, checking, showing and seeding
conversations, for every channel.

Channels never touch the store for anything conversation-shaped: they ask here to start or
continue a thread (and whether it is the caller's), to show a page of it, to seed a
summary's thread, to record an MCP call that waits, and to know whether an event was
handled already. Only the service writes transcripts, so "every tool_use has exactly one
tool_result" is kept in one place (`Transcript`, driven by the service).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from uuid import uuid4

from coworker.agent import gating, history, titles
from coworker.agent.confirmations import ConfirmationGate
from coworker.agent.events import ActionView
from coworker.agent.gating import Gated
from coworker.agent.transcript import Transcript
from coworker.errors import ConversationNotFound
from coworker.llm.base import Block, Message
from coworker.store import paging
from coworker.store.facade import Store
from coworker.store.records import ConversationRecord, UserRecord
from coworker.tools.executor import PreparedCall

OWNER_CACHE_SIZE = 10_000


class OwnerCache:
    """Who owns a conversation (it never changes), for the check on every message."""

    def __init__(self, size: int = OWNER_CACHE_SIZE) -> None:
        self.size = size
        self._owners: dict[str, str] = {}

    def get(self, conversation_id: str) -> str | None:
        return self._owners.get(conversation_id)

    def remember(self, conversation_id: str, owner: str) -> None:
        if len(self._owners) >= self.size:
            self._owners.pop(next(iter(self._owners)))
        self._owners[conversation_id] = owner


@dataclass(frozen=True, slots=True)
class ConversationView:
    """A page of a conversation as a person scrolls it, with the actions to show beside it:
    those of the calls on the page, and every one still waiting (it must stay reachable)."""

    page: history.HistoryPage
    actions: list[ActionView]


class Conversations(ABC):
    store: Store
    gate: ConfirmationGate
    _owners: OwnerCache

    def lock(self, conversation_id: str) -> AbstractAsyncContextManager[None]:
        """One turn at a time per conversation: a second message waits for the first, in
        this process or, on PostgreSQL, in any replica (`store.locks`)."""
        return self.store.locks.hold(conversation_id)

    async def start_conversation(
        self,
        user: UserRecord,
        *,
        channel: str,
        external_key: str | None = None,
        title: str | None = None,
    ) -> str:
        """Find the conversation a channel keys this way (a Slack thread), or start it; its
        owner is whoever started it (`own_conversation` checks later callers)."""
        record = await self.store.get_or_create_conversation(
            user.id, channel, external_key or str(uuid4()), title=title
        )
        self._owners.remember(record.id, record.user_id)
        return record.id

    async def page_conversations(
        self, user: UserRecord, *, limit: int, cursor: str | None = None
    ) -> paging.Page[ConversationRecord]:
        """A page of the person's conversations, most recently active first, each with a
        title to find it by (`agent/titles.py`)."""
        page = await self.store.page_conversations(user.id, limit=limit, cursor=cursor)
        named = await titles.fill_titles(self.store, page.items)
        return replace(page, items=named)

    async def owner_of(self, conversation_id: str) -> str | None:
        owner = self._owners.get(conversation_id)
        if owner is None:
            record = await self.store.get_conversation(conversation_id)
            owner = record.user_id if record else None
            if owner is not None:
                self._owners.remember(conversation_id, owner)
        return owner

    async def own_conversation(self, user: UserRecord, conversation_id: str) -> None:
        """Only its owner may use a conversation: ConversationNotFound for anyone else."""
        if await self.owner_of(conversation_id) != user.id:
            raise ConversationNotFound(conversation_id)

    async def mark_event_handled(self, event_id: str, source: str) -> bool:
        """True the first time an event (a Slack delivery, its twin) is seen, else False:
        retried webhooks and replicas answer each event once."""
        return await self.store.mark_event_processed(event_id, source)

    async def list_actions(
        self,
        user: UserRecord,
        *,
        status: str | None = None,
        conversation_id: str | None = None,
        batch_id: str | None = None,
    ) -> list[ActionView]:
        """The person's actions; pending ones whose time ran out are closed on the way."""
        records = await self.store.list_actions(
            user_id=user.id, conversation_id=conversation_id, status=status, batch_id=batch_id
        )
        views = []
        for record in records:
            expired = await self.gate.expire_if_due(record)
            if expired and status == "pending":
                continue
            views.append(self.gate.view(expired or record))
        return views

    async def show_conversation(
        self,
        user: UserRecord,
        conversation_id: str,
        *,
        limit: int = history.DEFAULT_PAGE,
        before: int | None = None,
    ) -> ConversationView:
        """A page of the person's conversation (agent/history.py), newest first."""
        await self.own_conversation(user, conversation_id)
        shown = await history.page(self.store, conversation_id, limit=limit, before=before)
        actions = await self.list_actions(user, conversation_id=conversation_id)
        calls = shown.tool_use_ids()
        return ConversationView(
            shown, [a for a in actions if a.tool_use_id in calls or a.status == "pending"]
        )

    async def seed_exchange(
        self, conversation_id: str, opening: str, reply: str, *, once: bool = True
    ) -> bool:
        """Add a day's summary as a user turn (`opening`) and the assistant's reply, so a
        reply from the person continues from it; False if `once` and it is there already.

        A card left waiting in the conversation stays pending: its call is answered
        "waiting", as when the person writes.
        """
        opening_block: Block = {"type": "text", "text": opening}
        reply_blocks: list[Block] = [{"type": "text", "text": reply}]
        async with self.lock(conversation_id):
            # Whole: "is today's summary here already?" asks of all of it, once a day.
            transcript = await Transcript.load(self.store, conversation_id, whole=once)
            if once and _delivered(transcript.messages, opening):
                return False  # a retry after another channel failed: this one has it
            await self.answer_open_calls(transcript)
            if transcript.messages and transcript.messages[-1]["role"] == "user":
                transcript.add_user_blocks([opening_block])
                transcript.add_assistant(reply_blocks)
                await transcript.save()
            else:
                await transcript.save()
                # Both turns in one transaction: a crash never leaves half a delivery.
                await self.store.append_messages(
                    conversation_id,
                    [
                        {"role": "user", "content": [opening_block]},
                        {"role": "assistant", "content": reply_blocks},
                    ],
                )
            return True

    @abstractmethod
    async def answer_open_calls(self, transcript: Transcript) -> list[ActionView]:
        """Give every tool call still open in `transcript` its result (waiting, or how its
        action ended) before anything is appended; the service implements it because it
        knows the tools and the gate's wording."""

    async def propose(self, user: UserRecord, call: PreparedCall, *, channel: str) -> Gated:
        """A call from a client's own model (MCP) that must wait: recorded as a conversation
        of its own (the request, then the tool call), so approving resumes it like any
        other, and gated by the loop's rules (`agent/gating.py`)."""
        name = call.tool.name
        conversation = await self.store.get_or_create_conversation(
            user.id, channel, uuid4().hex, title=f"{name} (from {channel.upper()})"
        )
        tool_use_id = f"toolu_{channel}_{uuid4().hex}"
        async with self.lock(conversation.id):
            transcript = await Transcript.load(self.store, conversation.id)
            request = (
                f"Through an {channel.upper()} client I asked you to run {name}; it waits "
                "for my approval. Tell me how it went once I decide."
            )
            transcript.add_user_blocks([{"type": "text", "text": request}])
            transcript.add_assistant(
                [{"type": "tool_use", "id": tool_use_id, "name": name, "input": call.arguments}]
            )
            await transcript.save()
            gated = await gating.request(
                self.gate,
                call,
                conversation_id=conversation.id,
                user_id=user.id,
                tool_use_id=tool_use_id,
            )
            if gated.outcome is not None:  # refused (the cap): the call still gets its result
                transcript.add_user_blocks([gated.outcome.block(tool_use_id)])
                await transcript.save()
            return gated


def _delivered(messages: list[Message], opening: str) -> bool:
    """Whether the day's summary is in the conversation already (its opening turn is)."""
    return any(
        message["role"] == "user"
        and isinstance(message["content"], list)
        and any(block.get("text") == opening for block in message["content"])
        for message in messages
    )
