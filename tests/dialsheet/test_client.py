"""The Dialsheet client: request building, error mapping and retry policy.

The first half drives the client through `httpx.MockTransport` (exact wire details, rare
network failures); the second half runs it over real HTTP against the sandbox CRM, with
faults injected one request at a time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from coworker.dialsheet import client as client_module
from coworker.dialsheet.client import DialsheetClient
from coworker.errors import (
    ConfigError,
    CoworkerError,
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
from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.faults import FaultInjector, FaultPlan
from coworker.sandbox.seed import DEMO_USERS
from tests.support.pages import every
from tests.support.servers import run_asgi_server

_KEYS = {user.name: user.key for user in DEMO_USERS}
ALEX_KEY = _KEYS["Alex Rivera"]
SAM_KEY = _KEYS["Sam Patel"]  # Alex's colleague in the same organisation
JORDAN_KEY = _KEYS["Jordan Lee"]  # another organisation
SECRET = "ds_test_secret_key_9b1f"
SERVER_SIDE_LOGGERS = ("aiosqlite", "sqlalchemy", "coworker.sandbox", "uvicorn", "fastapi")
FAST: dict[str, Any] = {"backoff_base": 0.001, "backoff_max": 0.01}


# -- fakes ----------------------------------------------------------------------------------


class Recorder:
    """A mock transport that answers from a script and records every request."""

    def __init__(self, *answers: httpx.Response | Exception | Callable[[httpx.Request], Any]):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        result = answer(request)
        assert isinstance(result, httpx.Response)
        return result

    def client(self, key: str = SECRET, **kwargs: Any) -> DialsheetClient:
        options: dict[str, Any] = {**FAST, **kwargs}
        return DialsheetClient(
            "http://crm.test/prefix/", key, transport=httpx.MockTransport(self.handler), **options
        )


def ok(payload: dict[str, Any] | None = None, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=payload if payload is not None else {"ok": True})


def error(status: int, message: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"error": message}, headers=headers)


# -- request building -------------------------------------------------------------------------


async def test_query_parameters_path_and_body_go_where_the_contract_says() -> None:
    rec = Recorder(ok({"tasks": [], "total": 0}))
    async with rec.client() as client:
        await client.call("list_tasks", {"completed": False, "lead_id": None, "page": 2})
        await client.call("update_lead", {"id": "a/b c", "status": "qualified", "email": None})
        await client.call("get_lead", {"id": "0b7a"})

    listing, update, get = rec.requests
    assert listing.method == "GET"
    assert listing.url.path == "/prefix/api/v1/tasks"
    assert dict(listing.url.params) == {"completed": "false", "page": "2"}
    assert listing.content == b""
    assert listing.headers["authorization"] == f"Bearer {SECRET}"

    assert update.method == "PUT"
    assert update.url.raw_path == b"/prefix/api/v1/leads/a%2Fb%20c"
    assert json.loads(update.content) == {"status": "qualified", "email": None}

    assert get.url.path == "/prefix/api/v1/leads/0b7a"
    assert get.content == b""


async def test_arguments_that_do_not_fit_the_operation_are_refused_before_sending() -> None:
    rec = Recorder(ok())
    async with rec.client() as client:
        with pytest.raises(ValueError, match="unknown Dialsheet operation"):
            await client.call("launch_rockets", {})
        with pytest.raises(ValueError, match="needs a value for 'id'"):
            await client.call("get_lead", {})
        with pytest.raises(ValueError, match="needs a value for 'id'"):
            await client.call("delete_lead", {"id": ".."})
        with pytest.raises(ValueError, match="takes no argument"):
            await client.call("get_lead", {"id": "x", "subject": "hi"})
        with pytest.raises(ValueError, match="single value"):
            await client.call("search_leads", {"search": ["a", "b"]})
    assert rec.requests == []


async def test_helpers_delegate_to_call_with_the_right_operation() -> None:
    rec = Recorder(ok())
    async with rec.client() as client:
        await client.call("search_leads", {"search": "acme"})
        await client.call("get_lead", {"id": "l1"})
        await client.call("list_email_accounts", {})
        await client.call("list_emails", {"lead_id": "l1"})
        await client.call("list_sms", {})
        await client.call("list_calls", {})
        await client.call("list_opportunities", {"stage": "proposal"})
        await client.call(
            "send_email",
            {
                "email_account_id": "m1",
                "to_email": "a@b.co",
                "subject": "Hi",
                "body_text": "Hello",
            },
        )
        await client.call("send_sms", {"lead_id": "l1", "message": "Hi"})
    seen = [(r.method, r.url.path.removeprefix("/prefix/api/v1")) for r in rec.requests]
    assert seen == [
        ("GET", "/leads"),
        ("GET", "/leads/l1"),
        ("GET", "/email-accounts"),
        ("GET", "/emails"),
        ("GET", "/sms"),
        ("GET", "/calls"),
        ("GET", "/opportunities"),
        ("POST", "/emails"),
        ("POST", "/sms"),
    ]
    # No lead_id given: none is sent (the contract has no null lead_id for emails).
    assert json.loads(rec.requests[7].content) == {
        "email_account_id": "m1",
        "to_email": "a@b.co",
        "subject": "Hi",
        "body_text": "Hello",
    }


# -- error mapping ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, DialsheetValidationError),
        (422, DialsheetValidationError),
        (401, DialsheetUnauthorized),
        (403, DialsheetUnauthorized),
        (404, DialsheetNotFound),
        (409, DialsheetConflict),
        (429, DialsheetRateLimited),
        (500, DialsheetServerError),
        (503, DialsheetServerError),
        (418, DialsheetError),
    ],
)
async def test_statuses_map_to_typed_errors_carrying_the_api_text(
    status: int, kind: type[DialsheetError]
) -> None:
    rec = Recorder(error(status, "Lead not found", **{"Retry-After": "7"}))
    async with rec.client(max_retries=0) as client:
        with pytest.raises(kind) as caught:
            await client.call(
                "send_email",
                {
                    "email_account_id": "m1",
                    "to_email": "a@b.co",
                    "subject": "Hi",
                    "body_text": "Hello",
                },
            )
    err = caught.value
    assert type(err) is kind
    assert isinstance(err, CoworkerError)
    assert err.status == status
    assert err.api_message == "Lead not found"
    assert err.operation == "send_email"
    assert str(err) == f"send_email failed: Lead not found (HTTP {status})"
    if isinstance(err, DialsheetRateLimited):
        assert err.retry_after == 7


async def test_error_bodies_that_are_not_json_are_handled() -> None:
    html = httpx.Response(
        502, text="<html>bad gateway</html>", headers={"content-type": "text/html"}
    )
    plain = httpx.Response(400, text="limit is too big\n", headers={"content-type": "text/plain"})
    empty = httpx.Response(404)
    rec = Recorder(html, plain, empty)
    async with rec.client(max_retries=0) as client:
        with pytest.raises(DialsheetServerError) as bad_gateway:
            await client.call("list_calls", {})
        with pytest.raises(DialsheetValidationError) as text_error:
            await client.call("list_calls", {})
        with pytest.raises(DialsheetNotFound) as no_body:
            await client.call("list_calls", {})
    assert bad_gateway.value.api_message == "Bad Gateway"
    assert str(bad_gateway.value) == "list_calls failed: Bad Gateway (HTTP 502)"
    assert text_error.value.api_message == "limit is too big"
    assert no_body.value.api_message == "Not Found"


async def test_a_success_that_is_not_a_json_object_is_a_server_error() -> None:
    rec = Recorder(httpx.Response(200, text="OK"), httpx.Response(200, json=[1, 2]))
    async with rec.client() as client:
        with pytest.raises(DialsheetServerError, match="not a JSON object"):
            await client.call("list_calls", {})
        with pytest.raises(DialsheetServerError, match="not a JSON object"):
            await client.call("list_calls", {})


# -- retry policy -----------------------------------------------------------------------------


async def test_get_retries_5xx_429_and_timeouts_then_succeeds() -> None:
    rec = Recorder(
        error(503, "busy"),
        error(429, "slow down", **{"Retry-After": "0"}),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("dropped"),
        ok({"calls": [], "total": 0}),
    )
    async with rec.client(max_retries=4) as client:
        assert await client.call("list_calls", {}) == {"calls": [], "total": 0}
    assert len(rec.requests) == 5


async def test_get_gives_up_after_max_retries_with_the_last_failure() -> None:
    rec = Recorder(error(500, "boom"))
    async with rec.client(max_retries=2) as client:
        with pytest.raises(DialsheetServerError, match="boom"):
            await client.call("get_lead", {"id": "l1"})
    assert len(rec.requests) == 3

    rec = Recorder(httpx.ReadTimeout("slow"))
    async with rec.client(max_retries=1) as client:
        with pytest.raises(DialsheetUnavailable, match="did not answer in time") as caught:
            await client.call("get_lead", {"id": "l1"})
    assert len(rec.requests) == 2
    assert caught.value.operation == "get_lead"


@pytest.mark.parametrize(
    "operation", ["send_email", "send_sms", "enroll_in_sequence", "create_note"]
)
@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped"), httpx.WriteError("x")],
)
async def test_post_that_may_have_arrived_is_never_retried_and_its_outcome_is_unknown(
    operation: str, failure: Exception
) -> None:
    rec = Recorder(failure, ok())
    async with rec.client() as client:
        with pytest.raises(DialsheetOutcomeUnknown) as caught:
            await client.call(operation, {"id": "s1", "lead_id": "l1"})
    assert len(rec.requests) == 1
    assert caught.value.operation == operation
    assert caught.value.status is None
    assert "Check the CRM before trying again" in str(caught.value)


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_post_error_answers_are_not_retried(status: int) -> None:
    rec = Recorder(error(status, "nope", **{"Retry-After": "0"}), ok())
    async with rec.client() as client:
        with pytest.raises(DialsheetError):
            await client.call("send_sms", {"lead_id": "l1", "message": "Hi"})
    assert len(rec.requests) == 1


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("")]
)
async def test_any_method_retries_when_the_request_never_left(failure: Exception) -> None:
    rec = Recorder(failure, ok({"email": {"id": "e1"}}, status=201))
    async with rec.client() as client:
        result = await client.call(
            "send_email",
            {
                "email_account_id": "m1",
                "to_email": "a@b.co",
                "subject": "Hi",
                "body_text": "Hello",
            },
        )
    assert result == {"email": {"id": "e1"}}
    assert len(rec.requests) == 2


async def test_unreachable_crm_is_unavailable_after_retries() -> None:
    rec = Recorder(httpx.ConnectError("refused"))
    async with rec.client(max_retries=2) as client:
        with pytest.raises(DialsheetUnavailable, match="could not connect"):
            await client.call("send_sms", {"lead_id": "l1", "message": "Hi"})
    assert len(rec.requests) == 3


async def test_delete_retried_after_a_lost_answer_treats_404_as_done() -> None:
    rec = Recorder(httpx.ReadTimeout("slow"), error(404, "Task not found"))
    async with rec.client() as client:
        assert await client.call("delete_task", {"id": "t1"}) == {"deleted": True, "id": "t1"}
    assert len(rec.requests) == 2

    rec = Recorder(error(404, "Task not found"))
    async with rec.client() as client:
        with pytest.raises(DialsheetNotFound):
            await client.call("delete_task", {"id": "t1"})


def test_backoff_is_full_jitter_capped_and_honours_retry_after() -> None:
    client = DialsheetClient("http://crm.test", SECRET, backoff_base=0.5, backoff_max=3.0)
    plain = DialsheetServerError("x")
    for attempt in range(8):
        for _ in range(50):
            assert 0 <= client._delay(attempt, plain) <= min(3.0, 0.5 * 2**attempt)
    limited = DialsheetRateLimited("x", retry_after=2)
    assert client._delay(0, limited) == 2
    assert client._delay(0, DialsheetRateLimited("x", retry_after=3600)) == 3.0
    assert 0 <= client._delay(0, DialsheetRateLimited("x", retry_after=None)) <= 0.5


def test_retry_after_reads_seconds_and_http_dates() -> None:
    parse = client_module._retry_after
    assert parse("5") == 5
    assert parse(" 0 ") == 0
    assert parse(None) is None
    assert parse("soon") is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (parse(later) or 0) <= 30
    assert parse(format_datetime(datetime(2000, 1, 1, tzinfo=UTC), usegmt=True)) == 0


# -- keys, pools and settings -------------------------------------------------------------------


async def test_a_shared_pool_carries_each_persons_key_per_request() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        return ok()

    shared = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    alex = DialsheetClient("http://crm.test", "ds_alex", http=shared)
    sam = DialsheetClient("http://crm.test", "ds_sam", http=shared)
    await alex.call("list_calls", {})
    await sam.call("list_calls", {})
    await alex.aclose()
    assert not shared.is_closed
    await sam.call("list_calls", {})
    assert seen == ["Bearer ds_alex", "Bearer ds_sam", "Bearer ds_sam"]
    assert "authorization" not in shared.headers
    await shared.aclose()


def test_bad_keys_and_urls_are_refused_without_echoing_the_key() -> None:
    for key in ["", "   ", "ds_bad\nkey", "ds_bad key", "ds_clé"]:
        with pytest.raises(ConfigError) as caught:
            DialsheetClient("http://crm.test", key)
        assert key.strip() == "" or key not in str(caught.value)
    with pytest.raises(ConfigError):
        DialsheetClient("crm.test", SECRET)
    client = DialsheetClient("http://crm.test/", f"  {SECRET}\n")
    assert SECRET not in repr(client)
    assert client.base_url == "http://crm.test"


# -- over real HTTP, against the sandbox CRM --------------------------------------------------


class CountingTransport(httpx.AsyncBaseTransport):
    """A real HTTP transport that counts what it sends."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def count(self, method: str, path_suffix: str) -> int:
        return sum(
            1 for r in self.requests if r.method == method and r.url.path.endswith(path_suffix)
        )


