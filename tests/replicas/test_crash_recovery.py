"""A send in flight when `coworker serve` is SIGKILLed is not left `executing` for good.

Real processes throughout: the server is a child process with the embedded sandbox CRM
keeping its data in the data directory (so the CRM's history outlives the kill), configured
so that only POSTs (the send) suffer a fault while reads answer. The server is killed with
SIGKILL while the approved SMS is `executing`, then started again with a short lease; the
test polls, with a bounded deadline, for what the restarted server logs and stores. Nothing
here asserts on timing.

- "answered late": the CRM handled the send and hangs before answering (timeout fault), so
  its history shows it: the action must go executing -> unknown -> succeeded.
- "never arrived": the send waits before the CRM handles it (latency fault) and dies with
  the server: the action must go executing -> unknown and stay there.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from coworker.sandbox.seed import DEMO_USERS
from coworker.store.engine import create_engine
from coworker.store.facade import Store
from coworker.store.records import AuditRecord
from tests.agent.conftest import assert_valid_transcript
from tests.support.databases import shared_database
from tests.support.processes import ChildServer, child_server, coworker, free_port
from tests.support.store_queries import list_audit

DEADLINE_S = 90.0
KEY = DEMO_USERS[0].key
# The send is handled, then the answer hangs (for longer than any test runs).
ANSWERED_LATE = {
    "COWORKER_SANDBOX_TIMEOUT_RATE": "1",
    "COWORKER_SANDBOX_TIMEOUT_SECONDS": "3600",
    "COWORKER_SANDBOX_FAULT_METHODS": "POST",
}
# The send waits before the CRM handles it, so it dies with the server.
NEVER_ARRIVED = {"COWORKER_SANDBOX_LATENCY_MS": "3600000", "COWORKER_SANDBOX_FAULT_METHODS": "POST"}
# After the restart: a lease short enough for a test (the default is minutes).
SHORT_LEASE = {
    "COWORKER_EXECUTING_LEASE_SECONDS": "1",
    "COWORKER_RECOVERY_INTERVAL_SECONDS": "0.2",
}


def _wait_for(check: Callable[[], Any], what: str, deadline_s: float = DEADLINE_S) -> Any:
    """Poll `check` until it returns something truthy; fail (not hang) after the deadline."""
    deadline = time.monotonic() + deadline_s
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _log_of(server: ChildServer) -> str:
    """The child's stderr so far, read without moving the offset the child writes at."""
    fd = server.log.fileno()
    return os.pread(fd, os.fstat(fd).st_size, 0).decode(errors="replace")


def _env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "COWORKER_DATA_DIR": str(tmp_path / "data"),  # the embedded CRM's sandbox.db too
        "COWORKER_SANDBOX_PORT": "0",
        "COWORKER_SCHEDULER": "0",
        "COWORKER_LOG_FORMAT": "text",
    }


def _chat(url: str, message: str, conversation_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message}
    if conversation_id:
        body["conversation_id"] = conversation_id
    answer = httpx.post(f"{url}/api/chat", json=body, timeout=60)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def _action(url: str, action_id: str) -> dict[str, Any]:
    listed = httpx.get(f"{url}/api/actions", timeout=10).json()["actions"]
    (action,) = [a for a in listed if a["id"] == action_id]
    return dict(action)


def _sms_to(crm: str, lead_id: str, message: str) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{crm}/api/v1/sms",
        params={"lead_id": lead_id, "limit": 100},
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return [s for s in answer.json()["sms"] if s["message"] == message]


def _approve_in_background(pool: ThreadPoolExecutor, url: str, action_id: str) -> Future[Any]:
    """Approve over HTTP; the answer never comes (the server dies), which is the point."""

    def approve() -> Any:
        try:
            return httpx.post(f"{url}/api/actions/{action_id}/approve", json={}, timeout=600)
        except httpx.HTTPError as error:
            return error

    return pool.submit(approve)


def _kill(server: ChildServer) -> None:
    server.process.kill()  # SIGKILL: no shutdown code runs
    server.process.wait(timeout=30)


def _executing_gauge(url: str) -> float:
    text = httpx.get(f"{url}/metrics", timeout=10).text
    found = re.search(r'^coworker_pending_actions\{status="executing"\} (\S+)$', text, re.M)
    assert found, text[-2000:]
    return float(found.group(1))


