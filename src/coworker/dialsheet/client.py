"""The async Dialsheet client: one generic `call`, routed by the contract.

`call(operation_id, arguments)` looks the operation up in `openapi.yaml`, puts each argument
where the contract says (path, query string or JSON body) and returns the parsed JSON. There
is no helper per operation: the contract names them all, and every caller (the executor,
summaries, reconciliation) calls by name.

Reliability rules:

- Idempotent methods (GET, PUT, DELETE) are retried on 429 (honouring Retry-After, capped by
  `backoff_max`), on 5xx, on timeouts and on transport errors, with full-jitter exponential
  backoff, at most `max_retries` times.
- POST is never retried once the request may have left: creates are not idempotent, and
  sends (send_email, send_sms, enroll_in_sequence) reach a person. A POST that got no answer
  after it was sent (read timeout, dropped connection) raises `DialsheetOutcomeUnknown`: the
  email went out, or the record was created, or not. The caller must reconcile by looking it
  up in the CRM, never by sending again.
- Any method is retried when the connection could not be opened at all (connect error,
  connect or pool timeout): nothing was sent, so nothing can happen twice.
- A DELETE retried after an unanswered attempt that then gets 404 has already done its job
  (the earlier attempt deleted the record), so it returns the contract's delete response.

The API key is sent in the Authorization header of each request and nowhere else: it is not
logged, not part of any error, and not in `repr()`. Logs carry the operation, the method, the
path template, the status, the attempt and the time taken, never headers, bodies or query
strings (they hold personal data).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import httpx

from coworker.dialsheet.contract import Contract, Operation, load_contract
from coworker.errors import (
    ConfigError,
    DialsheetConflict,
    DialsheetError,
    DialsheetNotFound,
    DialsheetOutcomeUnknown,
    DialsheetRateLimited,
    DialsheetServerError,
    DialsheetUnauthorized,
    DialsheetUnavailable,
    DialsheetValidationError,
)
from coworker.guards.urls import display_url, without_userinfo

logger = logging.getLogger("coworker.dialsheet")

IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE"})
# Answers from a proxy in front of Dialsheet that say nothing about whether it acted.
AMBIGUOUS_STATUSES = frozenset({502, 504})

# The request never left the machine: retrying cannot make anything happen twice.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

_ERROR_BY_STATUS: dict[int, type[DialsheetError]] = {
    400: DialsheetValidationError,
    422: DialsheetValidationError,
    401: DialsheetUnauthorized,
    403: DialsheetUnauthorized,
    404: DialsheetNotFound,
    409: DialsheetConflict,
}
_MAX_API_MESSAGE = 500
_USER_AGENT = "dialsheet-coworker/0.1"


class DialsheetClient:
    """One person's view of the Dialsheet API (their key), over a pooled HTTP client.

    Pass `http=` to share one `httpx.AsyncClient` (one connection pool) between the clients
    of many people; the key then travels only in each request's headers, and `aclose()`
    leaves the shared client open.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 30.0,
        max_retries: int = 3,
        backoff_base: float = 0.25,
        backoff_max: float = 8.0,
        transport: httpx.AsyncBaseTransport | None = None,
        http: httpx.AsyncClient | None = None,
        contract: Contract | None = None,
    ) -> None:
        # The CRM's contract routes every call; the packaged one unless the CRM has its own.
        self.contract = contract or load_contract()
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError("the Dialsheet base URL must start with http:// or https://")
        key = api_key.strip()
        if not key or not key.isascii() or not key.isprintable() or " " in key:
            # Never echo the key: say only what is wrong with it.
            raise ConfigError(
                "the Dialsheet API key is empty or has characters a header cannot carry"
            )
        if http is not None and transport is not None:
            raise ValueError("pass either a shared http client or a transport, not both")
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        # Dialsheet authenticates by the Bearer key alone. User-info in the URL would become
        # a Basic Authorization header in httpx (replacing the key: a 401) and show up in
        # its request log: never sent (`runtime` warns once at start-up that it was set).
        self.base_url = without_userinfo(base_url).rstrip("/")
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self._key = key
        self._timeout = httpx.Timeout(timeout)
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(transport=transport, timeout=self._timeout)
        self._headers = {
            "Authorization": f"Bearer {key}",
            "Accept": "application/json",
            "User-Agent": _USER_AGENT,
        }

    def __repr__(self) -> str:
        return f"DialsheetClient(base_url={display_url(self.base_url)!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool, unless it is a shared one."""
        if self._owns_http:
            await self._http.aclose()

    # -- the generic entry point ------------------------------------------------------------

    async def call(self, operation_id: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """Run one contract operation with flat arguments; return the parsed JSON answer.

        Raises ValueError for an unknown operation or arguments that do not fit it, and a
        `DialsheetError` subclass for anything the API (or the network) says went wrong.
        """
        op = self._operation(operation_id)
        url, query, body = self._build(op, arguments)
        return await self._send(op, url, query, body, arguments)

    # -- internals --------------------------------------------------------------------------

    def _build(
        self, op: Operation, arguments: Mapping[str, Any]
    ) -> tuple[str, dict[str, str], dict[str, Any] | None]:
        remaining = dict(arguments)
        path = op.path
        for param in op.path_params:
            value = remaining.pop(param.name, None)
            text = "" if value is None else str(value)
            if text in {"", ".", ".."}:
                raise ValueError(f"{op.operation_id} needs a value for '{param.name}'")
            path = path.replace("{" + param.name + "}", quote(text, safe=""))
        query: dict[str, str] = {}
        for param in op.query_params:
            if param.name not in remaining:
                continue
            value = remaining.pop(param.name)
            if value is not None:
                query[param.name] = _query_value(op, param.name, value)
        body: dict[str, Any] | None = None
        if op.body_schema is not None:
            body = remaining
        elif remaining:
            names = ", ".join(sorted(remaining))
            raise ValueError(f"{op.operation_id} takes no argument(s) named {names}")
        return self.base_url + path, query, body

    async def _send(
        self,
        op: Operation,
        url: str,
        query: dict[str, str],
        body: dict[str, Any] | None,
        arguments: Mapping[str, Any],
    ) -> dict[str, Any]:
        idempotent = op.method in IDEMPOTENT_METHODS
        attempt = 0
        may_have_happened = False  # an earlier attempt may have reached the server
        while True:
            started = time.perf_counter()
            failure: DialsheetError
            try:
                response = await self._http.request(
                    op.method,
                    url,
                    params=query,
                    json=body,
                    headers=self._headers,
                    timeout=self._timeout,
                )
            except _NOT_SENT as exc:
                self._log(op, type(exc).__name__, attempt, started)
                failure = DialsheetUnavailable(
                    f"{op.operation_id} failed: could not connect to Dialsheet "
                    f"({type(exc).__name__})",
                    operation=op.operation_id,
                )
                retryable = True
            except httpx.RequestError as exc:
                # The request (or part of it) left and no answer came back.
                self._log(op, type(exc).__name__, attempt, started)
                if not idempotent:
                    raise self._outcome_unknown(op, exc) from exc
                timed_out = isinstance(exc, httpx.TimeoutException)
                what = "did not answer in time" if timed_out else "dropped the connection"
                failure = DialsheetUnavailable(
                    f"{op.operation_id} failed: Dialsheet {what} ({type(exc).__name__})",
                    operation=op.operation_id,
                )
                may_have_happened = True
                retryable = True
            else:
                self._log(op, str(response.status_code), attempt, started)
                status = response.status_code
                # A gateway's 502/504 means the request may have reached Dialsheet, and a
                # success we cannot read still happened: for a POST neither is "nothing done".
                if not idempotent and status in AMBIGUOUS_STATUSES:
                    raise self._outcome_unknown(op, self._error_for(op, response))
                if not idempotent and response.is_success:
                    try:
                        return self._parse_success(op, response)
                    except DialsheetServerError as unreadable:
                        raise self._outcome_unknown(op, unreadable) from unreadable
                if response.is_success:
                    return self._parse_success(op, response)
                failure = self._error_for(op, response)
                if status == 404 and op.method == "DELETE" and may_have_happened:
                    return {"deleted": True, "id": str(arguments.get("id"))}
                retryable = idempotent and (status == 429 or status >= 500)
                may_have_happened = may_have_happened or status >= 500
            if not retryable or attempt >= self.max_retries:
                raise failure
            await asyncio.sleep(self._delay(attempt, failure))
            attempt += 1

    def _operation(self, operation_id: str) -> Operation:
        op = self.contract.operations.get(operation_id)
        if op is None:
            raise ValueError(f"unknown Dialsheet operation: {operation_id!r}")
        return op

    def _delay(self, attempt: int, failure: DialsheetError) -> float:
        if isinstance(failure, DialsheetRateLimited) and failure.retry_after is not None:
            return max(0.0, min(self.backoff_max, failure.retry_after))
        return random.uniform(0, min(self.backoff_max, self.backoff_base * 2**attempt))

    def _outcome_unknown(self, op: Operation, exc: Exception) -> DialsheetOutcomeUnknown:
        consequence = op.profile.unanswered or "the record may have been created"
        return DialsheetOutcomeUnknown(
            f"{op.operation_id} failed: the request was sent but no answer came back "
            f"({type(exc).__name__}); {consequence}. Check the CRM before trying again.",
            operation=op.operation_id,
        )

    def _parse_success(self, op: Operation, response: httpx.Response) -> dict[str, Any]:
        data = _json_or_none(response)
        if not isinstance(data, dict):
            raise DialsheetServerError(
                f"{op.operation_id} failed: Dialsheet answered HTTP {response.status_code} "
                "with a body that is not a JSON object",
                status=response.status_code,
                operation=op.operation_id,
            )
        return data

    def _error_for(self, op: Operation, response: httpx.Response) -> DialsheetError:
        status = response.status_code
        api_message = self._api_message(response)
        message = f"{op.operation_id} failed: {api_message or 'no error text'} (HTTP {status})"
        common: dict[str, Any] = {
            "status": status,
            "api_message": api_message,
            "operation": op.operation_id,
        }
        if status == 429:
            retry_after = _retry_after(response.headers.get("Retry-After"))
            return DialsheetRateLimited(message, retry_after=retry_after, **common)
        if status >= 500:
            return DialsheetServerError(message, **common)
        return _ERROR_BY_STATUS.get(status, DialsheetError)(message, **common)

    def _api_message(self, response: httpx.Response) -> str | None:
        data = _json_or_none(response)
        text: str | None = None
        if isinstance(data, dict):
            error = data.get("error", data.get("detail"))
            if error is not None:
                text = error if isinstance(error, str) else str(error)
        elif response.headers.get("content-type", "").startswith("text/plain"):
            text = response.text.strip() or None
        if text is None:
            text = response.reason_phrase or None
        if text is None:
            return None
        # An API (or a proxy) echoing the Authorization header must not leak the key.
        return text.replace(self._key, "[redacted]")[:_MAX_API_MESSAGE]

    def _log(self, op: Operation, outcome: str, attempt: int, started: float) -> None:
        logger.debug(
            "dialsheet %s %s %s -> %s (attempt %d, %.0f ms)",
            op.operation_id,
            op.method,
            op.path,
            outcome,
            attempt + 1,
            (time.perf_counter() - started) * 1000,
        )


def _query_value(op: Operation, name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise ValueError(f"{op.operation_id}: query parameter '{name}' must be a single value")


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
