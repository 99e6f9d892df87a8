"""Schemathesis against the web API's own OpenAPI: no 5xx for any generated input."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import schemathesis
from schemathesis import GenerationMode

from coworker.llm.base import Model, ModelEvent, ModelRequest, ModelTurn, TextDelta
from coworker.server import create_app
from tests.agent.conftest import settings_for

EXAMPLES: Counter[str] = Counter()


class Plain(Model):
    """Answers every message with a line of text, so any input completes a turn."""

    name = "plain"

    async def stream(self, request: ModelRequest) -> AsyncIterator[ModelEvent]:
        yield TextDelta("Noted.")
        yield ModelTurn([{"type": "text", "text": "Noted."}], "end_turn")


_data = Path(tempfile.mkdtemp(prefix="coworker-schemathesis-"))
app = create_app(settings_for(_data, rate_limit_per_minute=100_000), model=Plain())
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=30,
    deterministic=True,
    database="none",
)
schema.config.checks.update(included_check_names=["not_a_server_error"])


@schema.parametrize()
def test_web_api_never_answers_5xx(case: schemathesis.Case) -> None:
    EXAMPLES[case.operation.label] += 1
    case.call_and_validate()


def test_zz_report() -> None:
    print(
        f"\nweb API schemathesis: {sum(EXAMPLES.values())} examples over {len(EXAMPLES)} operations"
    )
    assert len(EXAMPLES) >= 8