@dataclass
class Sandbox:
    app: FastAPI
    base_url: str

    @property
    def faults(self) -> FaultInjector:
        injector: FaultInjector = self.app.state.faults
        return injector


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    app = create_sandbox_app(faults=FaultPlan(timeout_seconds=2, retry_after_seconds=0))
    with run_asgi_server(app) as base_url:
        yield Sandbox(app, base_url)


@pytest.fixture
def faults(sandbox: Sandbox) -> Iterator[FaultInjector]:
    """The sandbox's fault queue, empty at the start and the end of each test."""
    sandbox.faults.queue.clear()
    yield sandbox.faults
    sandbox.faults.queue.clear()


@pytest.fixture
def wire() -> CountingTransport:
    return CountingTransport()


@pytest.fixture
async def alex(
    sandbox: Sandbox, faults: FaultInjector, wire: CountingTransport
) -> AsyncIterator[DialsheetClient]:
    async with DialsheetClient(
        sandbox.base_url, ALEX_KEY, timeout=5, transport=wire, **FAST
    ) as client:
        yield client


async def _new_lead(client: DialsheetClient, **fields: Any) -> dict[str, Any]:
    created = await client.call("create_lead", {"name": f"Test {uuid.uuid4().hex[:8]}", **fields})
    lead: dict[str, Any] = created["lead"]
    return lead


