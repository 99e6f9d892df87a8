"""The composition root: Settings in, a ready Coworker service out.

It decides, once, which parts are real and which embedded (docs/ARCHITECTURE.md): the store
(DATABASE_URL or SQLite in the data directory), the CRM (a `CrmBackend`: DIALSHEET_BASE_URL or
the embedded sandbox, called in-process) and the model (ANTHROPIC_API_KEY or the offline model).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from coworker.agent.service import Coworker
from coworker.config import Settings
from coworker.crm import LOCAL_USER, CrmBackend, backend_from_settings
from coworker.guards.urls import display_url
from coworker.llm.base import Model
from coworker.store.engine import database_url
from coworker.store.facade import Store
from coworker.store.records import UserRecord
from coworker.tools.catalog import build_catalog

log = logging.getLogger("coworker.runtime")

__all__ = ["LOCAL_USER", "Runtime", "model_from_settings", "open_runtime"]


def model_from_settings(settings: Settings) -> Model:
    if settings.anthropic_api_key is not None:
        from coworker.llm.anthropic import DEFAULT_MODEL, AnthropicModel

        return AnthropicModel(
            settings.anthropic_api_key.get_secret_value(),
            model=settings.model or DEFAULT_MODEL,
            base_url=settings.anthropic_base_url,
        )
    from coworker.llm.offline import OfflineModel

    return OfflineModel()


@dataclass
class Runtime:
    settings: Settings
    store: Store
    model: Model
    coworker: Coworker
    backend: CrmBackend

    async def connect_key(self, user: UserRecord, key: str) -> UserRecord:
        """Check a person's Dialsheet key against the CRM, then keep it, encrypted."""
        await self.backend.check_key(key)
        return await self.store.update_user(
            user.id, dialsheet_key_encrypted=self.backend.vault.encrypt(key)
        )

    async def local_user(self) -> UserRecord:
        """The single-user identity of terminal use and of the web without a signing secret."""
        name = self.backend.local_display_name()
        return await self.store.ensure_user(LOCAL_USER, display_name=name)

    async def web_user(self, subject: str) -> UserRecord:
        """The person a web (or MCP) token names: `web:<sub>`, created on first sight."""
        return await self.store.ensure_user(f"web:{subject}", display_name=subject)

    async def named_user(self, name: str) -> UserRecord:
        """A person by external id (`web:alice`) or by a token's subject (`alice`), created
        on first sight (connecting a key for someone before they first sign in)."""
        if ":" not in name:
            return await self.web_user(name)
        return await self.store.ensure_user(name, display_name=name.split(":")[-1])

    async def find_person(self, ref: str) -> UserRecord | None:
        """A stored person by id, external id, or a token's subject (`alice`: `web:alice`)."""
        found = await self.store.get_user(ref) or await self.store.find_user(ref)
        if found is None and ":" not in ref:
            found = await self.store.find_user(f"web:{ref}")
        return found

    def describe(self) -> dict[str, str]:
        """Which parts are real, for people (GET /api/me, the start-up log, the terminal):
        URLs without the credentials they may carry."""
        database = self.settings.database_url
        return {
            "crm": self.backend.describe(),
            "database": f"DATABASE_URL ({display_url(database)})"
            if database
            else "embedded SQLite",
            "model": (
                "offline model (deterministic; set ANTHROPIC_API_KEY for Claude)"
                if self.model.name == "offline"
                else self.model.name
            ),
        }

    async def aclose(self) -> None:
        await self.model.aclose()
        await self.backend.aclose()
        await self.store.close()


async def open_runtime(
    settings: Settings,
    *,
    model: Model | None = None,
    backend: CrmBackend | None = None,
    store: Store | None = None,
) -> Runtime:
    """Open the parts; `backend` (built once by `coworker serve`, a test or the server) is
    opened here and closed with the runtime."""
    backend = backend or backend_from_settings(settings)
    await backend.open()
    if store is None:
        store = await Store.open(database_url(settings))
    model = model or model_from_settings(settings)
    coworker = Coworker.from_settings(
        settings,
        store=store,
        model=model,
        crm_for=backend.client_for,
        catalog=build_catalog(backend.contract),  # the tools of the CRM's own contract
    )
    return Runtime(settings, store, model, coworker, backend)
