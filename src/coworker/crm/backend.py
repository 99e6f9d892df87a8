"""What every CRM backend does the same way: its HTTP client, a person's client, key checks.

The two kinds differ only where the CRM itself differs: where requests go (and through
which transport), whose key stands in when a person has connected none, how readiness is
checked and how the CRM is described to people. Those are the abstract methods.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import httpx

from coworker.config import Settings
from coworker.dialsheet.client import DialsheetClient
from coworker.dialsheet.contract import Contract, load_contract
from coworker.errors import ConfigError, DialsheetKeyRejected, DialsheetUnauthorized
from coworker.keyvault import KeyVault
from coworker.store.records import UserRecord

# The external id of the single-user identity: the terminal, stdio MCP, and the web API
# without a signing secret. A shared DIALSHEET_API_KEY is that person's key.
LOCAL_USER = "local"


class CrmBackend(ABC):
    """One CRM for the whole process; `open()` before use, `aclose()` after (reopenable, so
    one app's lifespan can run more than once)."""

    def __init__(
        self, settings: Settings, vault: KeyVault, base_url: str, contract: Contract | None = None
    ) -> None:
        self.settings = settings
        self.vault = vault
        self.base_url = base_url  # as requests go to it: never with user-info
        # What this CRM answers to: its clients route by it and the tools are generated from it.
        self.contract = contract or load_contract()
        self._http: httpx.AsyncClient | None = None

    @property
    def http(self) -> httpx.AsyncClient:
        """The one connection pool every person's client shares (keys travel per request)."""
        if self._http is None:
            raise RuntimeError("the CRM backend is not open")
        return self._http

    async def open(self) -> None:
        if self._http is None:
            timeout = httpx.Timeout(self.settings.dialsheet_timeout_seconds)
            self._http = httpx.AsyncClient(transport=self._transport(), timeout=timeout)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def _transport(self) -> httpx.AsyncBaseTransport | None:
        """None: the network."""
        return None

    # -- whose key ------------------------------------------------------------------------

    def client_for(self, user: UserRecord) -> DialsheetClient:
        """A client with this person's own key; else whatever this CRM lets stand in."""
        if user.dialsheet_key_encrypted:
            key = self.vault.decrypt(user.dialsheet_key_encrypted)
        else:
            key = self._stand_in_key(user)
        return DialsheetClient(
            self.base_url,
            key,
            http=self.http,
            timeout=self.settings.dialsheet_timeout_seconds,
            max_retries=self.settings.dialsheet_max_retries,
            contract=self.contract,
        )

    @abstractmethod
    def _stand_in_key(self, user: UserRecord) -> str:
        """The key for a person who connected none, or DialsheetKeyMissing."""

    def local_display_name(self) -> str | None:
        """The name the local user goes by, when the CRM says who they are."""
        return None

    async def check_key(self, key: str) -> None:
        """DialsheetKeyRejected unless the CRM accepts `key` (one cheap, read-only call)."""
        try:
            client = DialsheetClient(
                self.base_url, key, http=self.http, max_retries=1, contract=self.contract
            )
        except ConfigError as error:
            raise DialsheetKeyRejected("that does not look like a Dialsheet API key") from error
        try:
            await client.call("list_email_accounts", {})
        except DialsheetUnauthorized as error:
            raise DialsheetKeyRejected("Dialsheet rejected this key (401)") from error

    # -- for operators ----------------------------------------------------------------------

    @abstractmethod
    async def readiness(self) -> str:
        """'ok...' when the CRM answers, else what is wrong (for /readyz; never raises)."""

    @abstractmethod
    def describe(self) -> str:
        """Which CRM, for people (GET /api/me, the start-up log, the terminal banner)."""