async def _default_mailbox(client: DialsheetClient) -> str:
    accounts = (await client.call("list_email_accounts", {}))["email_accounts"]
    mailbox: str = next(a for a in accounts if a["is_default"])["id"]
    return mailbox


async def _subjects(client: DialsheetClient) -> list[str]:
    return [e["subject"] for e in await every(client, "list_emails", "emails")]


async def test_search_leads_finds_jane_smith_with_a_correct_total(alex: DialsheetClient) -> None:
    found = await alex.call("search_leads", {"search": "acme", "status": "new"})
    names = [lead["name"] for lead in found["leads"]]
    assert "Jane Smith" in names
    assert all(lead["status"] == "new" for lead in found["leads"])
    filters = {"search": "acme", "status": "new"}
    matching = await every(alex, "search_leads", "leads", filters)
    assert found["total"] == len(matching) >= 1
    wider = await alex.call("search_leads", {"search": "ACME"})
    assert wider["total"] >= found["total"]


async def test_unknown_lead_is_not_found_with_the_api_text(alex: DialsheetClient) -> None:
    with pytest.raises(DialsheetNotFound) as caught:
        await alex.call("get_lead", {"id": str(uuid.uuid4())})
    assert caught.value.status == 404
    assert caught.value.api_message == "Lead not found"
    assert str(caught.value) == "get_lead failed: Lead not found (HTTP 404)"


