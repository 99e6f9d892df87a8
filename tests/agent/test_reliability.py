"""At-most-once sends: unknown outcomes, reconciliation, and racing approvals."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from coworker.agent.events import ActionDecided, TurnDone
from coworker.agent.service import Coworker
from coworker.dialsheet.client import DialsheetClient
from coworker.errors import ActionNotPending
from coworker.llm.anthropic import AnthropicModel
from coworker.llm.scripted import ScriptedModel
from coworker.runtime import open_runtime
from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.faults import FaultPlan
from coworker.sandbox.seed import DEMO_USERS, demo_id
from coworker.store.facade import Store
from tests.agent.conftest import assert_valid_transcript, collect, done_of, pending_of, settings_for
from tests.support.anthropic_stub import AnthropicStub, StubReply
from tests.support.databases import shared_database
from tests.support.servers import serve_asgi
from tests.support.store_queries import list_audit

S = ScriptedModel
JANE = demo_id("lead", "northwind:jane-smith")
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}
KEY = DEMO_USERS[0].key


@pytest.fixture
async def crm_over_http() -> AsyncIterator[tuple[str, Any]]:
    """The sandbox on a real port (timeouts need a real socket), with fast-failing faults."""
    app = create_sandbox_app(faults=FaultPlan(timeout_seconds=1.5, retry_after_seconds=0))
    async with serve_asgi(app) as url:
        yield url, app


async def test_send_without_answer_is_unknown_then_reconciled(
    tmp_path: Path, crm_over_http: tuple[str, Any]
) -> None:
    url, app = crm_over_http
    settings = settings_for(
        tmp_path,
        dialsheet_base_url=url,
        dialsheet_api_key=KEY,
        dialsheet_timeout_seconds=0.4,
    )
    runtime = await open_runtime(
        settings, model=ScriptedModel([S.tool_calls(("send_email", EMAIL)), S.text("ok")])
    )
    try:
        user = await runtime.local_user()
        cid = await runtime.coworker.start_conversation(user, channel="test")
        (action,) = pending_of(
            await collect(runtime.coworker.chat(user, "email Jane", conversation_id=cid))
        )
        # The card's effect is read again first (the lead, the mailbox: answered); then the
        # send is handled and its answer never arrives.
        app.state.faults.queue.extend([None, None, "timeout"])
        events = await collect(runtime.coworker.approve(user, action.id))
        (decided,) = [e for e in events if isinstance(e, ActionDecided)]
        assert decided.action.status == "succeeded", "found in the CRM's history"
        kinds = [a.kind for a in await list_audit(runtime.store, action_id=action.id)]
        assert kinds == [
            "action.created",
            "action.approved",
            "action.unknown",
            "action.reconciled",
        ]
        async with DialsheetClient(url, KEY) as client:
            await asyncio.sleep(1.3)  # let the hung answer finish before counting
            sent = await client.call("list_emails", {"lead_id": JANE})
            assert sent["total"] == 1, "sent exactly once"
        assert_valid_transcript(await runtime.store.load_messages(cid))
    finally:
        await runtime.aclose()


async def test_unknown_that_history_cannot_settle_stays_unknown(
    tmp_path: Path, crm_over_http: tuple[str, Any]
) -> None:
    url, app = crm_over_http
    settings = settings_for(
        tmp_path, dialsheet_base_url=url, dialsheet_api_key=KEY, dialsheet_timeout_seconds=0.4
    )
    async with DialsheetClient(url, KEY) as client:
        sequence = (await client.call("list_sequences", {}))["sequences"][1]["id"]
    enroll = {"sequence_id": sequence, "lead_id": JANE}

    def report(request: Any) -> Any:
        return S.text(request.messages[-1]["content"][-1]["content"])

    runtime = await open_runtime(
        settings, model=ScriptedModel([S.tool_calls(("enroll_in_sequence", enroll)), report])
    )
    try:
        user = await runtime.local_user()
        cid = await runtime.coworker.start_conversation(user, channel="test")
        (action,) = pending_of(
            await collect(runtime.coworker.chat(user, "enroll Jane", conversation_id=cid))
        )
        app.state.faults.queue.extend([None, None, "timeout"])  # after the effect's 2 reads
        events = await collect(runtime.coworker.approve(user, action.id))
        (decided,) = [e for e in events if isinstance(e, ActionDecided)]
        assert decided.action.status == "unknown"
        assert "NOT retried" in done_of(events).text
        with pytest.raises(ActionNotPending):
            await collect(runtime.coworker.approve(user, action.id))
        assert (await runtime.coworker.reconcile(user, action.id)).status == "unknown"
    finally:
        await runtime.aclose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_twenty_racing_approvals_execute_once(backend: str, tmp_path: Path) -> None:
    """Two service instances (as on two replicas, no shared lock) race 20 approvals."""
    async with shared_database(backend, tmp_path, purpose="race") as url:
        settings = settings_for(tmp_path, database_url=url)
        runtime = await open_runtime(
            settings, model=ScriptedModel([S.tool_calls(("send_email", EMAIL))])
        )
        other_store = await Store.open(url)
        try:
            user = await runtime.local_user()
            cid = await runtime.coworker.start_conversation(user, channel="test")
            (action,) = pending_of(
                await collect(runtime.coworker.chat(user, "email", conversation_id=cid))
            )
            replica = Coworker(
                store=other_store,
                model=ScriptedModel([S.text("done")] * 20),
                catalog=runtime.coworker.catalog,
                crm_for=runtime.coworker.crm_for,
                policy=runtime.coworker.policy,
            )
            runtime.coworker.model = replica.model
            runtime.coworker.loop.model = replica.model

            async def approve(service: Coworker) -> str:
                try:
                    events = await collect(service.approve(user, action.id))
                except ActionNotPending as refused:
                    return refused.status
                assert isinstance(events[-1], TurnDone)
                return "executed"

            outcomes = await asyncio.gather(
                *(approve(runtime.coworker if i % 2 else replica) for i in range(20))
            )
            assert outcomes.count("executed") == 1, outcomes
            emails = await runtime.coworker.crm_for(user).call("list_emails", {"lead_id": JANE})
            assert emails["total"] == 1
        finally:
            await other_store.close()
            await runtime.aclose()


async def test_the_loop_through_the_real_sdk_and_the_stub(tmp_path: Path) -> None:
    stub = AnthropicStub(echo=False)
    stub.plan(
        StubReply.tool_use("search_leads", {"search": "acme", "status": "new"}),
        StubReply.text("There are new leads at Acme."),
    )
    async with stub.serve() as url:
        model = AnthropicModel("sk-ant-test-not-real", base_url=url, max_retries=0)
        runtime = await open_runtime(settings_for(tmp_path), model=model)
        try:
            user = await runtime.local_user()
            cid = await runtime.coworker.start_conversation(user, channel="test")
            events = await collect(
                runtime.coworker.chat(user, "new leads at acme?", conversation_id=cid)
            )
            assert done_of(events).text == "There are new leads at Acme."
            second = stub.requests[1].body
            result = second["messages"][-1]["content"][0]
            assert result["type"] == "tool_result" and "Jane Smith" in str(result["content"])
            assert second["tools"][-1]["cache_control"] == {"type": "ephemeral"}
            assert_valid_transcript(await runtime.store.load_messages(cid))
        finally:
            await runtime.aclose()
