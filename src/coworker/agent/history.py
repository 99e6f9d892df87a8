"""A conversation as a person scrolls it: the latest page first, older ones on request.

A conversation can grow to thousands of messages; showing it must not read them all (at
20,000 messages the whole transcript was 2.9 MB and a quarter of a second per request).
A page is the newest `limit` messages before a cursor, `before`: the `seq` of the oldest
message of the page shown already; `next_before` says where the next (older) page starts,
None when there is none.

A page never begins with the tool results of a call it does not show: if its oldest
message is a user message holding results, the assistant message with their calls comes
along (one message over `limit`), so a call and its outcome are always shown together,
and every cursor falls on such a boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

from coworker.agent.transcript import MessageStore
from coworker.llm.base import Message, is_tool_use

DEFAULT_PAGE = 50


@dataclass(frozen=True, slots=True)
class HistoryPage:
    messages: list[Message]  # in order
    next_before: int | None  # pass as `before` for the page before this one; None: no more

    def tool_use_ids(self) -> set[str]:
        """The calls this page shows (for the actions to show beside them)."""
        return {
            block["id"]
            for message in self.messages
            for block in message["content"]
            if is_tool_use(block)
        }


def _holds_results(message: Message) -> bool:
    return message["role"] == "user" and any(
        block.get("type") == "tool_result" for block in message["content"]
    )


async def page(
    store: MessageStore,
    conversation_id: str,
    *,
    limit: int = DEFAULT_PAGE,
    before: int | None = None,
) -> HistoryPage:
    """The newest `limit` messages before seq `before` (the very newest if None): one read
    of at most `limit + 2` rows, whatever the conversation's length."""
    rows = await store.load_latest_messages(conversation_id, limit + 2, before=before)
    shown = rows[-limit:]
    if len(rows) > limit and _holds_results(shown[0].as_message()):
        shown = rows[-(limit + 1) :]  # bring the calls those results answer
    more = len(rows) > len(shown)
    return HistoryPage([row.as_message() for row in shown], shown[0].seq if more else None)
