"""A real app over real HTTP with a scripted model, and the JSON log lines it writes."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from coworker.llm.base import ModelTurn, Usage
from coworker.llm.scripted import ScriptedModel
from coworker.observability import logs
from coworker.sandbox.seed import demo_id
from tests.agent.conftest import settings_for
from tests.support.scripted_apps import scripted_servers

S = ScriptedModel
JANE = demo_id("lead", "northwind:jane-smith")


def with_usage(turn: ModelTurn, usage: Usage) -> ModelTurn:
    turn.usage = usage
    return turn


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., httpx.Client]]:
    """`serve(turns, **settings)`: the app on a free port; an HTTP client for it."""
    with scripted_servers(tmp_path) as start:
        yield start


class LogLines:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def with_message(self, message: str) -> list[dict[str, Any]]:
        return [r for r in self.records() if r["message"] == message]


@pytest.fixture
def json_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., LogLines]]:
    """`json_logs(**settings)`: the process's logs as JSON lines into a buffer, as `serve`
    would write them; logging is put back as it was afterwards."""
    root = logging.getLogger()
    level = root.level
    url_levels = {name: logging.getLogger(name).level for name in logs.URL_LOGGERS}
    monkeypatch.setattr(logs, "_content_default", logs._content_default)
    handlers: list[logging.Handler] = []

    def configure(**settings: Any) -> LogLines:
        stream = io.StringIO()
        values = {"log_format": "json", **settings}
        handler = logs.configure(settings_for(Path("."), **values), stream=stream, force=True)
        assert handler is not None
        handlers.append(handler)
        return LogLines(stream)

    yield configure
    for handler in handlers:
        root.removeHandler(handler)
    root.setLevel(level)
    for name, url_level in url_levels.items():
        logging.getLogger(name).setLevel(url_level)
