"""A model that plays back a script, for tests.

Each turn is a `ModelTurn`, or a callable that receives the request and returns one (so a
test can read the tool results it was sent before answering). Running past the end fails
the test: every model call a test causes must be planned.

    model = ScriptedModel([
        ScriptedModel.tool_calls(("search_leads", {"search": "acme"})),
        lambda request: ScriptedModel.text(f"saw {len(request.messages)} messages"),
    ])
"""

from __future__ import annotations

import copy
import itertools
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

from coworker.llm.base import (
    Block,
    Model,
    ModelEvent,
    ModelRequest,
    ModelTurn,
    TextDelta,
    is_text,
)

ScriptStep = ModelTurn | Callable[[ModelRequest], ModelTurn]

_tool_use_ids = itertools.count(1)


class ScriptedModel(Model):
    name = "scripted"

    def __init__(self, turns: Iterable[ScriptStep]) -> None:
        self._script: deque[ScriptStep] = deque(turns)
        self.requests: list[ModelRequest] = []

    @property
    def remaining(self) -> int:
        """Turns not played yet (assert it is 0 to prove the whole script ran)."""
        return len(self._script)

    async def stream(self, request: ModelRequest) -> AsyncIterator[ModelEvent]:
        seen = copy.deepcopy(request)
        self.requests.append(seen)
        if not self._script:
            raise AssertionError("ScriptedModel ran out of turns")
        step = self._script.popleft()
        turn = copy.deepcopy(step if isinstance(step, ModelTurn) else step(copy.deepcopy(seen)))
        for block in turn.content:
            if is_text(block):
                for chunk in _chunks(block["text"]):
                    yield TextDelta(chunk)
        yield turn

    @staticmethod
    def text(text: str) -> ModelTurn:
        """A final answer: one text block, `end_turn`."""
        return ModelTurn(
            content=[{"type": "text", "text": text}], stop_reason="end_turn", model="scripted"
        )

    @staticmethod
    def tool_calls(*calls: tuple[str, dict[str, Any]], text: str | None = None) -> ModelTurn:
        """A turn that calls tools (`tool_use`), optionally after some text.

        Ids are `toolu_<n>`, unique across every script in the process.
        """
        content: list[Block] = [{"type": "text", "text": text}] if text else []
        for name, arguments in calls:
            content.append(
                {
                    "type": "tool_use",
                    "id": f"toolu_{next(_tool_use_ids)}",
                    "name": name,
                    "input": copy.deepcopy(arguments),
                }
            )
        return ModelTurn(content=content, stop_reason="tool_use", model="scripted")


def _chunks(text: str, parts: int = 3) -> list[str]:
    """`text` in up to `parts` pieces, so consumers see a real stream of deltas."""
    size = max(1, -(-len(text) // parts))
    return [text[i : i + size] for i in range(0, len(text), size)]
