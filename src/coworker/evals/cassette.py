"""Record a run's Anthropic HTTP exchanges, and replay them later with no network.

`Recorder` is an `httpx2` transport (the `anthropic` SDK's HTTP stack) that passes each
request on and keeps the exchange; `Player` answers from the kept exchanges instead. Both
are given to the SDK through `http_client`, one per trial, so concurrent trials each keep
their own tape, keyed `case-id#trial`.

What is kept: the request's method, path, the few headers on an allow-list
(`KEPT_REQUEST_HEADERS`: no credential of any gateway can be stored, whatever its header is
called) and body (the tool definitions shortened to their names); the response's status,
content type, request id and body, or the kind of transport error (timeout, connection
refused) when there was no response. The moment each trial started is kept too: a replay
seeds its sandbox and sets the coworker's clock to that moment, so "tomorrow" means the
same day.

The recorder sits below the SDK's retries, so a rate-limited or failed attempt that the SDK
retried is on the tape too, followed by its repeat. The player skips those (an attempt
that failed and whose next exchange repeats the same request) and serves what the SDK
finally got; a failure the SDK gave up on is served as it was, so the replay ends the same
way with no retries of its own.

Replay is by order within a trial (the n-th request gets the n-th response). Records the
recorded run created have new random ids in the replayed CRM; the player learns the
pairs by lining up the recorded request with the live one (same shape, different random,
version-4 ids) and rewrites the recorded answer, so "create a task, then complete it"
replays exactly. Anything else that differs (a case's words, the system prompt, a tool
result, the tools offered) means the recording does not fit what is replayed: the player
answers that request with an error naming the trial, and `divergences` lists it so the run
fails loudly. Clock readings are not compared: timestamps, and the system prompt's time of
day, legitimately move.
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
# Only these request headers are stored; everything else (x-api-key, authorization, any
# gateway's own key header, cookies, ...) never reaches the tape.
KEPT_REQUEST_HEADERS = frozenset(
    {"accept", "content-type", "anthropic-version", "anthropic-beta", "x-stainless-retry-count"}
)
KEPT_RESPONSE_HEADERS = ("content-type", "request-id")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# The ids the CRM gives new records (uuid4); seeded and injected records have stable uuid5s.
RANDOM_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}\b")


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
        exchange: dict[str, Any] = {
            "request": {
                "method": request.method,
                "path": request.url.path,
                "headers": {
                    k: v for k, v in request.headers.items() if k.lower() in KEPT_REQUEST_HEADERS
                },
                "body": _request_body(raw),
            }
        }
        try:
            response = await self.inner.handle_async_request(request)
            try:
                content = await response.aread()  # decoded: the copy has no content-encoding
            finally:
                await response.aclose()
        except httpx2.TransportError as error:
            # No response (or half of one): the SDK treats it as a connection failure. Only
            # the kind is kept; its text may hold the gateway's address.
            exchange["error"] = {"type": type(error).__name__}
            self.tape.exchanges.append(exchange)
            raise
        headers = {k: v for k, v in response.headers.items() if k in KEPT_RESPONSE_HEADERS}
        exchange["response"] = {
            "status": response.status_code,
            "headers": headers,
            "body": content.decode("utf-8", "replace"),
        }
        self.tape.exchanges.append(exchange)
        return httpx2.Response(
            response.status_code, headers=headers, content=content, request=request
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


def _failed(exchange: dict[str, Any]) -> bool:
    return "error" in exchange or int(exchange["response"]["status"]) >= 400


def _attempt(exchange: dict[str, Any]) -> int | None:
    value = exchange["request"].get("headers", {}).get("x-stainless-retry-count")
    return int(value) if isinstance(value, str) and value.isdigit() else None


def retried(exchanges: list[dict[str, Any]], index: int) -> bool:
    """Did the SDK retry this attempt? It failed, and the next exchange repeats its request
    (and, when the attempt numbers were kept, is a later attempt)."""
    if index + 1 >= len(exchanges) or not _failed(exchanges[index]):
        return False
    this, then = exchanges[index], exchanges[index + 1]
    same = all(
        this["request"].get(key) == then["request"].get(key) for key in ("method", "path", "body")
    )
    first, second = _attempt(this), _attempt(then)
    return same and (first is None or second is None or second > first)


class Player(httpx2.AsyncBaseTransport):
    """Answers each request with the next exchange on the tape; never opens a socket."""

    def __init__(self, tape: Tape, key: str) -> None:
        self.tape = tape
        self.key = key
        self.served = [e for i, e in enumerate(tape.exchanges) if not retried(tape.exchanges, i)]
        self.position = 0
        self.ids: dict[str, str] = {}  # recorded id -> the id the replayed CRM gave it
        self.divergence: str | None = None

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self.divergence is not None:
            return self._refuse(request, self.divergence)
        if self.position >= len(self.served):
            return self._refuse(
                request,
                f"{self.key}: the replay sent request #{self.position + 1}, but the recording "
                f"has only {len(self.served)}",
            )
        exchange = self.served[self.position]
        self.position += 1
        live = _request_body(await request.aread())
        recorded = exchange["request"]
        learn_ids(recorded.get("body"), live, self.ids)
        difference = request_difference(
            (recorded.get("method"), recorded.get("path"), recorded.get("body")),
            (request.method, request.url.path, live),
            self.ids,
        )
        if difference is not None:
            return self._refuse(
                request,
                f"{self.key}: request #{self.position} differs from the recording ({difference})",
            )
        if "error" in exchange:
            raise _transport_error(str(exchange["error"].get("type")), request)
        answer = exchange["response"]
        text = str(answer["body"])
        if "text/event-stream" in answer["headers"].get("content-type", ""):
            text = coalesce_sse(text)
        for recorded_id, replayed_id in self.ids.items():
            text = text.replace(recorded_id, replayed_id)
        return httpx2.Response(
            int(answer["status"]),
            headers=dict(answer["headers"]),
            content=text.encode("utf-8"),
            request=request,
        )

    def unplayed(self) -> str | None:
        """Why this trial's replay does not match its recording, if it does not."""
        if self.divergence is None and self.position < len(self.served):
            return (
                f"{self.key}: the replay stopped after request #{self.position}, but the "
                f"recording goes on to #{len(self.served)}"
            )
        return self.divergence

    def _refuse(self, request: httpx2.Request, message: str) -> httpx2.Response:
        """Stop the trial here: a non-retryable error the coworker reports as a model error."""
        if self.divergence is None:
            self.divergence = message
        text = f"replay does not match the cassette: {message}"
        body = {"type": "error", "error": {"type": "invalid_request_error", "message": text}}
        return httpx2.Response(400, json=body, headers={"x-should-retry": "false"}, request=request)


