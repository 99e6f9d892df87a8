"""A real Dialsheet at DIALSHEET_BASE_URL, over the network."""

from __future__ import annotations

import logging

import httpx

from coworker.config import Settings
from coworker.crm.backend import LOCAL_USER, CrmBackend
from coworker.dialsheet.contract import Contract
from coworker.errors import DialsheetKeyMissing
from coworker.guards.urls import display_url, has_userinfo, without_userinfo
from coworker.keyvault import KeyVault
from coworker.store.records import UserRecord

log = logging.getLogger("coworker.runtime")


class RemoteDialsheet(CrmBackend):
    def __init__(
        self, settings: Settings, vault: KeyVault, contract: Contract | None = None
    ) -> None:
        configured = settings.dialsheet_base_url or ""
        # Dialsheet authenticates by the Bearer key alone; httpx would turn `user:pass@`
        # into a Basic header that replaces the key, and log it.
        super().__init__(settings, vault, without_userinfo(configured).rstrip("/"), contract)
        self._configured = configured

    async def open(self) -> None:
        if self._http is None and has_userinfo(self._configured):
            log.warning(
                "DIALSHEET_BASE_URL carries user-info (user:password@), which is ignored: "
                "Dialsheet authenticates by the API key alone; requests go to %s",
                display_url(self._configured),
            )
        await super().open()

    def _stand_in_key(self, user: UserRecord) -> str:
        shared = self.settings.dialsheet_api_key
        # DIALSHEET_API_KEY serves a single-user install; on a real CRM nobody else may act
        # (or get summaries) with that person's key.
        if shared is not None and user.external_id == LOCAL_USER:
            return shared.get_secret_value()
        raise DialsheetKeyMissing(
            "connect your Dialsheet API key first (Settings → API Keys in Dialsheet)"
        )

    async def readiness(self) -> str:
        try:
            answer = await self.http.get(f"{self.base_url}/api/v1/tags", timeout=5)
        except httpx.HTTPError as error:
            return f"unreachable: {type(error).__name__}"
        return "ok" if answer.status_code < 500 else f"HTTP {answer.status_code}"

    def describe(self) -> str:
        return display_url(self._configured)
