"""Daily-summary test helpers: a runtime on the in-process sandbox and its summary service."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from coworker.runtime import Runtime, open_runtime
from coworker.store.facade import Store
from coworker.summary.deliver import SUMMARY_CHANNEL, summary_key
from coworker.summary.runs import SummaryService
from tests.agent.conftest import settings_for
from tests.support.store_queries import list_conversations

RuntimeFactory = Callable[..., Awaitable[Runtime]]


@pytest.fixture
async def make_runtime(tmp_path: Path) -> AsyncIterator[RuntimeFactory]:
    opened: list[Runtime] = []

    async def make(**settings: Any) -> Runtime:
        runtime = await open_runtime(settings_for(tmp_path, **settings))
        opened.append(runtime)
        return runtime

    yield make
    for runtime in opened:
        await runtime.aclose()


def service_of(runtime: Runtime, **options: Any) -> SummaryService:
    return SummaryService.from_runtime(runtime, **options)


async def summaries_delivered(store: Store, user_id: str) -> list[str]:
    """The summary texts in the person's "Daily summary" conversation, oldest first."""
    for record in await list_conversations(store, user_id):
        if record.channel == SUMMARY_CHANNEL and record.external_key == f"{user_id}:daily":
            messages = await store.load_messages(record.id)
            return [m["content"][0]["text"] for m in messages if m["role"] == "assistant"]
    return []


__all__ = ["make_runtime", "service_of", "summaries_delivered", "summary_key"]
