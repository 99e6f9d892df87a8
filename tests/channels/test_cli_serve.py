"""`coworker serve` warns loudly when it listens beyond this machine without a web secret."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from coworker import cli
from coworker.cli import serving
from coworker.config import get_settings


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Any:
    """Run `coworker serve ARGS` up to the point where it would start serving."""
    served: list[Any] = []
    loops: list[str] = []

    async def no_serving(servers: list[Any]) -> None:
        served.extend(servers)
        loops.append(type(asyncio.get_running_loop()).__module__)

    monkeypatch.setattr(serving, "_serve_all", no_serving)
    monkeypatch.setattr(serving, "configure_logging", lambda level=logging.INFO: None)

    def run(*args: str, **env: str) -> list[str]:
        caplog.clear()
        get_settings.cache_clear()
        environment: dict[str, str | None] = {
            "COWORKER_DATA_DIR": str(tmp_path),
            "COWORKER_SANDBOX_PORT": "0",
            "COWORKER_WEB_SECRET": None,  # unset, whatever the shell has
            **env,
        }
        with caplog.at_level(logging.INFO, logger="coworker.cli"):
            result = CliRunner().invoke(cli.app, ["serve", *args], env=environment)
        get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        assert served
        return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]

    run.loops = loops  # type: ignore[attr-defined]
    run.served = served  # type: ignore[attr-defined]
    return run


def test_open_host_without_a_web_secret_warns(serve: Any) -> None:
    (warning,) = serve("--host", "0.0.0.0", "--port", "8765")
    assert "NO COWORKER_WEB_SECRET" in warning and "0.0.0.0" in warning
    assert "local user" in warning


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_without_a_web_secret_is_quiet(serve: Any, host: str) -> None:
    assert serve("--host", host, "--port", "8765") == []


def test_open_host_with_a_web_secret_is_quiet(serve: Any) -> None:
    assert serve("--host", "0.0.0.0", "--port", "8765", COWORKER_WEB_SECRET="s3cret") == []


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("[::1]", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.5", False),
        ("coworker.example.com", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert serving._loopback(host) is loopback


def test_it_serves_on_the_stdlib_event_loop(serve: Any) -> None:
    """uvloop starved waiting Slack requests under a burst of turns (see `cli/serving.py`)."""
    serve("--port", "8765")
    assert [module.split(".")[0] for module in serve.loops] == ["asyncio"]


def test_the_app_and_the_sandbox_port_share_one_embedded_crm(serve: Any) -> None:
    """One CRM backend per process: the sandbox on its own port is the one the app mounts
    at /sandbox and calls in-process."""
    from starlette.routing import Mount

    serve("--port", "8765", COWORKER_SANDBOX_PORT="8766")
    app, sandbox = (server.config.app for server in serve.served)
    (mounted,) = [r.app for r in app.routes if isinstance(r, Mount) and r.path == "/sandbox"]
    assert mounted is sandbox