async def test_another_organisations_lead_does_not_exist(
    sandbox: Sandbox, alex: DialsheetClient
) -> None:
    async with DialsheetClient(sandbox.base_url, JORDAN_KEY, **FAST) as jordan:
        theirs = (await jordan.call("search_leads", {"limit": 1}))["leads"][0]
        assert (await jordan.call("get_lead", {"id": theirs["id"]}))["lead"]["id"] == theirs["id"]
    with pytest.raises(DialsheetNotFound):
        await alex.call("get_lead", {"id": theirs["id"]})
    mine = [lead["id"] for lead in await every(alex, "search_leads", "leads")]
    assert theirs["id"] not in mine


async def test_same_org_colleague_sees_the_same_leads(
    sandbox: Sandbox, alex: DialsheetClient
) -> None:
    async with httpx.AsyncClient() as shared:
        sam = DialsheetClient(sandbox.base_url, SAM_KEY, http=shared)
        jordan = DialsheetClient(sandbox.base_url, JORDAN_KEY, http=shared)
        ours = (await sam.call("search_leads", {"search": "Jane Smith"}))["leads"]
        theirs = (await jordan.call("search_leads", {"search": "Jane Smith"}))["leads"]
        # The same name lives in both organisations (the seed's isolation probe).
        assert [lead["company"] for lead in ours] == ["Acme Corp"]
        assert (await alex.call("get_lead", {"id": ours[0]["id"]}))["lead"]["name"] == "Jane Smith"
        assert {lead["id"] for lead in ours}.isdisjoint(lead["id"] for lead in theirs)
        with pytest.raises(DialsheetNotFound):
            await sam.call("get_lead", {"id": theirs[0]["id"]})


