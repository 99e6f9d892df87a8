"""Credentials in URLs never shown or logged; empty environment variables behave as unset."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.attacks.conftest import (
    ALEX_KEY,
    Server,
    auth,
    clean_env,
    cli,
    config_aliases,
    new_user,
    pg_url,
    wait_until,
)
from tests.support.processes import free_port

CRM_PASSWORD = "crm-pa55-Zq8xW"
DB_PASSWORD = "db-pa55-Kp3vR"
SECRETS = (CRM_PASSWORD, DB_PASSWORD, "crmuser:", "postgres:db-")


@pytest.fixture(scope="module")
def leaky(pg_name: Callable[[str], str]) -> Iterator[Server]:
    """A server whose CRM and database URLs carry user:password."""
    port = free_port()
    crm = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from coworker.cli import main; main()",
            "sandbox",
            "--port",
            str(port),
        ],
        env=clean_env({}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until(lambda: _up(f"http://127.0.0.1:{port}/"), timeout=40, what="the CRM")
    database = pg_url(pg_name("leak")).replace("postgres@", f"postgres:{DB_PASSWORD}@")
    env = {
        "DIALSHEET_BASE_URL": f"http://crmuser:{CRM_PASSWORD}@127.0.0.1:{port}",
        "DIALSHEET_API_KEY": ALEX_KEY,
        "DATABASE_URL": database,
        "COWORKER_LOG_CONTENT": "1",
    }
    server = Server(env, sandbox_port=0)
    server.crm = f"http://127.0.0.1:{port}"
    try:
        server.start().wait_ready()
        yield server
    finally:
        server.stop()
        crm.terminate()
        crm.wait(timeout=10)


def _up(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code < 500
    except httpx.HTTPError:
        return False


def _clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{where} shows {secret!r}"


@pytest.mark.parametrize(
    "path", ["/api/me", "/readyz", "/healthz", "/metrics", "/api/actions", "/openapi.json"]
)
def test_no_url_credentials_in_http_answers(leaky: Server, path: str) -> None:
    """/api/me, /readyz, /healthz, /metrics: no user-info from DIALSHEET_BASE_URL/DATABASE_URL."""
    answer = httpx.get(leaky.url + path, headers=auth(new_user("leak")), timeout=30)
    _clean(answer.text, path)


def test_no_url_credentials_in_chat_replies_or_the_log(leaky: Server) -> None:
    """A chat turn (tool calls to the CRM) with content logging on: no password in reply or log."""
    user = new_user("leakchat")
    key = httpx.put(
        leaky.url + "/api/me/dialsheet-key", json={"key": ALEX_KEY}, headers=auth(user), timeout=60
    )
    _clean(key.text, "the key check's answer")
    reply = httpx.post(
        leaky.url + "/api/chat", json={"message": "anyone at Acme?"}, headers=auth(user), timeout=60
    )
    _clean(reply.text, "the chat reply")
    _clean(leaky.stderr(), "the server log")


@pytest.mark.parametrize(
    "args",
    [["chat", "-m", "anyone at Acme?", "--json"], ["actions", "list", "--json"], ["db", "upgrade"]],
    ids=["chat", "actions-list", "db-upgrade"],
)
def test_no_url_credentials_in_cli_output(leaky: Server, args: list[str]) -> None:
    """`coworker` commands on URLs with user:pass: neither stdout nor stderr shows it."""
    done = cli(args, {**leaky.env, "COWORKER_LOG_FORMAT": "text"})
    _clean(done.stdout + done.stderr, f"coworker {' '.join(args)}")


def test_unreachable_crm_with_credentials_does_not_echo_its_url() -> None:
    """CRM URL with user:pass on a dead port: errors to the person never carry the password."""
    dead = free_port()
    server = Server(
        {
            "DIALSHEET_BASE_URL": f"http://crmuser:{CRM_PASSWORD}@127.0.0.1:{dead}",
            "DIALSHEET_API_KEY": ALEX_KEY,
            "COWORKER_DIALSHEET_RETRIES": "0",
            "COWORKER_DIALSHEET_TIMEOUT": "2",
        },
        sandbox_port=0,
    )
    try:
        server.start().wait_ready()
        user = new_user("dead")
        answer = httpx.post(
            server.url + "/api/chat",
            json={"message": "anyone at Acme?"},
            headers=auth(user),
            timeout=60,
        )
        _clean(answer.text, "the chat answer")
        _clean(httpx.get(server.url + "/readyz", timeout=30).text, "/readyz")
        _clean(server.stderr(), "the server log")
    finally:
        server.stop()


# ------------------------------------------------------------------ empty means unset


def _all_empty(data: Path) -> dict[str, str]:
    env = dict.fromkeys(config_aliases(), "")
    env.update({"COWORKER_DATA_DIR": str(data), "COWORKER_SANDBOX_PORT": str(free_port())})
    return env


def test_server_starts_on_defaults_with_every_variable_empty() -> None:
    """Every COWORKER_*, ANTHROPIC_*, DIALSHEET_*, SLACK_*, DATABASE_URL set to "": defaults."""
    data = Path(tempfile.mkdtemp(prefix="attack-empty-"))
    env = _all_empty(data)
    server = Server(env, data_dir=data, web_secret=False)
    try:
        server.start().wait_ready()
        me = httpx.get(server.url + "/api/me", timeout=30)  # no secret: the local user
        assert me.status_code == 200, me.text
        described = json.dumps(me.json()).lower()
        assert "offline" in described and "sandbox" in described, described
        assert server.chat_unauthenticated("help")
    finally:
        server.stop()


@pytest.mark.parametrize("how", ["environment", "dotenv"])
def test_chat_uses_the_offline_model_when_keys_are_empty(how: str) -> None:
    """ANTHROPIC_API_KEY= (env or .env), every setting empty: `coworker chat` is offline."""
    data = Path(tempfile.mkdtemp(prefix="attack-empty-"))
    env = _all_empty(data)
    if how == "dotenv":
        (data / ".env").write_text("".join(f"{k}=\n" for k in env if k != "COWORKER_DATA_DIR"))
        env = {"COWORKER_DATA_DIR": str(data)}
    done = cli(["chat", "-m", "help", "--json"], env, cwd=data)
    assert done.returncode == 0, done.stderr[-1500:]
    said = (done.stdout + done.stderr).lower()
    assert "could not reach the claude api" not in said and "api key" not in said, said[-500:]
    assert json.loads(done.stdout)["reply"]


def test_production_with_an_empty_web_secret_refuses_to_start() -> None:
    """COWORKER_ENV=production and COWORKER_WEB_SECRET="": refuses (not an empty HMAC key)."""
    data = Path(tempfile.mkdtemp(prefix="attack-prod-"))
    done = cli(
        ["token", "--user", "x"],
        {
            "COWORKER_ENV": "production",
            "COWORKER_WEB_SECRET": "",
            "DIALSHEET_BASE_URL": "http://127.0.0.1:9",
            "DIALSHEET_API_KEY": "ds_x",
            "COWORKER_DATA_DIR": str(data),
        },
        cwd=data,
    )
    assert done.returncode != 0
    assert "." not in done.stdout.strip(), "minted a token with an empty secret"