def _transport_error(kind: str, request: httpx2.Request) -> httpx2.TransportError:
    """The recorded transport failure, as the same exception class where httpx2 has it."""
    found = getattr(httpx2, kind, None)
    if isinstance(found, type) and issubclass(found, httpx2.TransportError):
        return found(f"recorded {kind}", request=request)
    return httpx2.ConnectError(f"recorded {kind}", request=request)


def comparable(body: Any, ids: dict[str, str] | None = None) -> str:
    """A request body as the player compares it: recorded ids rewritten to the replayed ones,
    and clock readings (timestamps; the time of day in the system prompt) masked."""
    if isinstance(body, dict) and "system" in body:
        system = json.dumps(body["system"], ensure_ascii=False)
        body = {**body, "system": _TIME_OF_DAY.sub("<time>", system)}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False)
    for recorded, replayed in (ids or {}).items():
        text = text.replace(recorded, replayed)
    return _TIMESTAMP.sub("<timestamp>", text)


def request_difference(
    recorded: tuple[Any, Any, Any], live: tuple[Any, Any, Any], ids: dict[str, str]
) -> str | None:
    """How a live request differs from the recorded one, once legitimate changes are
    discounted (None: it is the same request)."""
    (old_method, old_path, old_body), (method, path, body) = recorded, live
    if (old_method, old_path) != (method, path):
        return f"recorded {old_method} {old_path}, live {method} {path}"
    old, new = comparable(old_body, ids), comparable(body, {})
    if old == new:
        return None
    at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), None)
    at = min(len(old), len(new)) if at is None else at
    start = max(0, at - 60)
    return f"recorded …{old[start : at + 60]}… live …{new[start : at + 60]}…"


def learn_ids(recorded: Any, live: Any, ids: dict[str, str]) -> None:
    """Pair the ids of a recorded request with those of the same request replayed. Only
    random (version 4) ids are paired: the ones the CRM gives records a run creates."""
    if isinstance(recorded, str) and isinstance(live, str):
        if recorded != live:
            old, new = UUID.findall(recorded), UUID.findall(live)
            if len(old) == len(new):
                for a, b in zip(old, new, strict=True):
                    if a != b and RANDOM_UUID.match(a) and RANDOM_UUID.match(b):
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
