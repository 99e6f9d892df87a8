"""A local mock of the Slack Web API: records every call, answers `ok: true` with ts values."""

from __future__ import annotations

import itertools
import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

BOT_USER = "UBOT"
TEAM = "T0TEAM"


AI_METHODS = (
    "assistant.threads.setStatus",
    "chat.startStream",
    "chat.appendStream",
    "chat.stopStream",
)


class MockSlack:
    """`ai_features = False` plays a workspace (or app) without the AI-app methods: they are
    refused with `missing_scope`. `break_stream_after = n` fails every appendStream after
    the n-th, as a stream that breaks mid-way."""

    def __init__(self) -> None:
        self.ai_features = True
        self.break_stream_after: int | None = None
        self.failing: dict[str, str] = {}  # method -> the error Slack answers it with
        self.socket_url = ""  # what apps.connections.open hands out (MockSocketMode)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self.app = FastAPI()
        self.app.post("/api/{method}")(self._handle)
        self.app.get("/api/{method}")(self._handle)
        self.app.get("/_counts")(self.counts)

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
        answer = self._answer(method, args)
        if method == "chat.startStream" and answer["ok"]:
            args["_answered_ts"] = answer["ts"]
        with self._lock:
            self.calls.append((method, args))
        return JSONResponse(answer)

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method in self.failing:
            return {"ok": False, "error": self.failing[method]}
        if method in AI_METHODS and not self.ai_features:
            return {"ok": False, "error": "missing_scope", "needed": "assistant:write"}
        if method == "chat.appendStream" and self.break_stream_after is not None:
            if len(self.of("chat.appendStream")) >= self.break_stream_after:
                return {"ok": False, "error": "message_not_in_streaming_state"}
        if method == "chat.startStream":
            return {"ok": True, "channel": args.get("channel"), "ts": self._next_ts()}
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "B0BOT", "team_id": TEAM}
        if method in ("chat.postMessage", "chat.update"):
            ts = args.get("ts") or self._next_ts()
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": args}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method in ("views.open", "views.publish"):
            return {"ok": True, "view": {"id": "V1", **(args.get("view") or {})}}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "")).lstrip("U")}}
        if method == "users.info":
            return {"ok": True, "user": {"id": args.get("user"), "tz": "America/New_York"}}
        return {"ok": True}

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def streams(self) -> dict[str, str]:
        """Each streamed message's whole text, by its ts, as Slack would show it."""
        texts: dict[str, str] = {}
        with self._lock:
            calls = list(self.calls)
        for name, args in calls:
            if name == "chat.startStream" and "_answered_ts" in args:
                texts[args["_answered_ts"]] = str(args.get("markdown_text") or "")
            elif name in ("chat.appendStream", "chat.stopStream") and args.get("ts") in texts:
                texts[args["ts"]] += str(args.get("markdown_text") or "")
        return texts

    def counts(self) -> dict[str, int]:
        """Calls per method (served at /_counts, for a mock in another process)."""
        with self._lock:
            return dict(Counter(name for name, _ in self.calls))

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


if __name__ == "__main__":  # `python -m tests.channels.slack.mock_slack PORT` (benchmarks)
    import uvicorn

    uvicorn.run(MockSlack().app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
