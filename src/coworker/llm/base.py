"""The `Model` seam: one streamed model turn from a request in Anthropic Messages form.

Requests, transcripts and replies all use Anthropic's shapes: a `Message` is a role and a
list of content blocks (`{"type": "text", "text": ...}`, `{"type": "tool_use", "id", "name",
"input"}`, `{"type": "tool_result", "tool_use_id", "content", "is_error"}`), so the stored
transcript can be replayed to any model and moved between them. The content is always a
list (the store turns a string into a text block), which every reader relies on.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict, TypeGuard

from anthropic.types import TextBlockParam, ToolResultBlockParam, ToolUseBlockParam

Block = TextBlockParam | ToolUseBlockParam | ToolResultBlockParam  # one content block
Role = Literal["user", "assistant"]


def is_text(block: Block) -> TypeGuard[TextBlockParam]:
    return block.get("type") == "text"


def is_tool_use(block: Block) -> TypeGuard[ToolUseBlockParam]:
    return block.get("type") == "tool_use"


def is_tool_result(block: Block) -> TypeGuard[ToolResultBlockParam]:
    return block.get("type") == "tool_result"


class Message(TypedDict):
    role: Role
    content: list[Block]


ToolDefinition = dict[str, Any]  # {"name", "description", "input_schema"}

STOP_REASONS = (
    "end_turn",
    "tool_use",
    "max_tokens",
    "stop_sequence",
    "pause_turn",
    "refusal",
    "model_context_window_exceeded",
)


@dataclass
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation_input_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_input_tokens + other.cache_read_input_tokens,
            self.cache_creation_input_tokens + other.cache_creation_input_tokens,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cache_read_input_tokens": self.cache_read_input_tokens,
            "cache_creation_input_tokens": self.cache_creation_input_tokens,
        }


@dataclass
class ModelRequest:
    system: str
    messages: list[Message]
    tools: list[ToolDefinition] = field(default_factory=list)
    max_tokens: int = 4096


@dataclass
class TextDelta:
    """A piece of the reply's text, as it streams."""

    text: str


@dataclass
class ModelTurn:
    """The model's whole turn; always the last item a `Model.stream` yields."""

    content: list[Block]
    stop_reason: str
    usage: Usage = field(default_factory=Usage)
    model: str = ""


ModelEvent = TextDelta | ModelTurn


class Model(ABC):
    """Streams one model turn. Implementations raise `ModelError` for failures they give up on."""

    name: str = "model"

    @abstractmethod
    def stream(self, request: ModelRequest) -> AsyncIterator[ModelEvent]:
        """Yield `TextDelta`s as text arrives, then exactly one `ModelTurn`."""

    async def complete(self, request: ModelRequest) -> ModelTurn:
        """The whole turn without streaming (summaries, evals)."""
        turn: ModelTurn | None = None
        async for event in self.stream(request):
            if isinstance(event, ModelTurn):
                turn = event
        if turn is None:
            raise RuntimeError(f"{self.name} ended its stream without a turn")
        return turn

    async def aclose(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Release connections; most models hold none."""
