"""A local mock of the Slack Web API: records every call, answers `ok: true` with ts values.

The agent methods are checked against the shapes Slack documents (`slack_shapes`): a call
Slack would refuse is refused here too, with Slack's error. Streams keep the state Slack
keeps: the mode each started in (text or chunks), and whether it still streams (Slack
ends a stream after about five minutes, or when a person presses Stop).
"""

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

from tests.channels.slack.slack_shapes import problem

BOT_USER = "UBOT"
TEAM = "T0TEAM"


AI_METHODS = (
    "agents.sessions.setStatus",
    "agents.sessions.rename",
    "assistant.threads.setStatus",
    "assistant.threads.setSuggestedPrompts",
    "chat.startStream",
    "chat.appendStream",
    "chat.stopStream",
)
AGENT_METHODS = ("agents.sessions.setStatus", "agents.sessions.rename")
STREAM_OVER = "message_not_in_streaming_state"


class MockSlack:
    """`ai_features = False` plays a workspace (or app) without the AI-app methods: they are
    refused with `missing_scope`. `agent_view = True` plays an app on the agent messaging
    experience; without it (an app still on `assistant_view`, the default here, as every
    app installed before the migration) the agent session methods are refused with
    `feature_not_enabled`. `break_stream_after = n` ends each stream after its n-th append,
    as Slack ends a stream after about five minutes: later appends and its stop answer
    `message_not_in_streaming_state`."""

    def __init__(self) -> None:
        self.ai_features = True
        self.agent_view = False
        self.break_stream_after: int | None = None
        self.stream_modes: dict[str, str] = {}  # ts -> "text" | "chunks"
        self.stream_appends: dict[str, int] = {}
        self.stream_thread: dict[str, tuple[str, str]] = {}
        self.ended: set[str] = set()
        self.refused_blocks: set[str] = set()  # block types this app may not post
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
        args["_ok"] = answer["ok"]  # what Slack refused shows nowhere (streams(), tasks())
        if method in ("chat.startStream", "chat.postMessage") and answer["ok"]:
            args["_answered_ts"] = answer["ts"]
        with self._lock:
            self.calls.append((method, args))
        return JSONResponse(answer)

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method in self.failing:
            return {"ok": False, "error": self.failing[method]}
        if method in AI_METHODS and not self.ai_features:
            return {"ok": False, "error": "missing_scope", "needed": "assistant:write"}
        if method in AGENT_METHODS and not self.agent_view:
            return {"ok": False, "error": "feature_not_enabled"}
        if why := problem(method, args):
            return {"ok": False, "error": "invalid_arguments", "detail": why}
        if {b.get("type") for b in args.get("blocks") or []} & self.refused_blocks:
            return {"ok": False, "error": "invalid_blocks"}
        if method.startswith("chat.") and method.endswith("Stream"):
            return self._stream(method, args)
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

    def _stream(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if "markdown_text" in args and "chunks" in args:
            return {"ok": False, "error": "cannot_provide_both_markdown_text_and_chunks"}
        mode = "chunks" if "chunks" in args else "text" if "markdown_text" in args else None
        with self._lock:
            if method == "chat.startStream":
                ts = self._next_ts()
                self.stream_modes[ts] = mode or "text"
                self.stream_appends[ts] = 0
                self.stream_thread[ts] = (str(args["channel"]), str(args["thread_ts"]))
                return {"ok": True, "channel": args.get("channel"), "ts": ts}
            ts = str(args["ts"])
            if ts not in self.stream_modes:
                return {"ok": False, "error": "message_not_found"}
            if ts in self.ended:
                return {"ok": False, "error": STREAM_OVER}
            if mode is not None and mode != self.stream_modes[ts]:
                return {"ok": False, "error": "streaming_mode_mismatch"}
            if method == "chat.appendStream":
                if mode is None:
                    return {"ok": False, "error": "invalid_arguments", "detail": "no content"}
                if self.break_stream_after is not None:
                    if self.stream_appends[ts] >= self.break_stream_after:
                        self.ended.add(ts)
                        return {"ok": False, "error": STREAM_OVER}
                self.stream_appends[ts] += 1
            else:
                self.ended.add(ts)
            return {"ok": True, "channel": args.get("channel"), "ts": ts}

    def press_stop(self, channel: str, thread_ts: str) -> list[str]:
        """What Slack does when a person presses Stop: the thread's streams end. Returns
        their ts (the event's `streaming_message_ts`)."""
        with self._lock:
            stopped = [
                ts
                for ts, where in self.stream_thread.items()
                if where == (channel, thread_ts) and ts not in self.ended
            ]
            self.ended.update(stopped)
        return stopped

    def tasks(self) -> dict[str, dict[str, Any]]:
        """Each task card as it stands last, by its id, across the streams."""
        cards: dict[str, dict[str, Any]] = {}
        for name, args in list(self.calls):
            if name.startswith("chat.") and name.endswith("Stream") and args.get("_ok"):
                for chunk in args.get("chunks") or []:
                    if chunk.get("type") == "task_update":
                        cards[chunk["id"]] = {**cards.get(chunk["id"], {}), **chunk}
        return cards

    def plan_titles(self) -> list[str]:
        return [
            str(chunk["title"])
            for name, args in list(self.calls)
            if name.startswith("chat.") and name.endswith("Stream") and args.get("_ok")
            for chunk in args.get("chunks") or []
            if chunk.get("type") == "plan_update"
        ]

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def streams(self) -> dict[str, str]:
        """Each streamed message's whole text, by its ts, as Slack would show it."""
        texts: dict[str, str] = {}
        with self._lock:
            calls = list(self.calls)
        for name, args in calls:
            if not args.get("_ok"):
                continue
            text = str(args.get("markdown_text") or "") + "".join(
                str(c.get("text") or "")
                for c in args.get("chunks") or []
                if c.get("type") == "markdown_text"
            )
            if name == "chat.startStream" and "_answered_ts" in args:
                texts[args["_answered_ts"]] = text
            elif name in ("chat.appendStream", "chat.stopStream") and args.get("ts") in texts:
                texts[args["ts"]] += text
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
