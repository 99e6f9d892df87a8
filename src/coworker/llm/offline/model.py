"""`OfflineModel`: the deterministic interpreter behind the `Model` seam.

It answers in the same content-block form as Claude (text, and `tool_use` blocks chosen from
the catalog), so everything goes through the same loop, confirmation gate, tools and
transcript. It never calls the CRM itself; it reads tool results like a model does. It is
deterministic (no randomness; the only clock is the date in the system prompt, or `now` in
tests) and stateless (each turn is recomputed from the transcript).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime

from coworker.llm.base import (
    Model,
    ModelEvent,
    ModelRequest,
    ModelTurn,
    TextDelta,
    Usage,
    is_text,
)
from coworker.llm.offline.interpreter import interpret

log = logging.getLogger("coworker.llm.offline")

FALLBACK = (
    "Sorry — I couldn't work that out in offline mode. Try rephrasing it as a short request, "
    "like “show my tasks due today” or “find Jane Smith”, or say “help”."
)


class OfflineModel(Model):
    name = "offline"

    def __init__(self, *, now: datetime | None = None) -> None:
        """`now` overrides the clock read from the system prompt (tests)."""
        self.now = now

    def turn(self, request: ModelRequest) -> ModelTurn:
        """The whole turn, synchronously; never raises for any request content."""
        try:
            content, stop_reason = interpret(request, self.now)
        except Exception:  # noqa: BLE001 - the person gets an answer, the log gets the bug
            log.exception("offline interpreter failed")
            content, stop_reason = [{"type": "text", "text": FALLBACK}], "end_turn"
        return ModelTurn(content=content, stop_reason=stop_reason, usage=Usage(), model=self.name)

    async def stream(self, request: ModelRequest) -> AsyncIterator[ModelEvent]:
        turn = self.turn(request)
        for block in turn.content:
            if is_text(block) and block.get("text"):
                yield TextDelta(str(block["text"]))
        yield turn
