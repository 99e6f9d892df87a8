"""An approval binds to the effect the person saw, not only to the tool's arguments.

The CRM resolves some recipients when it acts (`POST /sms` carries only a lead id; an
enrollment reaches the lead's email and phone; a delete removes whatever the id is now), so
the coworker reads again, after the claim and before the call, what the call would act on.
If anything on the card changed, the action ends `stale`: nothing is sent, the person is
told what changed, and the model is asked to propose a fresh card. Every case runs against
the real sandbox on a real port, changed the way a colleague or an MCP client would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from coworker.agent.events import ACTION_STATUSES, ActionDecided, ActionView, Event
from coworker.dialsheet.client import DialsheetClient
from coworker.llm.base import ModelRequest, ModelTurn
from coworker.llm.scripted import ScriptedModel
from coworker.runtime import Runtime, open_runtime
from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.faults import FaultPlan
from coworker.sandbox.seed import DEMO_USERS, demo_id
from tests.agent.conftest import (
    assert_valid_transcript,
    collect,
    done_of,
    pending_of,
    settings_for,
    tool_results,
)
from tests.support.servers import serve_asgi
from tests.support.store_queries import list_audit

S = ScriptedModel
KEY = DEMO_USERS[0].key
JANE = demo_id("lead", "northwind:jane-smith")
OLD_PHONE, NEW_PHONE = "+1-555-000-1234", "+1-555-999-0000"
SMS = {"lead_id": JANE, "message": "Are you free for a call tomorrow?"}
EMAIL = {"lead_id": JANE, "subject": "Pricing", "body_text": "Hi Jane, here is our pricing."}
STALE_MARK = "since you saw the card"


class Crm:
    """The sandbox on a real port, its database in a file a test can also change directly
    (mailboxes and sequences have no write endpoint, as in Dialsheet)."""

    def __init__(self, url: str, app: Any, db: Path) -> None:
        self.url, self.app, self.db = url, app, db

    async def call(self, operation: str, **arguments: Any) -> dict[str, Any]:
        async with DialsheetClient(self.url, KEY) as client:
            return await client.call(operation, arguments)

    def sql(self, statement: str, *params: Any) -> None:
        with sqlite3.connect(self.db) as conn:
            conn.execute(statement, params)

    async def sms(self) -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = (await self.call("list_sms", lead_id=JANE))["sms"]
        return sent

    async def emails(self) -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = (await self.call("list_emails", lead_id=JANE))["emails"]
        return sent


@pytest.fixture
async def crm(tmp_path: Path) -> AsyncIterator[Crm]:
    db = tmp_path / "crm.db"
    app = create_sandbox_app(
        database_url=f"sqlite+aiosqlite:///{db}",
        faults=FaultPlan(timeout_seconds=1.0, retry_after_seconds=0),
    )
    async with serve_asgi(app) as url:
        yield Crm(url, app, db)


Open = Callable[[list[Any]], Awaitable[Runtime]]


@pytest.fixture
async def open_coworker(tmp_path: Path, crm: Crm) -> AsyncIterator[Open]:
    """The coworker reading and writing that CRM over HTTP, with a scripted model."""
    opened: list[Runtime] = []

    async def open_(turns: list[Any]) -> Runtime:
        settings = settings_for(
            tmp_path / f"cw{len(opened)}",
            dialsheet_base_url=crm.url,
            dialsheet_api_key=KEY,
            dialsheet_max_retries=0,
        )
        runtime = await open_runtime(settings, model=ScriptedModel(turns))
        opened.append(runtime)
        return runtime

    yield open_
    for runtime in opened:
        await runtime.aclose()


def again_if_stale(tool: str, arguments: dict[str, Any]) -> Callable[[ModelRequest], ModelTurn]:
    """A model that does what the stale tool_result asks: propose the same call again."""

    def turn(request: ModelRequest) -> ModelTurn:
        (result,) = tool_results(request)
        assert STALE_MARK in result["content"] and "propose it again" in result["content"]
        return S.tool_calls((tool, arguments), text="It changed; here is a fresh card.")

    return turn


def report(request: ModelRequest) -> ModelTurn:
    return S.text("Outcome: " + tool_results(request)[-1]["content"])


async def propose(runtime: Runtime, text: str = "go") -> tuple[str, ActionView]:
    user = await runtime.local_user()
    cid = await runtime.coworker.start_conversation(user, channel="test")
    (action,) = pending_of(await collect(runtime.coworker.chat(user, text, conversation_id=cid)))
    return cid, action


async def approve(runtime: Runtime, action_id: str, **edits: str) -> tuple[ActionView, list[Event]]:
    user = await runtime.local_user()
    events = await collect(runtime.coworker.approve(user, action_id, edits or None))
    (decided,) = [e.action for e in events if isinstance(e, ActionDecided)]
    return decided, events


async def audit_kinds(runtime: Runtime, action_id: str) -> list[str]:
    return [a.kind for a in await list_audit(runtime.store, action_id=action_id)]


async def test_an_sms_whose_phone_changed_after_the_card_is_stale_and_sent_to_nobody(
    crm: Crm, open_coworker: Open
) -> None:
    runtime = await open_coworker(
        [S.tool_calls(("send_sms", SMS)), again_if_stale("send_sms", SMS), report]
    )
    cid, card = await propose(runtime, "text Jane")
    assert card.display["to"] == f"Jane Smith <{OLD_PHONE}>"
    await crm.call("update_lead", id=JANE, phone=NEW_PHONE)  # after the card, before approval

    decided, events = await approve(runtime, card.id)
    told = (
        f"The phone for Jane Smith changed from {OLD_PHONE} to {NEW_PHONE} since you saw the "
        "card; nothing was sent."
    )
    assert decided.status == "stale" and decided.error == told
    assert await crm.sms() == [], "nothing reached the new number (or any number)"
    assert await audit_kinds(runtime, card.id) == [
        "action.created",
        "action.approved",
        "action.stale",
    ]
    # The model was told what changed and proposed a fresh card with the new number.
    (fresh,) = pending_of(events)
    assert fresh.id != card.id and fresh.display["to"] == f"Jane Smith <{NEW_PHONE}>"
    assert done_of(events).stop_reason == "confirmation"

    decided, _ = await approve(runtime, fresh.id)
    assert decided.status == "succeeded"
    (sent,) = await crm.sms()
    assert sent["to_phone"] == NEW_PHONE, "the number the person saw on the fresh card"
    assert_valid_transcript(await runtime.store.load_messages(cid))


async def test_an_unchanged_card_sends_exactly_once_with_the_persons_edits(
    crm: Crm, open_coworker: Open
) -> None:
    runtime = await open_coworker([S.tool_calls(("send_sms", SMS)), report])
    _, card = await propose(runtime)
    # Unrelated changes to the lead are not on the card, and edits are not effect changes.
    await crm.call("update_lead", id=JANE, status="contacted", title="COO")
    decided, events = await approve(runtime, card.id, message="Edited: free at 3pm?")
    assert decided.status == "succeeded"
    (sent,) = await crm.sms()
    assert sent["message"] == "Edited: free at 3pm?" and sent["to_phone"] == OLD_PHONE
    assert done_of(events).text.startswith("Outcome: The person approved this with their edits")
    stored = await runtime.store.get_action(card.id)
    assert stored is not None and stored.effect == {
        "lead": {"id": JANE, "name": "Jane Smith", "company": "Acme Corp", "phone": OLD_PHONE}
    }


async def test_an_email_still_goes_to_the_address_on_the_card_when_the_lead_changes(
    crm: Crm, open_coworker: Open
) -> None:
    """The email API carries the recipient, so the coworker sends the address the person
    saw: the lead's new address on file is not where this approved email goes, and the
    effect of the card (to jane@acme.com, from this mailbox) is unchanged, so it runs."""
    runtime = await open_coworker([S.tool_calls(("send_email", EMAIL)), report])
    _, card = await propose(runtime)
    assert card.display["to"] == card.input["to_email"] == "jane@acme.com"
    await crm.call("update_lead", id=JANE, email="attacker@evil.example")
    decided, _ = await approve(runtime, card.id)
    assert decided.status == "succeeded"
    (sent,) = await crm.emails()
    assert sent["to_email"] == "jane@acme.com"


@pytest.mark.parametrize("change", ["renamed", "deleted"])
async def test_an_email_whose_mailbox_changed_or_went_away_is_stale(
    crm: Crm, open_coworker: Open, change: str
) -> None:
    runtime = await open_coworker([S.tool_calls(("send_email", EMAIL)), report])
    _, card = await propose(runtime)
    mailbox, address = card.input["email_account_id"], card.display["from"]
    if change == "renamed":
        crm.sql(
            "UPDATE email_accounts SET email = ? WHERE id = ?", "ops@elsewhere.example", mailbox
        )
        said = f"The mailbox {address} is now ops@elsewhere.example since you saw the card"
    else:
        crm.sql("DELETE FROM email_accounts WHERE id = ?", mailbox)
        said = f"The mailbox {address} no longer exists since you saw the card"
    decided, events = await approve(runtime, card.id)
    assert decided.status == "stale"
    assert decided.error == f"{said}; nothing was sent."
    assert await crm.emails() == []
    assert said in done_of(events).text


async def _a_sequence(crm: Crm) -> dict[str, Any]:
    sequences = (await crm.call("list_sequences"))["sequences"]
    active: dict[str, Any] = next(s for s in sequences if s["status"] == "active")
    return active


@pytest.mark.parametrize("change", ["lead email", "lead phone", "sequence renamed", "removed"])
async def test_an_enrollment_whose_lead_or_sequence_changed_is_stale(
    crm: Crm, open_coworker: Open, change: str
) -> None:
    sequence = await _a_sequence(crm)
    enroll = {"sequence_id": sequence["id"], "lead_id": JANE}
    runtime = await open_coworker([S.tool_calls(("enroll_in_sequence", enroll)), report])
    _, card = await propose(runtime)
    assert card.display["sequence"] == sequence["name"]
    assert card.display["to"] == f"Jane Smith <jane@acme.com, {OLD_PHONE}>"
    if change == "lead email":
        await crm.call("update_lead", id=JANE, email="jane@attacker.example")
        said = "the email for Jane Smith changed from jane@acme.com to jane@attacker.example"
    elif change == "lead phone":
        await crm.call("update_lead", id=JANE, phone=None)
        said = f"the phone for Jane Smith changed from {OLD_PHONE} to (none)"
    elif change == "sequence renamed":
        crm.sql("UPDATE sequences SET name = ? WHERE id = ?", "Spam blast", sequence["id"])
        said = f"the sequence {sequence['name']} is now Spam blast"
    else:
        crm.sql("DELETE FROM sequences WHERE id = ?", sequence["id"])
        said = f"the sequence {sequence['name']} no longer exists"
    decided, _ = await approve(runtime, card.id)
    assert decided.status == "stale"
    assert decided.error == f"{said[0].upper()}{said[1:]} since you saw the card; nothing was sent."
    lead = (await crm.call("get_lead", id=JANE))["lead"]
    assert lead["name"] == "Jane Smith"  # the lead is there; only the enrollment did not run


async def test_a_delete_whose_record_was_renamed_is_stale_and_deletes_nothing(
    crm: Crm, open_coworker: Open
) -> None:
    runtime = await open_coworker([S.tool_calls(("delete_lead", {"lead_id": JANE})), report])
    _, card = await propose(runtime)
    assert card.display["lead"] == "Jane Smith (Acme Corp)"
    await crm.call("update_lead", id=JANE, name="Janet Smithers")
    decided, _ = await approve(runtime, card.id)
    assert decided.status == "stale"
    assert decided.error == (
        "The lead Jane Smith is now Janet Smithers since you saw the card; nothing was deleted."
    )
    assert (await crm.call("get_lead", id=JANE))["lead"]["name"] == "Janet Smithers"


async def test_a_task_delete_binds_to_the_title_shown(crm: Crm, open_coworker: Open) -> None:
    task = (await crm.call("create_task", title="Call Jane back", lead_id=JANE))["task"]
    runtime = await open_coworker([S.tool_calls(("delete_task", {"task_id": task["id"]})), report])
    _, card = await propose(runtime)
    assert card.display["task"] == "Call Jane back"
    await crm.call("update_task", id=task["id"], title="Renew the Acme contract")
    decided, _ = await approve(runtime, card.id)
    assert decided.status == "stale" and "The task Call Jane back is now Renew" in str(
        decided.error
    )
    tasks = (await crm.call("list_tasks", lead_id=JANE, limit=100))["tasks"]
    assert task["id"] in [t["id"] for t in tasks]


async def test_a_crm_that_cannot_be_read_again_fails_safe_and_sends_nothing(
    crm: Crm, open_coworker: Open
) -> None:
    runtime = await open_coworker([S.tool_calls(("send_sms", SMS)), report])
    _, card = await propose(runtime)
    crm.app.state.faults.queue.extend(["error"] * 3)  # the re-read gets a 500
    decided, events = await approve(runtime, card.id)
    crm.app.state.faults.queue.clear()
    assert decided.status == "failed"
    assert decided.error is not None and decided.error.startswith(
        "Could not check with the CRM what this would act on"
    )
    assert decided.error.endswith("so it was not run; nothing was sent.")
    assert await crm.sms() == []
    assert "It was NOT run" in done_of(events).text
    kinds = await audit_kinds(runtime, card.id)
    assert kinds == ["action.created", "action.approved", "action.failed"]


async def test_racing_approvals_of_a_stale_card_check_once_and_send_nothing(
    crm: Crm, open_coworker: Open
) -> None:
    import asyncio

    from coworker.errors import ActionNotPending

    runtime = await open_coworker([S.tool_calls(("send_sms", SMS)), report])
    _, card = await propose(runtime)
    await crm.call("update_lead", id=JANE, phone=NEW_PHONE)
    user = await runtime.local_user()
    outcomes = await asyncio.gather(
        *(collect(runtime.coworker.approve(user, card.id)) for _ in range(5)),
        return_exceptions=True,
    )
    refused = [o for o in outcomes if isinstance(o, ActionNotPending)]
    assert len(refused) == 4 and all(o.status == "stale" for o in refused)
    assert await crm.sms() == []
    assert (await audit_kinds(runtime, card.id)).count("action.stale") == 1


def test_stale_is_one_of_the_statuses_every_channel_and_metric_knows() -> None:
    assert "stale" in ACTION_STATUSES


async def test_an_action_stored_before_effects_were_kept_is_checked_by_its_card(
    crm: Crm, open_coworker: Open
) -> None:
    """Actions created before migration 0003 have no effect: the card's names, which are
    derived from the same reads, are compared instead."""
    from sqlalchemy import update

    from coworker.store.tables import PendingAction

    runtime = await open_coworker([S.tool_calls(("send_sms", SMS)), report])
    _, card = await propose(runtime)
    async with runtime.store.engine.begin() as conn:
        await conn.execute(
            update(PendingAction).where(PendingAction.id == card.id).values(effect=None)
        )
    await crm.call("update_lead", id=JANE, phone=NEW_PHONE)
    decided, _ = await approve(runtime, card.id)
    assert decided.status == "stale"
    assert decided.error == (
        f"The to on the card changed from Jane Smith <{OLD_PHONE}> to Jane Smith <{NEW_PHONE}> "
        "since you saw the card; nothing was sent."
    )
    assert await crm.sms() == []


def test_every_id_a_tool_takes_can_be_read_back() -> None:
    """A new tool (or a new `*_id` input) whose record the effect cannot read would make its
    approvals unbindable: it fails here, not at a person's approval."""
    from coworker.tools.catalog import build_catalog
    from coworker.tools.effect import resource_for

    for tool in build_catalog():
        for name in tool.validation_schema["properties"]:
            if name.endswith("_id"):
                assert resource_for(name) is not None, (tool.name, name)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_the_effect_is_stored_and_checked_on_every_store(
    crm: Crm, tmp_path: Path, backend: str
) -> None:
    from tests.support.databases import shared_database

    async with shared_database(backend, tmp_path, purpose="effect") as url:
        settings = settings_for(
            tmp_path / backend,
            database_url=url,
            dialsheet_base_url=crm.url,
            dialsheet_api_key=KEY,
        )
        runtime = await open_runtime(
            settings, model=ScriptedModel([S.tool_calls(("send_sms", SMS)), report])
        )
        try:
            _, card = await propose(runtime)
            stored = await runtime.store.get_action(card.id)
            assert stored is not None and stored.effect is not None
            assert stored.effect["lead"]["phone"] == OLD_PHONE
            await crm.call("update_lead", id=JANE, phone=NEW_PHONE)
            decided, _ = await approve(runtime, card.id)
            assert decided.status == "stale" and await crm.sms() == []
            assert [a.status for a in await runtime.store.list_actions(status="stale")] == ["stale"]
        finally:
            await runtime.aclose()