@asynccontextmanager
async def _store(database_url: str) -> AsyncIterator[Store]:
    store = Store(create_engine(database_url))
    try:
        yield store
    finally:
        await store.close()


async def _audit(database_url: str, action_id: str) -> list[AuditRecord]:
    async with _store(database_url) as store:
        return await list_audit(store, action_id=action_id)


@contextmanager
def _server(args: list[str], env: dict[str, str]) -> Iterator[tuple[ChildServer, str]]:
    port = free_port()
    server = ChildServer(["serve", "--port", str(port), *args], port, env)
    try:
        yield server, server.wait_ready("/healthz")
    finally:
        server.stop()


def _crash_mid_send(
    env: dict[str, str], fault: dict[str, str], *, crm: str | None = None
) -> dict[str, Any]:
    """Propose an SMS, approve it, and SIGKILL the server while it is `executing`.

    With "answered late" the kill waits until the CRM's history shows the send (it was
    handled; only its answer is missing). Returns the action as the server last showed it.
    """
    with _server([], {**env, **fault}) as (server, url), ThreadPoolExecutor(1) as pool:
        (action,) = _chat(url, "text Jane: running late")["actions"]
        assert action["tool"] == "send_sms" and action["status"] == "pending"
        approving = _approve_in_background(pool, url, action["id"])
        _wait_for(lambda: _action(url, action["id"])["status"] == "executing", "the claim")
        if fault is ANSWERED_LATE:
            history = crm or f"{url}/sandbox"
            lead, message = action["input"]["lead_id"], action["input"]["message"]
            _wait_for(lambda: _sms_to(history, lead, message), "the send to reach the CRM")
        _kill(server)
        assert isinstance(approving.result(timeout=60), httpx.HTTPError), "no answer came"
        return dict(action)


def _restart_and_watch(env: dict[str, str], action: dict[str, Any], settles_as: str) -> None:
    """Start the server again with a short lease; wait for it to recover the action, and
    look at it as the web UI, the API, /metrics and the CRM show it."""
    action_id, conversation_id = action["id"], action["conversation_id"]
    lead, message = action["input"]["lead_id"], action["input"]["message"]
    with _server([], {**env, **SHORT_LEASE}) as (server, url):
        said = f"action {action_id} recovered: executing -> unknown -> {settles_as}"
        _wait_for(lambda: said in _log_of(server), said)
        assert _action(url, action_id)["status"] == settles_as
        shown = httpx.get(f"{url}/api/conversations/{conversation_id}", timeout=10).json()
        assert [a["status"] for a in shown["actions"]] == [settles_as]
        # Still not pending: deciding again is refused with the real status.
        for decide in ("approve", "reject"):
            answer = httpx.post(f"{url}/api/actions/{action_id}/{decide}", json={}, timeout=30)
            assert answer.status_code == 409, answer.text
            assert answer.json()["status"] == settles_as
        assert _executing_gauge(url) == 0
        # Sent once at most, and never again to find out.
        sent = _sms_to(f"{url}/sandbox", lead, message)
        assert len(sent) == (1 if settles_as == "succeeded" else 0)
        # The conversation goes on: the approval's tool_use gets its one tool_result.
        _chat(url, "thanks", conversation_id)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize(
    ("fault", "settles_as"), [(ANSWERED_LATE, "succeeded"), (NEVER_ARRIVED, "unknown")]
)
async def test_a_send_in_flight_when_the_server_is_killed_is_recovered_after_a_restart(
    backend: str, tmp_path: Path, fault: dict[str, str], settles_as: str
) -> None:
    async with shared_database(backend, tmp_path, purpose="crash") as database_url:
        env = _env(tmp_path, database_url)
        action = await asyncio.to_thread(_crash_mid_send, env, fault)
        action_id, conversation_id = action["id"], action["conversation_id"]
        kinds = [a.kind for a in await _audit(database_url, action_id)]
        assert kinds == ["action.created", "action.approved"], "killed mid-send"

        await asyncio.to_thread(_restart_and_watch, env, action, settles_as)

        audit = await _audit(database_url, action_id)
        expected = ["action.created", "action.approved", "action.recovered"]
        if settles_as == "succeeded":
            expected.append("action.reconciled")
        assert [a.kind for a in audit] == expected
        async with _store(database_url) as store:
            messages = await store.load_messages(conversation_id)
            final = await store.get_action(action_id)
        assert final is not None and final.status == settles_as
        assert_valid_transcript(messages)
        results = [
            block
            for m in messages
            for block in m["content"]
            if block.get("type") == "tool_result" and block["tool_use_id"] == action["tool_use_id"]
        ]
        assert len(results) == 1
        text = str(results[0]["content"])
        assert ("it was done" in text) if settles_as == "succeeded" else ("unknown" in text)


