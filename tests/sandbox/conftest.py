from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.seed import DEMO_USERS

ALEX, SAM, JORDAN = DEMO_USERS[0], DEMO_USERS[1], DEMO_USERS[2]


def auth(user: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {user.key}"}  # type: ignore[attr-defined]


@pytest.fixture
async def crm() -> AsyncIterator[httpx.AsyncClient]:
    """A fresh seeded sandbox per test, called in-process over ASGI."""
    app = create_sandbox_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        yield client
    await app.state.database.dispose()
