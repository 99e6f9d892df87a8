"""Times pydantic-ai's model calls, for `agent_overhead` (imported only when it is installed).

A `WrapperModel` around pydantic-ai's `AnthropicModel` adds up the time from opening a
streamed response to closing it, its consumption by the agent included, which is where our
`TimedModel` and the raw loop's clock start and stop too.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from pydantic_ai.models import Model, ModelRequestParameters, StreamedResponse
from pydantic_ai.models.wrapper import WrapperModel
from pydantic_ai.settings import ModelSettings


class Clock(Protocol):
    seconds: float


class TimedPydanticModel(WrapperModel):
    def __init__(self, wrapped: Model, clock: Clock) -> None:
        super().__init__(wrapped)
        self.clock = clock

    @asynccontextmanager
    async def request_stream(
        self,
        messages: list[Any],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
        run_context: Any = None,
    ) -> AsyncIterator[StreamedResponse]:
        started = time.perf_counter()
        try:
            async with self.wrapped.request_stream(
                messages, model_settings, model_request_parameters, run_context
            ) as response:
                yield response
        finally:
            self.clock.seconds += time.perf_counter() - started
