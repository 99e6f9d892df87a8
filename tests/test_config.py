"""Settings: what production refuses to start with."""

from __future__ import annotations

from typing import Any

import pytest

from coworker.config import Settings
from coworker.errors import ConfigError

PRODUCTION: dict[str, Any] = {
    "environment": "production",
    "dialsheet_base_url": "https://www.dialsheet.io",
    "web_secret": "a-real-web-secret-of-at-least-32-bytes",
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


# Empty means unset (issue 14, item 8): `ANTHROPIC_API_KEY=` in a .env file must not switch
# Claude on with an empty key. Every field is covered, so a new setting is too.


def _env_names() -> list[tuple[str, str]]:
    """(field, variable) for every name each setting is read from."""
    names: list[tuple[str, str]] = []
    for field_name, info in Settings.model_fields.items():
        alias = info.validation_alias
        choices = getattr(alias, "choices", None) or ([alias] if alias else [field_name])
        names.extend((field_name, str(choice)) for choice in choices)
    return names


def _defaults() -> Settings:
    return Settings(_env_file=None)


def test_every_setting_has_a_variable() -> None:
    assert len(_env_names()) >= len(Settings.model_fields)


@pytest.mark.parametrize(("field", "variable"), _env_names())
def test_an_empty_variable_is_unset(
    field: str, variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, "")
    assert getattr(Settings(_env_file=None), field) == getattr(_defaults(), field)


def test_every_variable_empty_at_once_gives_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for _, variable in _env_names():
        monkeypatch.setenv(variable, "")
    assert Settings(_env_file=None).model_dump() == _defaults().model_dump()


def test_empty_lines_of_a_dotenv_file_are_unset(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _, variable in _env_names():
        monkeypatch.delenv(variable, raising=False)
    dotenv = tmp_path / ".env"
    dotenv.write_text("".join(f"{variable}=\n" for _, variable in _env_names()))
    assert Settings(_env_file=dotenv).model_dump() == _defaults().model_dump()
    assert Settings(_env_file=dotenv).anthropic_api_key is None


def test_an_empty_key_means_the_offline_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from coworker.evals.models import choose_model
    from coworker.runtime import model_from_settings

    monkeypatch.setenv("ANTHROPIC_API_KEY", "")
    settings = Settings(_env_file=None)
    assert model_from_settings(settings).name == "offline"  # `coworker chat`
    assert choose_model(settings, None).name == "offline"  # `coworker eval`: the same answer


@pytest.mark.parametrize("web_secret", ["abc", "a-real-web-secret", "x" * 31])
def test_production_refuses_a_web_secret_shorter_than_32_bytes(web_secret: str) -> None:
    """One token is enough to brute-force a short HMAC secret offline, then forge anyone."""
    with pytest.raises(ConfigError, match="at least 32 bytes"):
        Settings(**{**PRODUCTION, "web_secret": web_secret})


def test_development_accepts_a_short_web_secret_but_knows_it_is_weak() -> None:
    settings = Settings(_env_file=None, environment="development", web_secret="s3cret")
    assert settings.web_secret is not None and not settings.web_secret_is_strong
