"""The whole app on a free port with a scripted model: for tests that talk to it over HTTP
as a browser or a client library would (metrics, logs, feedback)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

from coworker.llm.scripted import ScriptedModel
from coworker.server import create_app
from tests.agent.conftest import settings_for
from tests.support.servers import run_asgi_server


@contextmanager
def scripted_servers(data_dir: Path) -> Iterator[Callable[..., httpx.Client]]:
    """`start(turns, **settings)`: an app scripted with `turns` and an HTTP client for it;
    every app started is stopped, and every client closed, on the way out."""
    with ExitStack() as stack:

        def start(turns: list[Any], **settings: Any) -> httpx.Client:
            settings.setdefault("scheduler_enabled", False)
            app = create_app(settings_for(data_dir, **settings), model=ScriptedModel(turns))
            url = stack.enter_context(run_asgi_server(app))
            return stack.enter_context(httpx.Client(base_url=url, timeout=30))

        yield start