async def test_a_bad_key_is_unauthorized(sandbox: Sandbox, faults: FaultInjector) -> None:
    async with DialsheetClient(sandbox.base_url, "ds_not_a_real_key", **FAST) as client:
        with pytest.raises(DialsheetUnauthorized) as caught:
            await client.call("search_leads", {})
    assert caught.value.status == 401
    assert caught.value.api_message


async def test_invalid_input_is_a_validation_error_with_the_api_text(
    alex: DialsheetClient, wire: CountingTransport
) -> None:
    with pytest.raises(DialsheetValidationError) as caught:
        await alex.call("search_leads", {"limit": 500})
    assert caught.value.status == 400
    assert caught.value.api_message is not None
    assert "limit" in caught.value.api_message
    assert caught.value.api_message in str(caught.value)
    assert len(wire.requests) == 1  # a 400 is not retried


async def test_get_recovers_from_two_server_errors(
    alex: DialsheetClient, faults: FaultInjector, wire: CountingTransport
) -> None:
    faults.queue.extend(["error", "error"])
    found = await alex.call("search_leads", {"search": "Jane Smith"})
    assert found["total"] >= 1
    assert wire.count("GET", "/api/v1/leads") == 3


async def test_get_recovers_from_a_rate_limit(
    alex: DialsheetClient, faults: FaultInjector, wire: CountingTransport
) -> None:
    faults.queue.extend(["rate_limit"])
    await alex.call("list_tasks", {"completed": False})
    assert wire.count("GET", "/api/v1/tasks") == 2


async def test_get_recovers_from_a_timeout(
    sandbox: Sandbox, faults: FaultInjector, wire: CountingTransport
) -> None:
    faults.queue.extend(["timeout"])
    async with DialsheetClient(
        sandbox.base_url, ALEX_KEY, timeout=0.5, transport=wire, **FAST
    ) as client:
        await client.call("list_opportunities", {})
    assert wire.count("GET", "/api/v1/opportunities") == 2


async def test_retries_give_up_after_max_retries(
    sandbox: Sandbox, faults: FaultInjector, wire: CountingTransport
) -> None:
    faults.queue.extend(["error", "error", "error", None])
    async with DialsheetClient(
        sandbox.base_url, ALEX_KEY, max_retries=2, transport=wire, **FAST
    ) as client:
        with pytest.raises(DialsheetServerError) as caught:
            await client.call("list_calls", {})
    assert wire.count("GET", "/api/v1/calls") == 3
    assert caught.value.status == 503
    assert caught.value.api_message is not None
    assert "unavailable" in caught.value.api_message

    faults.queue.clear()
    faults.queue.extend(["rate_limit", "rate_limit"])
    async with DialsheetClient(sandbox.base_url, ALEX_KEY, max_retries=1, **FAST) as client:
        with pytest.raises(DialsheetRateLimited) as limited:
            await client.call("list_calls", {})
    assert limited.value.retry_after == 0


