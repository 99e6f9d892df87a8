"""Record a run's Anthropic HTTP exchanges, and replay them later with no network.

`Recorder` is an `httpx2` transport (the `anthropic` SDK's HTTP stack) that passes each
request on and keeps the exchange; `Player` answers from the kept exchanges instead. Both
are given to the SDK through `http_client`, one per trial, so concurrent trials each keep
their own tape, keyed `case-id#trial`.

What is kept: the request's method, path, headers without credentials (`x-api-key`,
`authorization`, `proxy-authorization`, `cookie` are dropped before anything is stored),
and body (the tool definitions shortened to their names); the response's status,
content type and body. The moment each trial started is kept too: a replay seeds its
sandbox and sets the coworker's clock to that moment, so "tomorrow" means the same day.

Replay is by order within a trial (the n-th request gets the n-th response). Records the
recorded run created have new random ids in the replayed CRM; the player learns the
pairs by lining up the recorded request with the live one (same shape, different ids) and
rewrites the recorded answer, so "create a task, then complete it" replays exactly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx2

from coworker.errors import EvalError

VERSION = 1
SECRET_HEADERS = frozenset({"x-api-key", "authorization", "proxy-authorization", "cookie"})
KEPT_RESPONSE_HEADERS = ("content-type", "request-id")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Tape:
    """One trial's exchanges, in order, and the moment the trial started."""

    now: str
    exchanges: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Cassette:
    model: str
    tapes: dict[str, Tape] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Cassette:
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError as error:
            raise EvalError(f"no cassette at {path}", path=str(path)) from error
        except (OSError, ValueError) as error:
            raise EvalError(f"{path}: not a readable cassette ({error})", path=str(path)) from error
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise EvalError(f"{path}: not a version {VERSION} cassette", path=str(path))
        tapes = {key: Tape(t["now"], list(t["exchanges"])) for key, t in data["trials"].items()}
        return cls(str(data["model"]), tapes)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": VERSION,
            "model": self.model,
            "trials": {
                key: {"now": tape.now, "exchanges": tape.exchanges}
                for key, tape in sorted(self.tapes.items())
            },
        }
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")

    def start(self, key: str, now: datetime) -> Tape:
        tape = self.tapes[key] = Tape(now.isoformat())
        return tape

    def now(self, key: str) -> datetime:
        return datetime.fromisoformat(self.tapes[key].now)


def _request_body(raw: bytes) -> Any:
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", "replace")
    if isinstance(body, dict) and isinstance(body.get("tools"), list):
        body = {**body, "tools": [t.get("name") for t in body["tools"] if isinstance(t, dict)]}
    return body


class Recorder(httpx2.AsyncBaseTransport):
    """Passes requests on to the real API and keeps each exchange on the trial's tape."""

    def __init__(self, tape: Tape, inner: httpx2.AsyncBaseTransport | None = None) -> None:
        self.tape = tape
        self.inner = inner or httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        raw = await request.aread()
        response = await self.inner.handle_async_request(request)
        content = await response.aread()  # decoded: the copy below carries no content-encoding
        headers = {k: v for k, v in response.headers.items() if k in KEPT_RESPONSE_HEADERS}
        self.tape.exchanges.append(
            {
                "request": {
                    "method": request.method,
                    "path": request.url.path,
                    "headers": {
                        k: v for k, v in request.headers.items() if k.lower() not in SECRET_HEADERS
                    },
                    "body": _request_body(raw),
                },
                "response": {
                    "status": response.status_code,
                    "headers": headers,
                    "body": content.decode("utf-8", "replace"),
                },
            }
        )
        await response.aclose()
        return httpx2.Response(
            response.status_code, headers=headers, content=content, request=request
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


class Player(httpx2.AsyncBaseTransport):
    """Answers each request with the next exchange on the tape; never opens a socket."""

    def __init__(self, tape: Tape, key: str) -> None:
        self.tape = tape
        self.key = key
        self.position = 0
        self.ids: dict[str, str] = {}  # recorded id -> the id the replayed CRM gave it

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self.position >= len(self.tape.exchanges):
            message = (
                f"the cassette has no request #{self.position + 1} for {self.key}: the replay "
                "went further than the recording"
            )
            body = {"type": "error", "error": {"type": "invalid_request_error", "message": message}}
            return httpx2.Response(
                400, json=body, headers={"x-should-retry": "false"}, request=request
            )
        exchange = self.tape.exchanges[self.position]
        self.position += 1
        live = _request_body(await request.aread())
        learn_ids(exchange["request"].get("body"), live, self.ids)
        answer = exchange["response"]
        text = str(answer["body"])
        if "text/event-stream" in answer["headers"].get("content-type", ""):
            text = coalesce_sse(text)
        for recorded, replayed in self.ids.items():
            text = text.replace(recorded, replayed)
        return httpx2.Response(
            int(answer["status"]),
            headers=dict(answer["headers"]),
            content=text.encode("utf-8"),
            request=request,
        )


def learn_ids(recorded: Any, live: Any, ids: dict[str, str]) -> None:
    """Pair the ids of a recorded request with those of the same request replayed."""
    if isinstance(recorded, str) and isinstance(live, str):
        if recorded != live:
            old, new = UUID.findall(recorded), UUID.findall(live)
            if len(old) == len(new):
                for a, b in zip(old, new, strict=True):
                    if a != b:
                        ids.setdefault(a, b)
    elif isinstance(recorded, dict) and isinstance(live, dict):
        for key in recorded.keys() & live.keys():
            learn_ids(recorded[key], live[key], ids)
    elif isinstance(recorded, list) and isinstance(live, list):
        for a, b in zip(recorded, live, strict=False):
            learn_ids(a, b, ids)


def coalesce_sse(text: str) -> str:
    """Merge consecutive deltas of one content block into one event.

    A streamed tool input arrives as JSON fragments, and an id may be split across two;
    merged, each id is whole again and can be rewritten. The SDK joins fragments anyway.
    """
    events: list[dict[str, Any]] = []
    for chunk in text.split("\n\n"):
        lines = chunk.splitlines()
        data = next((line[5:].strip() for line in lines if line.startswith("data:")), None)
        if data is None:
            continue
        try:
            event = json.loads(data)
        except ValueError:
            return text  # not the Messages API's stream: leave it exactly as recorded
        last = events[-1] if events else None
        if (
            last is not None
            and event.get("type") == last.get("type") == "content_block_delta"
            and event.get("index") == last.get("index")
            and event["delta"].get("type") == last["delta"].get("type")
        ):
            delta, kind = last["delta"], event["delta"]["type"]
            piece = "partial_json" if kind == "input_json_delta" else "text"
            if piece in delta and piece in event["delta"]:
                delta[piece] += event["delta"][piece]
                continue
        events.append(event)
    return "".join(f"event: {e.get('type')}\ndata: {json.dumps(e)}\n\n" for e in events)
