"""Settings: what production refuses to start with."""

from __future__ import annotations

from typing import Any

import pytest

from coworker.config import Settings
from coworker.errors import ConfigError

PRODUCTION: dict[str, Any] = {
    "environment": "production",
    "dialsheet_base_url": "https://www.dialsheet.io",
    "web_secret": "a-real-web-secret",
    "_env_file": None,
}


def test_production_with_what_it_needs_starts() -> None:
    assert Settings(**PRODUCTION).web_secret is not None


@pytest.mark.parametrize("web_secret", [None, "", "   ", "changeme", "change-me"])
def test_production_refuses_to_start_without_a_web_secret(web_secret: str | None) -> None:
    with pytest.raises(ConfigError, match="COWORKER_WEB_SECRET") as refused:
        Settings(**{**PRODUCTION, "web_secret": web_secret})
    assert "local user" in refused.value.message


def test_production_still_refuses_the_embedded_sandbox() -> None:
    with pytest.raises(ConfigError, match="DIALSHEET_BASE_URL"):
        Settings(**{**PRODUCTION, "dialsheet_base_url": None})


def test_development_runs_without_a_web_secret() -> None:
    settings = Settings(_env_file=None, environment="development", web_secret=None)
    assert settings.environment == "development" and settings.web_secret is None
