"""Real HTTP for tests: run an ASGI app under uvicorn on a free 127.0.0.1 port.

The server runs in a background thread with its own event loop, so both sync tests and
async tests (on pytest-asyncio's loop) can talk to it over a real socket:

    with run_asgi_server(app) as base_url:          # sync, or a module-scoped fixture
        ...
    async with serve_asgi(app) as base_url:         # inside an async test or fixture
        ...

The listening socket is bound before uvicorn starts (port 0), so there is no race for the
port, and the context only yields once the app's lifespan startup has finished.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import uvicorn

START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0


class ThreadedServer:
    """One uvicorn server in a daemon thread; `start()` blocks until it serves."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", **config: Any) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.port: int = self._socket.getsockname()[1]
        self.base_url = f"http://{host}:{self.port}"
        options: dict[str, Any] = {
            "log_level": "warning",
            "lifespan": "on",
            "timeout_graceful_shutdown": 5,
            **config,
        }
        self.server = uvicorn.Server(uvicorn.Config(app, host=host, port=self.port, **options))
        self._thread = threading.Thread(target=self._run, name=f"uvicorn-{self.port}", daemon=True)

    def _run(self) -> None:
        try:
            self.server.run(sockets=[self._socket])
        except SystemExit:  # uvicorn exits this way when the app's startup fails (logged)
            pass

    def start(self) -> str:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self.server.started:
            if not self._thread.is_alive():
                self._socket.close()
                raise RuntimeError(f"the test server on port {self.port} failed to start")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the test server on port {self.port} did not start in time")
            time.sleep(0.01)
        return self.base_url

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(STOP_TIMEOUT_SECONDS)
        if self._thread.is_alive():
            self.server.force_exit = True
            self._thread.join(STOP_TIMEOUT_SECONDS)
        self._socket.close()


@contextmanager
def run_asgi_server(app: Any, **config: Any) -> Iterator[str]:
    """Serve `app` over real HTTP; yields its base URL (`http://127.0.0.1:PORT`)."""
    server = ThreadedServer(app, **config)
    server.start()
    try:
        yield server.base_url
    finally:
        server.stop()


@asynccontextmanager
async def serve_asgi(app: Any, **config: Any) -> AsyncIterator[str]:
    """`run_asgi_server` for async code: starting and stopping do not block the loop."""
    server = ThreadedServer(app, **config)
    await asyncio.to_thread(server.start)
    try:
        yield server.base_url
    finally:
        await asyncio.to_thread(server.stop)
