"""A local Socket Mode endpoint: the WebSocket that `apps.connections.open` points the app at.

It greets the client with `hello`, sends the envelopes a test queues (as Slack would push
events), and records what the client sends back (acks carry the `envelope_id`). aiohttp
serves it, in a thread with its own loop, on a free loopback port.
"""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiohttp import WSMsgType, web


class MockSocketMode:
    def __init__(self) -> None:
        self.outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.received: list[dict[str, Any]] = []
        self.connections = 0
        self.url = ""

    def send(self, envelope: dict[str, Any]) -> None:
        self.outbox.put(envelope)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.connections += 1
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {}})

        async def push() -> None:
            while not ws.closed:
                try:
                    envelope = self.outbox.get_nowait()
                except queue.Empty:
                    await asyncio.sleep(0.02)
                    continue
                await ws.send_json(envelope)

        pusher = asyncio.create_task(push())
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self.received.append(json.loads(message.data))
        finally:
            pusher.cancel()
        return ws

    def acks(self, envelope_id: str) -> list[dict[str, Any]]:
        return [m for m in self.received if m.get("envelope_id") == envelope_id]

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if acks := self.acks(envelope_id):
                return acks[0]
            time.sleep(0.02)
        raise AssertionError(f"no ack for {envelope_id}; received {self.received}")

    @contextmanager
    def run(self) -> Iterator[str]:
        """Serve on a free port; yields the ws:// URL to hand out."""
        loop = asyncio.new_event_loop()
        started = threading.Event()
        runner: web.AppRunner | None = None

        async def start() -> None:
            nonlocal runner
            app = web.Application()
            app.router.add_get("/link", self._socket)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = runner.addresses[0][1]
            self.url = f"ws://127.0.0.1:{port}/link"
            started.set()

        thread = threading.Thread(target=loop.run_forever, name="mock-socket-mode", daemon=True)
        thread.start()
        asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
        started.wait(10)
        try:
            yield self.url
        finally:
            if runner is not None:
                asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