async def test_coworker_actions_reconcile_recovers_an_action_left_executing(
    tmp_path: Path,
) -> None:
    """Without a server running, the CLI recovers (past the lease) and reconciles it."""
    async with shared_database("sqlite", tmp_path, purpose="crash-cli") as database_url:
        env = _env(tmp_path, database_url)
        action = await asyncio.to_thread(_crash_mid_send, env, ANSWERED_LATE)
        out = await asyncio.to_thread(
            coworker, ["actions", "reconcile", action["id"]], {**env, **SHORT_LEASE}
        )
        assert out.strip() == f"{action['id']}: succeeded"
        kinds = [a.kind for a in await _audit(database_url, action["id"])]
        assert kinds == [
            "action.created",
            "action.approved",
            "action.recovered",
            "action.reconciled",
        ]


async def test_coworker_actions_reconcile_leaves_an_action_inside_its_lease(
    tmp_path: Path,
) -> None:
    """An action may still be running elsewhere until its lease is over: hands off."""
    async with shared_database("sqlite", tmp_path, purpose="crash-lease") as database_url:
        env = _env(tmp_path, database_url)
        action = await asyncio.to_thread(_crash_mid_send, env, ANSWERED_LATE)
        with pytest.raises(RuntimeError, match="still executing"):
            await asyncio.to_thread(coworker, ["actions", "reconcile", action["id"]], env)
        kinds = [a.kind for a in await _audit(database_url, action["id"])]
        assert kinds == ["action.created", "action.approved"]


@pytest.mark.postgres
async def test_two_replicas_recover_an_action_of_a_killed_one_exactly_once(
    tmp_path: Path,
) -> None:
    """Three replicas on one PostgreSQL and one CRM process: one is killed mid-send, the
    other two start together and both run recovery; one of them recovers it."""
    async with shared_database("postgres", tmp_path, purpose="crash_replicas") as database_url:
        crm_port = free_port()
        crm_env = {
            "COWORKER_SANDBOX_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}",
            **ANSWERED_LATE,
        }
        with ExitStack() as stack:
            crm = stack.enter_context(
                child_server(
                    ["sandbox", "--port", str(crm_port)], crm_port, "/api/v1/tags", crm_env
                )
            )
            env = {
                **_env(tmp_path, database_url),
                "DIALSHEET_BASE_URL": crm,
                "DIALSHEET_API_KEY": KEY,
                # The client would give up on the hung answer after its timeout; the kill
                # must come first, so the timeout is far longer than the test.
                "COWORKER_DIALSHEET_TIMEOUT": "3600",
            }
            action = await asyncio.to_thread(_crash_mid_send, env, ANSWERED_LATE, crm=crm)
            lead, message = action["input"]["lead_id"], action["input"]["message"]
            replicas = []
            for _ in range(2):
                port = free_port()
                data = {"COWORKER_DATA_DIR": str(tmp_path / f"replica-{port}")}
                args = ["serve", "--port", str(port)]
                replicas.append(ChildServer(args, port, {**env, **SHORT_LEASE, **data}))
            for replica in replicas:
                stack.callback(replica.stop)
            urls = [replica.wait_ready("/healthz") for replica in replicas]

            async def settled() -> bool:
                async with _store(database_url) as store:
                    found = await store.get_action(action["id"])
                return found is not None and found.status == "succeeded"

            deadline = time.monotonic() + DEADLINE_S
            while not await settled():
                assert time.monotonic() < deadline, "the action was never recovered"
                await asyncio.sleep(0.05)
            said = f"action {action['id']} recovered"
            logs = [_log_of(replica) for replica in replicas]
            assert sum(said in log for log in logs) == 1, "one replica recovered it"
            assert all(_action(url, action["id"])["status"] == "succeeded" for url in urls)
            assert len(_sms_to(crm, lead, message)) == 1

        kinds = [a.kind for a in await _audit(database_url, action["id"])]
        assert kinds == [
            "action.created",
            "action.approved",
            "action.recovered",
            "action.reconciled",
        ]
