"""A local mock of the Slack Web API: records every call, answers `ok: true` with ts values."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

BOT_USER = "UBOT"
TEAM = "T0TEAM"


class MockSlack:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self.app = FastAPI()
        self.app.post("/api/{method}")(self._handle)
        self.app.get("/api/{method}")(self._handle)

    async def _handle(self, method: str, request: Request) -> JSONResponse:
        raw = await request.body()
        if request.headers.get("content-type", "").startswith("application/json"):
            args: dict[str, Any] = json.loads(raw or b"{}")
        else:
            args = dict(parse_qsl(raw.decode()))
            args.update(request.query_params)
            for name in ("blocks", "view"):
                if isinstance(args.get(name), str):
                    args[name] = json.loads(args[name])
        with self._lock:
            self.calls.append((method, args))
        return JSONResponse(self._answer(method, args))

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "B0BOT", "team_id": TEAM}
        if method in ("chat.postMessage", "chat.update"):
            ts = args.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": args}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        if method in ("views.open", "views.publish"):
            return {"ok": True, "view": {"id": "V1", **(args.get("view") or {})}}
        if method == "users.info":
            return {"ok": True, "user": {"id": args.get("user"), "tz": "America/New_York"}}
        return {"ok": True}

    def of(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [args for name, args in self.calls if name == method]

    def wait_for(
        self, check: Callable[[MockSlack], Any], timeout: float = 10.0, what: str = ""
    ) -> Any:
        """Poll the recorded calls until `check` returns something truthy (bounded)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = check(self)
            if result:
                return result
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {what or check}; calls: {self.calls}")
