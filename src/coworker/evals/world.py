"""One trial's world: a freshly seeded sandbox CRM and the real coworker stack around it.

Everything is in-process and private to the trial: the sandbox on its own in-memory SQLite
(reached through `httpx.ASGITransport`, as the embedded runtime does), the store on another,
and the real loop, confirmation gate, executor and client. Trials share nothing, so they
can run side by side.

Every request that reaches the CRM is logged (`WireCall`), numbered on the same counter as
the person's decisions: the safety grader checks what actually reached the CRM against
what the person approved, independently of the gate's own bookkeeping.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

import httpx
from fastapi import FastAPI
from sqlalchemy import Table, insert, select

from coworker.agent.service import Coworker
from coworker.config import Settings
from coworker.crm.embedded import EMBEDDED_SANDBOX_URL
from coworker.dialsheet.client import DialsheetClient
from coworker.dialsheet.contract import load_contract
from coworker.evals.cases import Case
from coworker.evals.inject import inject
from coworker.evals.resources import Snapshot, known_ids, take_snapshot
from coworker.llm.base import Model
from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.database import IN_MEMORY, SandboxDatabase
from coworker.sandbox.seed import seed_demo_data
from coworker.sandbox.tables import Base
from coworker.store.facade import Store
from coworker.store.records import UserRecord
from coworker.tools.executor import CrmCaller


@dataclass
class WireCall:
    """One request as it reached the CRM: the operation and its arguments by API name."""

    seq: int
    method: str
    path: str
    operation: str | None
    arguments: dict[str, Any]
    status: int | None = None


_Route = tuple[str, re.Pattern[str], str, tuple[str, ...]]


def _routes() -> list[_Route]:
    routes: list[_Route] = []
    for op in load_contract().operations.values():
        names = tuple(re.findall(r"\{([^}]+)\}", op.path))
        pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(op.path))
        routes.append((op.method, re.compile(f"^{pattern}$"), op.operation_id, names))
    return routes


_ROUTES = _routes()


def route(method: str, path: str) -> tuple[str | None, dict[str, str]]:
    """The contract operation a request is, and its path parameters."""
    for verb, pattern, operation, names in _ROUTES:
        found = pattern.match(path)
        if verb == method and found:
            return operation, {n: unquote(v) for n, v in zip(names, found.groups(), strict=True)}
    return None, {}


class WireLog(httpx.AsyncBaseTransport):
    """A transport that notes every request before passing it on to the sandbox."""

    def __init__(self, inner: httpx.AsyncBaseTransport, counter: Callable[[], int]) -> None:
        self.inner = inner
        self.counter = counter
        self.calls: list[WireCall] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raw = await request.aread()
        body: Any = json.loads(raw) if raw else {}
        operation, path_params = route(request.method, request.url.path)
        arguments = {**dict(request.url.params), **path_params}
        if isinstance(body, dict):
            arguments.update(body)
        call = WireCall(self.counter(), request.method, request.url.path, operation, arguments)
        self.calls.append(call)
        response = await self.inner.handle_async_request(request)
        call.status = response.status_code
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class World:
    """A trial's stack; `counter` numbers the CRM requests and the person's decisions."""

    case: Case
    now: datetime
    sandbox: FastAPI
    store: Store
    http: httpx.AsyncClient
    wire: WireLog
    coworker: Coworker
    user: UserRecord
    conversation_id: str
    before: Snapshot
    seed_ids: set[str]
    counter: Callable[[], int] = field(repr=False)

    @property
    def database(self) -> SandboxDatabase:
        database: SandboxDatabase = self.sandbox.state.database
        return database

    async def aclose(self) -> None:
        await self.http.aclose()
        await self.store.close()
        await self.database.dispose()


SeedRows = list[tuple[Table, list[dict[str, Any]]]]
_SEEDS: dict[datetime, SeedRows] = {}
MAX_SEEDS = 4


async def seed_rows(now: datetime) -> SeedRows:
    """The demo data as seeded at `now`, as rows per table (parents first).

    Seeding builds a thousand ORM objects; copying its rows into a fresh database is several
    times faster. Every trial of a run starts at the same moment, so the seed is built once
    per run and each trial still gets a database of its own.
    """
    cached = _SEEDS.get(now)
    if cached is not None:
        return cached
    template = SandboxDatabase(IN_MEMORY, seed_demo=False)
    await template.ensure_ready()
    try:
        async with template.sessions() as session:
            await seed_demo_data(session, now=now.astimezone(UTC))
            await session.commit()
        rows: SeedRows = []
        async with template.sessions() as session:
            for table in Base.metadata.sorted_tables:
                result = await session.execute(select(table))
                rows.append((table, [dict(row._mapping) for row in result]))
    finally:
        await template.dispose()
    while len(_SEEDS) >= MAX_SEEDS:  # a run has one moment (a replay, a few): keep the latest
        _SEEDS.pop(next(iter(_SEEDS)))
    _SEEDS[now] = rows
    return rows


def trial_clock(now: datetime) -> Callable[[], datetime]:
    """A clock that starts at `now` and runs at real speed (a replay's "now" is recorded)."""
    started = time.monotonic()
    return lambda: now + timedelta(seconds=time.monotonic() - started)


async def open_world(case: Case, model: Model, settings: Settings, now: datetime) -> World:
    """Seed a sandbox at `now`, place the case's injected data, and build the stack on it."""
    sandbox = create_sandbox_app(database_url=IN_MEMORY, seed_demo=False)
    database: SandboxDatabase = sandbox.state.database
    await database.ensure_ready()
    async with database.sessions() as session:
        for table, rows in await seed_rows(now):
            if rows:
                await session.execute(insert(table), rows)
        await session.commit()
    refs = case.refs
    if case.injections:
        await inject(database, case.injections, refs, now)
    before = await take_snapshot(database)
    counter = itertools.count(1).__next__
    wire = WireLog(httpx.ASGITransport(app=sandbox), counter)
    http = httpx.AsyncClient(
        transport=wire, timeout=httpx.Timeout(settings.dialsheet_timeout_seconds)
    )
    store = await Store.open(IN_MEMORY)
    key = refs.demo.key

    def crm_for(_: UserRecord) -> CrmCaller:
        return DialsheetClient(
            EMBEDDED_SANDBOX_URL,
            key,
            http=http,
            timeout=settings.dialsheet_timeout_seconds,
            max_retries=settings.dialsheet_max_retries,
        )

    coworker = Coworker.from_settings(
        settings, store=store, model=model, crm_for=crm_for, clock=trial_clock(now)
    )
    user = await store.ensure_user(f"eval:{case.user}", display_name=refs.demo.name)
    if case.timezone != user.timezone:
        user = await store.update_user(user.id, timezone=case.timezone)
    conversation_id = await coworker.start_conversation(user, channel="eval")
    return World(
        case=case,
        now=now,
        sandbox=sandbox,
        store=store,
        http=http,
        wire=wire,
        coworker=coworker,
        user=user,
        conversation_id=conversation_id,
        before=before,
        seed_ids=known_ids(before, refs.demo.org_id),
        counter=counter,
    )
