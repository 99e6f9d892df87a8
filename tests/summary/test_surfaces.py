"""The person-facing surfaces: GET/PUT /api/me/settings over HTTP, and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from coworker.cli import app
from coworker.config import get_settings
from coworker.llm.scripted import ScriptedModel
from coworker.server import create_app
from tests.agent.conftest import settings_for
from tests.support.servers import run_asgi_server


@pytest.fixture
def http(tmp_path: Path) -> Iterator[httpx.Client]:
    application = create_app(
        settings_for(tmp_path, scheduler_enabled=False), model=ScriptedModel([])
    )
    with run_asgi_server(application) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


def test_settings_read_and_change(http: httpx.Client) -> None:
    assert http.get("/api/me/settings").json() == {
        "enabled": True,
        "time": "08:30",
        "weekdays": ["mon", "tue", "wed", "thu", "fri"],
        "timezone": "UTC",
        "channel": "web",
    }
    changed = http.put(
        "/api/me/settings",
        json={"timezone": "America/New_York", "time": "07:15", "weekdays": ["sun", "Mon"]},
    )
    assert changed.status_code == 200
    body = changed.json()
    assert body["timezone"] == "America/New_York" and body["time"] == "07:15"
    assert body["weekdays"] == ["mon", "sun"]
    assert (
        http.put("/api/me/settings", json={"enabled": False, "channel": "both"}).json()["enabled"]
        is False
    )
    assert http.get("/api/me/settings").json()["channel"] == "both"


@pytest.mark.parametrize(
    "body",
    [
        {"timezone": "Mars/Olympus"},
        {"time": "8:30"},
        {"time": "24:00"},
        {"weekdays": ["mon", "funday"]},
        {"weekdays": []},
        {"channel": "email"},
        {"enabled": "sometimes"},
    ],
)
def test_bad_settings_are_422_and_change_nothing(
    http: httpx.Client, body: dict[str, object]
) -> None:
    answer = http.put("/api/me/settings", json=body)
    assert answer.status_code == 422, answer.text
    assert "error" in answer.json()
    assert http.get("/api/me/settings").json()["time"] == "08:30"


def _invoke(args: list[str], tmp_path: Path) -> tuple[int, str]:
    get_settings.cache_clear()
    env = {"COWORKER_DATA_DIR": str(tmp_path), "COLUMNS": "120"}
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    get_settings.cache_clear()
    return result.exit_code, result.output


def test_preview_prints_a_useful_summary_on_embedded_defaults(tmp_path: Path) -> None:
    code, out = _invoke(["summary", "preview"], tmp_path)
    assert code == 0, out
    for part in (
        "Good morning, Alex",
        "due today",  # the tasks' heading; which of today's tasks are overdue depends on now
        "Follow up with Jane Smith about pricing",
        "New leads",
        "Deals going quiet",
        "Pipeline",
        "Suggested next actions",
    ):
        assert part in out, part


def test_cli_settings_and_run_once(tmp_path: Path) -> None:
    code, out = _invoke(["user", "settings", "--timezone", "Nowhere/City"], tmp_path)
    assert code == 1 and "timezone" in out
    weekdays = "mon,tue,wed,thu,fri,sat,sun"
    code, out = _invoke(["user", "settings", "--weekdays", weekdays, "--time", "00:00"], tmp_path)
    assert code == 0 and f"weekdays: {weekdays}" in out
    code, out = _invoke(["summary", "run", "--dry-run"], tmp_path)
    assert code == 0 and "Suggested next actions" in out
    code, out = _invoke(["summary", "run"], tmp_path)
    assert code == 0 and out.count(": delivered") == 1, out
    code, out = _invoke(["summary", "run", "--user", "local"], tmp_path)
    assert code == 0 and ": already_done" in out, out
