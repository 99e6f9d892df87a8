"""The CRM the coworker works in: a remote Dialsheet, or the sandbox embedded in-process.

One `CrmBackend` is built from Settings (`backend_from_settings`) by whoever starts the
process (`coworker serve`, the terminal commands, tests) and handed to the runtime; it alone
knows the CRM's URL, whose key a person's calls use, whether the CRM is reachable and how to
describe it (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from coworker.config import Settings
from coworker.crm.backend import LOCAL_USER, CrmBackend
from coworker.crm.embedded import EmbeddedSandbox
from coworker.crm.remote import RemoteDialsheet
from coworker.dialsheet.contract import load_contract_file
from coworker.keyvault import KeyVault

__all__ = [
    "LOCAL_USER",
    "CrmBackend",
    "EmbeddedSandbox",
    "RemoteDialsheet",
    "backend_from_settings",
]


def backend_from_settings(settings: Settings, *, vault: KeyVault | None = None) -> CrmBackend:
    """DIALSHEET_BASE_URL names a real CRM; without it the demo sandbox runs in-process."""
    vault = vault or KeyVault.from_settings(settings)
    if settings.uses_embedded_sandbox:
        return EmbeddedSandbox.from_settings(settings, vault)
    return RemoteDialsheet(settings, vault, load_contract_file(settings.dialsheet_contract))
