"""One CRM backend per process: where requests go, whose key they carry, how it is shown."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from coworker.crm import EmbeddedSandbox, RemoteDialsheet, backend_from_settings
from coworker.crm.embedded import EMBEDDED_SANDBOX_URL
from coworker.errors import DialsheetKeyMissing, DialsheetKeyRejected
from coworker.keyvault import KeyVault
from coworker.sandbox.seed import DEMO_USERS
from coworker.store.records import UserRecord
from tests.agent.conftest import settings_for


def _person(external_id: str, encrypted: str | None = None) -> UserRecord:
    now = datetime.now(UTC)
    return UserRecord(
        f"id-{external_id}",
        external_id,
        None,
        encrypted,
        "UTC",
        False,
        "08:00",
        "",
        "web",
        now,
        now,
    )


def test_settings_choose_the_remote_crm_or_the_embedded_sandbox(tmp_path: Path) -> None:
    real = settings_for(
        tmp_path,
        dialsheet_base_url="https://u:p4ss@www.dialsheet.io/",
        dialsheet_api_key="ds_shared_key",
        dialsheet_max_retries=1,
    )
    remote = backend_from_settings(real)
    assert isinstance(remote, RemoteDialsheet)
    assert remote.base_url == "https://www.dialsheet.io"  # user-info never sent
    assert remote.describe() == "https://www.dialsheet.io/"
    embedded = backend_from_settings(settings_for(tmp_path))
    assert isinstance(embedded, EmbeddedSandbox)
    assert embedded.base_url == EMBEDDED_SANDBOX_URL
    assert embedded.describe() == "embedded sandbox CRM (demo data)"


async def test_on_a_real_crm_only_the_local_user_gets_the_shared_key(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        dialsheet_base_url="https://crm.test",
        dialsheet_api_key=SecretStr("ds_shared_key"),
        dialsheet_max_retries=1,
    )
    vault = KeyVault.from_settings(settings)
    backend = RemoteDialsheet(settings, vault)
    await backend.open()
    try:
        local = backend.client_for(_person("local"))
        assert local._key == "ds_shared_key" and local.max_retries == 1
        own = backend.client_for(_person("web:sam", vault.encrypt("ds_sams_own_key")))
        assert own._key == "ds_sams_own_key"
        with pytest.raises(DialsheetKeyMissing):
            backend.client_for(_person("web:someone"))
        assert backend.local_display_name() is None
    finally:
        await backend.aclose()


async def test_the_sandbox_stands_in_with_its_first_demo_user(tmp_path: Path) -> None:
    backend = backend_from_settings(settings_for(tmp_path))
    await backend.open()
    try:
        assert backend.client_for(_person("web:anyone"))._key == DEMO_USERS[0].key
        assert backend.local_display_name() == DEMO_USERS[0].name
        assert await backend.readiness() == "ok (embedded sandbox)"
        await backend.check_key(DEMO_USERS[1].key)
        with pytest.raises(DialsheetKeyRejected, match="401"):
            await backend.check_key("ds_not_a_demo_key")
        with pytest.raises(DialsheetKeyRejected, match="does not look like"):
            await backend.check_key("not a key")
    finally:
        await backend.aclose()
    # Reopenable: one app's lifespan may run more than once.
    await backend.open()
    await backend.aclose()


async def test_an_unreachable_crm_is_reported_not_raised(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, dialsheet_base_url="http://127.0.0.1:9")
    backend = RemoteDialsheet(settings, KeyVault.from_settings(settings))
    await backend.open()
    try:
        assert (await backend.readiness()).startswith("unreachable: ")
    finally:
        await backend.aclose()
