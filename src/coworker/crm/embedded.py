"""The sandbox CRM with its demo data, called in-process (and mounted at /sandbox by serve).

The only place outside the sandbox that knows about the demo data: who stands in for a
person with no key (the first demo user) and what the local user is called.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from coworker.config import Settings
from coworker.crm.backend import CrmBackend
from coworker.dialsheet.contract import Contract
from coworker.keyvault import KeyVault
from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.database import SandboxDatabase, sandbox_database_url
from coworker.sandbox.faults import FaultPlan
from coworker.sandbox.seed import DEMO_USERS
from coworker.store.records import UserRecord

# Requests to the in-process sandbox never leave the process: any host works, this one
# says where they go.
EMBEDDED_SANDBOX_URL = "http://sandbox.embedded"


class EmbeddedSandbox(CrmBackend):
    def __init__(
        self, settings: Settings, vault: KeyVault, app: FastAPI, contract: Contract | None = None
    ) -> None:
        super().__init__(settings, vault, EMBEDDED_SANDBOX_URL, contract)
        self.app = app  # the sandbox's ASGI app: called in-process, mounted, or served alone

    @classmethod
    def from_settings(cls, settings: Settings, vault: KeyVault) -> EmbeddedSandbox:
        app = create_sandbox_app(
            database_url=sandbox_database_url(settings),
            faults=FaultPlan.from_settings(settings),
            max_body_bytes=settings.sandbox_max_body_bytes,
        )
        return cls(settings, vault, app)

    @property
    def database(self) -> SandboxDatabase:
        database: SandboxDatabase = self.app.state.database
        return database

    def _transport(self) -> httpx.AsyncBaseTransport:
        return httpx.ASGITransport(app=self.app)

    async def open(self) -> None:
        await self.database.ensure_ready()
        await super().open()

    async def aclose(self) -> None:
        await super().aclose()
        await self.database.dispose()

    def _stand_in_key(self, user: UserRecord) -> str:
        # On the demo CRM a shared DIALSHEET_API_KEY serves everyone; without one, the demo
        # CRM's first user stands in for everyone.
        shared = self.settings.dialsheet_api_key
        return shared.get_secret_value() if shared is not None else DEMO_USERS[0].key

    def local_display_name(self) -> str | None:
        return None if self.settings.dialsheet_api_key else DEMO_USERS[0].name

    async def readiness(self) -> str:
        await self.database.ensure_ready()
        return "ok (embedded sandbox)"

    def describe(self) -> str:
        return "embedded sandbox CRM (demo data)"