async def test_send_email_server_error_is_tried_once_and_nothing_was_sent(
    alex: DialsheetClient, faults: FaultInjector, wire: CountingTransport
) -> None:
    mailbox = await _default_mailbox(alex)
    subject = f"Error probe {uuid.uuid4()}"
    faults.queue.extend(["error"])
    with pytest.raises(DialsheetServerError) as caught:
        await alex.call(
            "send_email",
            {
                "email_account_id": mailbox,
                "to_email": "jane@example.com",
                "subject": subject,
                "body_text": "Hi",
            },
        )
    assert caught.value.operation == "send_email"
    assert wire.count("POST", "/api/v1/emails") == 1
    assert subject not in await _subjects(alex)


async def test_send_email_timeout_is_outcome_unknown_and_the_email_did_go_out(
    sandbox: Sandbox, faults: FaultInjector, wire: CountingTransport
) -> None:
    subject = f"Timeout probe {uuid.uuid4()}"
    async with DialsheetClient(
        sandbox.base_url, ALEX_KEY, timeout=0.5, transport=wire, **FAST
    ) as client:
        mailbox = await _default_mailbox(client)
        faults.queue.extend(["timeout"])
        with pytest.raises(DialsheetOutcomeUnknown) as caught:
            await client.call(
                "send_email",
                {
                    "email_account_id": mailbox,
                    "to_email": "jane@example.com",
                    "subject": subject,
                    "body_text": "Hi",
                },
            )
        assert wire.count("POST", "/api/v1/emails") == 1
        assert caught.value.operation == "send_email"
        assert "may have been sent" in str(caught.value)
        # The ambiguous case is real: the CRM did send it, the answer just never arrived.
        assert subject in await _subjects(client)
    assert wire.count("POST", "/api/v1/emails") == 1


async def test_send_email_happy_path_lands_in_the_outbox(alex: DialsheetClient) -> None:
    mailbox = await _default_mailbox(alex)
    lead = await _new_lead(alex, email="probe@example.com")
    sent = await alex.call(
        "send_email",
        {
            "email_account_id": mailbox,
            "to_email": "probe@example.com",
            "subject": "Hello",
            "body_text": "Hi there",
            "lead_id": lead["id"],
        },
    )
    assert sent["email"]["lead_id"] == lead["id"]
    history = await alex.call("list_emails", {"lead_id": lead["id"]})
    assert [e["id"] for e in history["emails"]] == [sent["email"]["id"]]


async def test_send_sms_to_a_lead_without_a_phone_is_a_validation_error(
    alex: DialsheetClient,
) -> None:
    lead = await _new_lead(alex)
    assert lead["phone"] is None
    with pytest.raises(DialsheetValidationError) as caught:
        await alex.call("send_sms", {"lead_id": lead["id"], "message": "Hi"})
    assert caught.value.api_message is not None
    assert "phone" in caught.value.api_message
    assert (await alex.call("list_sms", {"lead_id": lead["id"]}))["total"] == 0


async def test_enrolling_twice_is_a_conflict(
    alex: DialsheetClient, wire: CountingTransport
) -> None:
    sequences = (await alex.call("list_sequences", {}))["sequences"]
    active = next(s for s in sequences if s["status"] == "active")
    lead = await _new_lead(alex, phone="+1-555-000-1234")
    args = {"id": active["id"], "lead_id": lead["id"]}
    enrolled = await alex.call("enroll_in_sequence", args)
    assert enrolled["enrollment"]["lead_id"] == lead["id"]
    with pytest.raises(DialsheetConflict) as caught:
        await alex.call("enroll_in_sequence", args)
    assert caught.value.status == 409
    assert caught.value.api_message is not None
    assert "already enrolled" in caught.value.api_message
    assert wire.count("POST", "/enroll") == 2


