"""The composition root: Settings in, a ready Coworker service out.

It decides, once, which parts are real and which embedded (DESIGN.md §4): the store
(DATABASE_URL or SQLite in the data directory), the CRM (DIALSHEET_BASE_URL or the embedded
sandbox, called in-process) and the model (ANTHROPIC_API_KEY or the offline model).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from fastapi import FastAPI

from coworker.agent.service import Coworker
from coworker.config import Settings
from coworker.dialsheet.client import DialsheetClient
from coworker.errors import (
    ConfigError,
    DialsheetKeyMissing,
    DialsheetKeyRejected,
    DialsheetUnauthorized,
)
from coworker.guards.urls import display_url, has_userinfo, without_userinfo
from coworker.keyvault import KeyVault
from coworker.llm.base import Model
from coworker.sandbox.app import create_sandbox_app
from coworker.sandbox.database import sandbox_database_url
from coworker.sandbox.faults import FaultPlan
from coworker.sandbox.seed import DEMO_USERS
from coworker.store.engine import database_url
from coworker.store.queries import Store, UserRecord
from coworker.summary.deliver import SummaryChannel, WebChannel
from coworker.tools.executor import CrmCaller

log = logging.getLogger("coworker.runtime")

LOCAL_USER = "local"
EMBEDDED_SANDBOX_URL = "http://sandbox.embedded"


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
    http: httpx.AsyncClient
    sandbox: FastAPI | None
    vault: KeyVault

    async def connect_key(self, user: UserRecord, key: str) -> UserRecord:
        """Check a person's Dialsheet key against the CRM, then keep it, encrypted."""
        base_url = crm_base_url(self.settings, embedded=self.sandbox is not None)
        try:
            client = DialsheetClient(base_url, key, http=self.http, max_retries=1)
        except ConfigError as error:
            raise DialsheetKeyRejected("that does not look like a Dialsheet API key") from error
        try:
            await client.call("list_email_accounts", {})
        except DialsheetUnauthorized as error:
            raise DialsheetKeyRejected("Dialsheet rejected this key (401)") from error
        return await self.store.update_user(
            user.id, dialsheet_key_encrypted=self.vault.encrypt(key)
        )

    async def local_user(self) -> UserRecord:
        """The single-user identity of terminal use and of the web without a signing secret."""
        demo = self.sandbox is not None and not self.settings.dialsheet_api_key
        name = DEMO_USERS[0].name if demo else None
        return await self.store.ensure_user(LOCAL_USER, display_name=name)

    def summary_channels(self) -> dict[str, SummaryChannel]:
        """Where daily summaries can go: always the web; Slack DMs once Slack is set up."""
        channels: dict[str, SummaryChannel] = {"web": WebChannel(self.coworker)}
        if self.settings.slack_enabled:
            from coworker.channels.slack.summary import SlackSummaryChannel

            channels["slack"] = SlackSummaryChannel.from_settings(self.settings, self.coworker)
        return channels

    def describe(self) -> dict[str, str]:
        """Which parts are real, for people (GET /api/me, the start-up log, the terminal):
        URLs without the credentials they may carry."""
        crm = self.settings.dialsheet_base_url
        database = self.settings.database_url
        return {
            "crm": display_url(crm) if crm else "embedded sandbox CRM (demo data)",
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
        await self.http.aclose()
        await self.store.close()
        if self.sandbox is not None:
            await self.sandbox.state.database.dispose()


def crm_base_url(settings: Settings, *, embedded: bool) -> str:
    """The CRM's URL as requests go to it: never with user-info (Dialsheet authenticates by
    the Bearer key alone; httpx would turn `user:pass@` into a Basic header that replaces
    the key, and log it)."""
    if embedded:
        return EMBEDDED_SANDBOX_URL
    return without_userinfo(settings.dialsheet_base_url or "")


def _warn_about_userinfo(settings: Settings) -> None:
    url = settings.dialsheet_base_url
    if url and has_userinfo(url):
        log.warning(
            "DIALSHEET_BASE_URL carries user-info (user:password@), which is ignored: "
            "Dialsheet authenticates by the API key alone; requests go to %s",
            display_url(url),
        )


def _crm_factory(
    settings: Settings, http: httpx.AsyncClient, embedded: bool, vault: KeyVault
) -> Callable[[UserRecord], CrmCaller]:
    base_url = crm_base_url(settings, embedded=embedded)

    def crm_for(user: UserRecord) -> CrmCaller:
        """A client with this person's own key; else the install's shared key."""
        shared = settings.dialsheet_api_key
        if user.dialsheet_key_encrypted:
            key = vault.decrypt(user.dialsheet_key_encrypted)
        elif shared is not None and (embedded or user.external_id == LOCAL_USER):
            # DIALSHEET_API_KEY serves a single-user install; on a real CRM nobody else
            # may act (or get summaries) with that person's key.
            key = shared.get_secret_value()
        elif embedded:
            key = DEMO_USERS[0].key  # the demo CRM's first user stands in for everyone
        else:
            raise DialsheetKeyMissing(
                "connect your Dialsheet API key first (Settings → API Keys in Dialsheet)"
            )
        return DialsheetClient(
            base_url,
            key,
            http=http,
            timeout=settings.dialsheet_timeout_seconds,
            max_retries=settings.dialsheet_max_retries,
        )

    return crm_for


async def open_runtime(
    settings: Settings,
    *,
    model: Model | None = None,
    sandbox: FastAPI | None = None,
    store: Store | None = None,
) -> Runtime:
    embedded = settings.uses_embedded_sandbox
    if not embedded:
        _warn_about_userinfo(settings)
    if embedded and sandbox is None:
        sandbox = create_sandbox_app(
            database_url=sandbox_database_url(settings),
            faults=FaultPlan.from_settings(settings),
            max_body_bytes=settings.sandbox_max_body_bytes,
        )
    if sandbox is not None:
        await sandbox.state.database.ensure_ready()
    timeout = httpx.Timeout(settings.dialsheet_timeout_seconds)
    http = (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox), timeout=timeout)
        if embedded and sandbox is not None
        else httpx.AsyncClient(timeout=timeout)
    )
    if store is None:
        store = await Store.open(database_url(settings))
    model = model or model_from_settings(settings)
    vault = KeyVault.from_settings(settings)
    coworker = Coworker.from_settings(
        settings, store=store, model=model, crm_for=_crm_factory(settings, http, embedded, vault)
    )
    return Runtime(settings, store, model, coworker, http, sandbox if embedded else None, vault)
