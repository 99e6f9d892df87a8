"""Faults limited to some methods: a send can hang (or fail) while reads still answer, as
the crash-recovery tests need (tests/replicas/test_crash_recovery.py)."""

from __future__ import annotations

import httpx

from coworker.config import Settings
from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.faults import FaultPlan
from coworker.sandbox.seed import DEMO_USERS, demo_id

JANE = demo_id("lead", "northwind:jane-smith")
HEADERS = {"Authorization": f"Bearer {DEMO_USERS[0].key}"}


def test_the_methods_come_from_the_settings() -> None:
    settings = Settings(_env_file=None, sandbox_fault_methods=" post, Put ")
    plan = FaultPlan.from_settings(settings)
    assert plan.methods == frozenset({"POST", "PUT"})
    assert plan.applies_to("post") and not plan.applies_to("GET")
    assert FaultPlan().applies_to("GET"), "no methods named: every request"


async def test_only_the_named_methods_suffer_faults() -> None:
    app = create_sandbox_app(faults=FaultPlan(error_rate=1.0, methods=frozenset({"POST"})))
    await app.state.database.ensure_ready()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        read = await client.get("/api/v1/sms", params={"lead_id": JANE}, headers=HEADERS)
        sent = await client.post(
            "/api/v1/sms", json={"lead_id": JANE, "message": "hi"}, headers=HEADERS
        )
    await app.state.database.dispose()
    assert read.status_code == 200
    assert sent.status_code == 503 and "fault injection" in sent.json()["error"]