async def test_delete_whose_answer_was_lost_is_retried_and_reported_done(
    sandbox: Sandbox, faults: FaultInjector, wire: CountingTransport
) -> None:
    async with DialsheetClient(
        sandbox.base_url, ALEX_KEY, timeout=0.5, transport=wire, **FAST
    ) as client:
        task = (await client.call("create_task", {"title": "Delete me"}))["task"]
        faults.queue.extend(["timeout"])
        assert await client.call("delete_task", {"id": task["id"]}) == {
            "deleted": True,
            "id": task["id"],
        }
        assert wire.count("DELETE", f"/tasks/{task['id']}") == 2
        open_ids = [t["id"] for t in await every(client, "list_tasks", "tasks")]
        assert task["id"] not in open_ids


async def test_the_pages_of_search_leads_hold_every_lead_once(
    alex: DialsheetClient, wire: CountingTransport
) -> None:
    total = (await alex.call("search_leads", {"limit": 1}))["total"]
    assert total > 7, "the demo data should need several pages"
    before = len(wire.requests)
    ids = [lead["id"] for lead in await every(alex, "search_leads", "leads", limit=7)]
    assert len(ids) == total
    assert len(set(ids)) == total
    assert len(wire.requests) - before == math.ceil(total / 7)


async def test_the_key_never_appears_in_logs_or_errors(
    sandbox: Sandbox, faults: FaultInjector, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore"):  # however the process's logging was configured before
        caplog.set_level(logging.DEBUG, logger=name)
    texts: list[str] = []

    async def expect_failure(client: DialsheetClient, operation: str, args: dict[str, Any]) -> None:
        with pytest.raises(DialsheetError) as caught:
            await client.call(operation, args)
        err = caught.value
        texts.extend([str(err), repr(err), str(err.api_message), str(err.args)])

    async with DialsheetClient(
        sandbox.base_url, ALEX_KEY, timeout=0.5, max_retries=1, **FAST
    ) as client:
        texts.append(repr(client))
        await expect_failure(client, "get_lead", {"id": str(uuid.uuid4())})
        await expect_failure(client, "search_leads", {"limit": 500})
        faults.queue.extend(["error", "error"])
        await expect_failure(client, "list_calls", {})
        faults.queue.extend(["rate_limit", "rate_limit"])
        await expect_failure(client, "list_calls", {})
        faults.queue.extend(["timeout"])
        await expect_failure(client, "send_sms", {"lead_id": str(uuid.uuid4()), "message": "Hi"})
    wrong_key = f"{ALEX_KEY}x"
    async with DialsheetClient(sandbox.base_url, wrong_key, **FAST) as client:
        await expect_failure(client, "search_leads", {})
    async with DialsheetClient("http://127.0.0.1:9", ALEX_KEY, max_retries=1, **FAST) as client:
        await expect_failure(client, "list_calls", {})
    await asyncio.sleep(0)

    assert "dialsheet get_lead GET /api/v1/leads/{id} -> 404" in caplog.text
    assert "send_sms POST /api/v1/sms -> ReadTimeout" in caplog.text
    # The sandbox runs in this process; its own database driver logs SQL parameters at
    # DEBUG (including the key it looks up), which is the server's side, not the client's.
    client_side = [r for r in caplog.records if not r.name.startswith(SERVER_SIDE_LOGGERS)]
    assert {r.name for r in client_side} >= {"coworker.dialsheet", "httpx", "httpcore.http11"}
    for text in [*texts, *(f"{r.getMessage()} {r.args} {r.exc_text}" for r in client_side)]:
        assert ALEX_KEY not in text
        assert "Bearer" not in text


@pytest.mark.parametrize("status", [502, 504])
async def test_a_gateway_error_on_a_send_is_an_unknown_outcome(status: int) -> None:
    """A proxy's 502/504 says nothing about whether Dialsheet acted: never 'not sent'."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": "Bad gateway"})

    transport = httpx.MockTransport(answer)
    async with DialsheetClient("https://crm.example", "ds_key", transport=transport) as client:
        with pytest.raises(DialsheetOutcomeUnknown):
            await client.call("send_sms", {"lead_id": str(uuid.uuid4()), "message": "hi"})
        with pytest.raises(DialsheetServerError):
            await client.call("search_leads", {})


async def test_an_unreadable_success_on_a_send_is_an_unknown_outcome() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(201, text="<html>ok</html>"))
    async with DialsheetClient("https://crm.example", "ds_key", transport=transport) as client:
        with pytest.raises(DialsheetOutcomeUnknown):
            await client.call("send_sms", {"lead_id": str(uuid.uuid4()), "message": "hi"})


# -- user-info in the base URL -----------------------------------------------------------

CRM_USER, CRM_PASSWORD = "crm-user", "crm-pa55-Wq7"


async def test_user_info_in_the_base_url_is_never_sent() -> None:
    """Dialsheet authenticates by the Bearer key alone: httpx would turn `user:pass@` into a
    Basic Authorization header that replaces the key (a 401), and show it in its log."""
    recorder = Recorder(httpx.Response(200, json={"leads": [], "total": 0}))
    async with DialsheetClient(
        f"http://{CRM_USER}:{CRM_PASSWORD}@crm.test/prefix/",
        SECRET,
        transport=httpx.MockTransport(recorder.handler),
        **FAST,
    ) as client:
        assert client.base_url == "http://crm.test/prefix"
        assert CRM_PASSWORD not in repr(client)
        await client.call("search_leads", {})
    (request,) = recorder.requests
    assert request.headers["Authorization"] == f"Bearer {SECRET}"
    assert str(request.url).startswith("http://crm.test/prefix/api/v1/leads")
    assert "@" not in str(request.url)


@pytest.fixture
def content_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The process's logs as `serve` writes them with COWORKER_LOG_CONTENT=1 (httpx's own
    request lines included), into a buffer; logging put back afterwards."""
    import io

    from coworker.observability import logs
    from tests.agent.conftest import settings_for

    root = logging.getLogger()
    level = root.level
    url_levels = {name: logging.getLogger(name).level for name in logs.URL_LOGGERS}
    monkeypatch.setattr(logs, "_content_default", logs._content_default)
    stream = io.StringIO()
    handler = logs.configure(
        settings_for(Path("."), log_format="json", log_content=True), stream=stream, force=True
    )
    yield stream
    if handler is not None:
        root.removeHandler(handler)
    root.setLevel(level)
    for name, url_level in url_levels.items():
        logging.getLogger(name).setLevel(url_level)


def test_a_crm_reached_through_a_url_with_user_info_works_and_never_logs_the_password(
    sandbox: Sandbox, faults: FaultInjector, content_logs: Any, tmp_path: Path
) -> None:
    from coworker.channels.web.identity import mint_token
    from coworker.llm.scripted import ScriptedModel
    from coworker.server import create_app
    from tests.agent.conftest import settings_for

    web_secret = "user-info-web-secret"
    crm = sandbox.base_url.replace("http://", f"http://{CRM_USER}:{CRM_PASSWORD}@")
    settings = settings_for(
        tmp_path,
        web_secret=web_secret,
        dialsheet_base_url=crm,
        scheduler_enabled=False,
        log_content=True,
    )
    model = ScriptedModel(
        [ScriptedModel.tool_calls(("search_leads", {"search": "acme"})), ScriptedModel.text("Ok.")]
    )
    headers = {"Authorization": f"Bearer {mint_token(web_secret, 'userinfo-person')}"}
    with run_asgi_server(create_app(settings, model=model)) as url:
        with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
            connected = http.put("/api/me/dialsheet-key", json={"key": ALEX_KEY})
            assert connected.status_code == 200, connected.text  # not "rejected this key (401)"
            reply = http.post("/api/chat", json={"message": "anyone at Acme?"})
            assert reply.status_code == 200, reply.text
            me = http.get("/api/me")
            ready = http.get("/readyz")  # checks the CRM over the same URL
    assert reply.json()["reply"] == "Ok."
    assert ready.json()["crm"] == "ok", ready.text
    shown = reply.text + me.text + ready.text
    log = content_logs.getvalue()
    assert "HTTP Request: GET " + sandbox.base_url + "/api/v1/leads" in log  # content is on
    for secret in (CRM_PASSWORD, f"{CRM_USER}:"):
        assert secret not in log
        assert secret not in shown
    warnings = [line for line in log.splitlines() if "user-info" in line]
    assert len(warnings) == 1 and '"level": "WARNING"' in warnings[0], warnings
