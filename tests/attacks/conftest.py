"""Black-box attack harness: real `coworker serve` processes, real HTTP, real SQL.

Nothing here imports the service's internals to decide anything: tokens are minted the way
the README tells a host application to, the CRM is the sandbox's documented API, Slack
requests are signed as Slack signs them, MCP goes through the `mcp` SDK client.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.fernet import Fernet
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.ext.asyncio import create_async_engine

from tests.channels.slack.mock_slack import TEAM, MockSlack
from tests.support.processes import free_port
from tests.support.servers import run_asgi_server

ROOT = Path(__file__).resolve().parents[2]
SECRET = "attack-web-secret-0123456789-abcdef"  # 32+ bytes, as the README asks
SIGNING_SECRET = "attack-slack-signing-secret"
ALEX_KEY = "ds_demo_alex_3f9a1c7e5b2d4a60"  # `coworker sandbox keys`, first demo user
PG_BASE = os.environ.get(
    "COWORKER_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
START_TIMEOUT_S = 60.0
STRIPPED_PREFIXES = ("COWORKER_", "ANTHROPIC_", "DIALSHEET_", "SLACK_", "DATABASE_URL")


# ---------------------------------------------------------------- tokens (README "Identity")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(user: str, *, audience: str | None = None, secret: str = SECRET, ttl: int = 3600) -> str:
    """A JWT (HS256) with `sub`, `exp` and `aud`, minted with PyJWT as a host application
    would: `aud` "coworker" for the person's own web token, "mcp" for an MCP client's."""
    claims: dict[str, Any] = {
        "sub": user,
        "exp": int(time.time()) + ttl,
        "aud": audience or "coworker",
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def auth(user: str, audience: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(user, audience=audience)}"}


def new_user(prefix: str = "u") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


# ---------------------------------------------------------------- processes


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """The test runner's environment without any of the service's own settings."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(STRIPPED_PREFIXES)}
    return {**base, **extra}


def config_aliases() -> list[str]:
    """Every environment variable the settings read (from the source: black-box friendly)."""
    text = (ROOT / "src/coworker/config.py").read_text()
    return sorted(
        set(re.findall(r'"((?:COWORKER|ANTHROPIC|DIALSHEET|SLACK)_[A-Z0-9_]+|DATABASE_URL)"', text))
    )


def recovery_settings(seconds: float) -> dict[str, str]:
    """The lease / recovery knob the crash fix adds, whatever it is called, set small."""
    env: dict[str, str] = {}
    for name in config_aliases():
        if re.search(r"LEASE|RECOVER|STUCK|CLAIM|EXECUTING|SWEEP", name):
            value = seconds / 60 if "MINUTE" in name else seconds
            env[name] = str(value)
    return env


class Server:
    """`coworker serve` in a child process; stderr kept in a file we read by path."""

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        data_dir: Path | None = None,
        port: int | None = None,
        sandbox_port: int | None = None,
        web_secret: bool = True,
        secret_key: str | None = None,
    ) -> None:
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="attack-data-"))
        self.port = port or free_port()
        self.sandbox_port = sandbox_port if sandbox_port is not None else free_port()
        self.log_path = Path(tempfile.mkstemp(prefix="attack-log-", suffix=".log")[1])
        self.secret_key = secret_key or Fernet.generate_key().decode()
        settings = {
            "COWORKER_DATA_DIR": str(self.data_dir),
            "COWORKER_SANDBOX_PORT": str(self.sandbox_port),
            "COWORKER_SCHEDULER": "0",
            "COWORKER_LOG_FORMAT": "json",
            "COWORKER_SECRET_KEY": self.secret_key,
            **({"COWORKER_WEB_SECRET": SECRET} if web_secret else {}),
            **(env or {}),
        }
        self.env = settings
        self.url = f"http://127.0.0.1:{self.port}"
        self.crm = f"http://127.0.0.1:{self.sandbox_port}" if self.sandbox_port else None
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from coworker.cli import main; main()",
                    "serve",
                    "--port",
                    str(self.port),
                ],
                env=clean_env(self.env),
                stdout=subprocess.DEVNULL,
                stderr=log,
                cwd=self.data_dir,
            )
        return self

    def wait_ready(self) -> Server:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.stderr()[-3000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {self.stderr()[-3000:]}")
            time.sleep(0.1)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stderr(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill9(self) -> None:
        if self.alive():
            assert self.process is not None
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def hwm_kb(self) -> int:
        status = Path(f"/proc/{self.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]

    # -- HTTP helpers

    def client(self, user: str | None = None, audience: str | None = None) -> httpx.Client:
        headers = auth(user, audience) if user else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)

    def chat(self, user: str, message: str, conversation_id: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"message": message}
        if conversation_id:
            body["conversation_id"] = conversation_id
        answer = httpx.post(self.url + "/api/chat", json=body, headers=auth(user), timeout=60)
        if answer.status_code == 409 and "Dialsheet API key" in answer.text:
            self.connect_key(user)
            answer = httpx.post(self.url + "/api/chat", json=body, headers=auth(user), timeout=60)
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]

    def chat_unauthenticated(self, message: str) -> str:
        answer = httpx.post(self.url + "/api/chat", json={"message": message}, timeout=60)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["reply"])

    def connect_key(self, user: str) -> None:
        answer = httpx.put(
            self.url + "/api/me/dialsheet-key",
            json={"key": ALEX_KEY},
            headers=auth(user),
            timeout=60,
        )
        assert answer.status_code == 200, answer.text

    def propose(self, user: str, message: str) -> dict[str, Any]:
        """Chat until the coworker shows a card; the card (action dict)."""
        reply = self.chat(user, message)
        assert reply["actions"], f"no card for {message!r}: {reply['reply']}"
        return reply["actions"][0]  # type: ignore[no-any-return]

    def action(self, user: str, action_id: str) -> dict[str, Any]:
        found = self.actions(user, status=None)
        for item in found:
            if item["id"] == action_id:
                return item
        raise AssertionError(f"action {action_id} not listed for {user}")

    def actions(self, user: str, status: str | None = "pending") -> list[dict[str, Any]]:
        """Every action of `user` (following whatever cursor the listing offers)."""
        params: dict[str, Any] = {}
        if status:
            params["status"] = status
        else:
            params["status"] = "all"
        collected: list[dict[str, Any]] = []
        for _ in range(200):
            answer = httpx.get(
                self.url + "/api/actions", params=params, headers=auth(user), timeout=60
            )
            if answer.status_code == 422 and params.get("status") == "all":
                params.pop("status")
                continue
            assert answer.status_code == 200, answer.text
            data = answer.json()
            page = data["actions"]
            if not page and params.get("status") == "all" and not collected:
                # an API that reads "all" as a literal status: ask without a filter
                params.pop("status")
                continue
            collected.extend(page)
            cursor = next_cursor(data)
            if not cursor or not page:
                return collected
            params["cursor"] = cursor
        return collected

    # -- CRM (sandbox) helpers, on its own port

    def crm_call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        assert self.crm is not None
        headers = {"Authorization": f"Bearer {ALEX_KEY}", **kwargs.pop("headers", {})}
        return httpx.request(
            method, self.crm + "/api/v1" + path, headers=headers, timeout=60, **kwargs
        )

    def new_lead(self, **fields: Any) -> dict[str, Any]:
        name = unique_name()
        slug = name.lower().replace(" ", ".")
        body = {
            "name": name,
            "email": f"{slug}@card.example",
            "phone": next_phone(),
            "company": f"{name.split()[1]} Holdings",
            **fields,
        }
        answer = self.crm_call("POST", "/leads", json=body)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()["lead"]  # type: ignore[no-any-return]

    def sms_to(self, lead_id: str) -> list[dict[str, Any]]:
        answer = self.crm_call("GET", "/sms", params={"lead_id": lead_id, "limit": 100})
        return answer.json()["sms"]  # type: ignore[no-any-return]

    def emails_of(self, lead_id: str | None = None) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"limit": 100}
        if lead_id:
            params["lead_id"] = lead_id
        answer = self.crm_call("GET", "/emails", params=params)
        return answer.json()["emails"]  # type: ignore[no-any-return]

    def sandbox_db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.data_dir / "sandbox.db", timeout=30)

    def store_db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.data_dir / "coworker.db", timeout=30)


def next_cursor(data: dict[str, Any]) -> str | None:
    for key, value in data.items():
        if ("cursor" in key or key in ("next", "next_page")) and isinstance(value, str) and value:
            return value
    return None


_FIRST = (
    "Quillon Ysolde Brannoc Tamsin Orrick Pellam Wynfrith Galen Isolt Marrec Odile Caddoc "
    "Elowen Fenwick Gorlan Hesper Ianthe Jorund Kestrel Lucan Maelis Nerys Osric Perrin "
    "Rhodri Seren Tegwen Ulric Vanora Wystan Yestin Zennor Aldous Bronwen Cedric Delphine "
    "Emrys Fiorin Gwenda Hollis Ingram Jessamy Kenelm Lavinia Mordred Nimue Oswin Prydwen "
    "Ravenna Sigurd Thorne Ursula Viviane Warrick Xanthe Yvaine Zephyr Ambrose Beatrix"
).split()
_LAST = (
    "Vardemar Quenby Trevanion Halloran Pendragon Ashgrove Blackthorn Carrow Dunstable "
    "Everleigh Fairweather Gillingham Hawthorne Illingworth Jarrowby Kittering Lockhart "
    "Merriweather Northcote Oakenshaw Penhallow Quartermaine Rothwell Stanbury Tregarthen "
    "Underhill Vexley Wolstenholme Yarborough Zouche Abernethy Braithwaite Cholmondeley "
    "Dalrymple Ellerby Featherstone Grimshaw Heathcote Inchbald Jellicoe Kershaw Lisle "
    "Montgomerie Nettleship Ormerod Pilkington Quayle Ravenscroft Sacheverell Tolliver "
    "Urquhart Villiers Wetherell Yelverton Zetland Ackroyd Boscawen Carbonell"
).split()
_names = itertools.count()
_phones = itertools.count(1000)


def unique_name() -> str:
    i = next(_names) + (os.getpid() % 7)
    return f"{_FIRST[i % len(_FIRST)]} {_LAST[i % len(_LAST)]}"


def next_phone() -> str:
    return f"+1-555-01{next(_phones) % 10000:04d}"[:15]


def wait_until(check: Callable[[], Any], *, timeout: float, what: str, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def cli(
    args: list[str], env: dict[str, str], *, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`coworker ARGS` run in this process (typer's CliRunner), as a child would run it.

    A child process per command cost ~1.5 s of imports each; in-process the command sees
    the same environment (the runner's, less every service setting, plus `env`), the same
    working directory (`.env` is read from it), fresh settings, and its output is what a
    child would have written: stdout, and on stderr its log lines (INFO and up, as
    `coworker` configures them) and any traceback.
    """
    import contextlib
    import io
    import logging
    import traceback

    from typer.testing import CliRunner

    from coworker.cli import app
    from coworker.config import get_settings
    from coworker.observability import logs

    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith(STRIPPED_PREFIXES)}
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    saved_level, saved_content = root.level, logs._content_default
    saved_urls = {name: logging.getLogger(name).level for name in logs.URL_LOGGERS}
    root.addHandler(handler)
    root.setLevel(min(saved_level or logging.WARNING, logging.INFO))
    get_settings.cache_clear()
    try:
        with contextlib.chdir(cwd or Path.cwd()):
            result = CliRunner().invoke(app, args, env={**unset, **env})
    finally:
        get_settings.cache_clear()
        root.removeHandler(handler)
        root.setLevel(saved_level)
        logs._content_default = saved_content
        for name, level in saved_urls.items():
            logging.getLogger(name).setLevel(level)
    stderr = result.stderr + stream.getvalue()
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, stderr)


def assert_error_wrapper(answer: httpx.Response, *, allowed: tuple[int, ...] = ()) -> None:
    """A refusal: 4xx (or an allowed code), never 5xx, and `{"error": "..."}`."""
    assert answer.status_code < 500, f"{answer.status_code}: {answer.text[:300]}"
    if allowed:
        assert answer.status_code in allowed, f"{answer.status_code}: {answer.text[:300]}"
    assert 400 <= answer.status_code < 500, f"{answer.status_code}: {answer.text[:300]}"
    data = answer.json()
    assert isinstance(data, dict) and isinstance(data.get("error"), str), answer.text[:300]


# ---------------------------------------------------------------- Slack, signed


class Slack:
    def __init__(self, url: str, mock: MockSlack) -> None:
        self.url, self.mock = url, mock
        self._n = itertools.count(1)

    def signed(
        self, body: str | bytes, content_type: str = "application/json", **headers: str
    ) -> httpx.Response:
        ts = str(int(time.time()))
        text = body.decode("utf-8", "surrogateescape") if isinstance(body, bytes) else body
        signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=text)
        raw = body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")
        return httpx.post(
            self.url + "/slack/events",
            content=raw,
            timeout=30,
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature,
                **headers,
            },
        )

    def dm(self, text: str, user: str) -> tuple[httpx.Response, str]:
        n = next(self._n)
        ts = f"1700{n:06d}.000100"
        body = {
            "type": "event_callback",
            "team_id": TEAM,
            "api_app_id": "A0APP",
            "event_id": f"EvAtk{uuid.uuid4().hex[:12]}",
            "event_time": int(time.time()),
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": f"D{user}",
                "user": user,
                "text": text,
                "ts": ts,
            },
        }
        return self.signed(json.dumps(body)), ts

    def card(self, thread_ts: str, timeout: float = 20) -> tuple[str, dict[str, Any]]:
        def find(mock: MockSlack) -> Any:
            for call in mock.of("chat.postMessage"):
                if call.get("thread_ts") != thread_ts:
                    continue
                for block in call.get("blocks") or []:
                    if block.get("type") == "actions":
                        return call, block
            return None

        call, block = self.mock.wait_for(find, timeout=timeout, what="an approval card")
        where = {"channel": call["channel"], "ts": f"{thread_ts}9", "thread_ts": thread_ts}
        return block["elements"][0]["value"], where

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        from urllib.parse import urlencode

        payload = {"team": {"id": TEAM}, "api_app_id": "A0APP", **payload}
        return self.signed(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    def click(self, verb: str, action_id: str, user: str, card: dict[str, Any]) -> httpx.Response:
        return self.interaction(
            {
                "type": "block_actions",
                "user": {"id": user},
                "trigger_id": "trigger-1",
                "channel": {"id": card["channel"]},
                "container": {"type": "message", "channel_id": card["channel"]},
                "message": {"ts": card["ts"], "thread_ts": card["thread_ts"]},
                "actions": [
                    {"action_id": f"coworker_{verb}", "value": action_id, "type": "button"}
                ],
            }
        )

    def edit_view(self, action_id: str) -> dict[str, Any]:
        def find(mock: MockSlack) -> Any:
            for call in mock.of("views.open"):
                view = call.get("view")
                view = json.loads(view) if isinstance(view, str) else view
                if action_id in json.dumps(view):
                    return view
            return None

        return self.mock.wait_for(find, timeout=15, what="the edit form")  # type: ignore[no-any-return]

    def submit(self, view: dict[str, Any], user: str, values: dict[str, Any]) -> httpx.Response:
        return self.interaction(
            {
                "type": "view_submission",
                "user": {"id": user},
                "view": {**view, "state": {"values": values}},
            }
        )


# ---------------------------------------------------------------- MCP


@asynccontextmanager
async def mcp_client(url: str, bearer: str | None) -> AsyncIterator[Any]:
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    async with httpx2.AsyncClient(headers=headers, timeout=60) as http:
        transport = streamable_http_client(f"{url}/mcp", http_client=http)
        async with Client(transport) as client:
            yield client


def mcp_call(url: str, user: str, tool: str, arguments: dict[str, Any]) -> Any:
    async def run() -> Any:
        async with mcp_client(url, token(user, audience="mcp")) as client:
            return await client.call_tool(tool, arguments)

    return asyncio.run(run())


def mcp_calls(url: str, user: str, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    """Many calls at once, one client each (a concurrent burst)."""

    async def one(tool: str, arguments: dict[str, Any]) -> Any:
        try:
            async with mcp_client(url, token(user, audience="mcp")) as client:
                return await client.call_tool(tool, arguments)
        except Exception as error:  # a refused call is an outcome too
            return error

    async def run() -> list[Any]:
        return list(await asyncio.gather(*(one(t, a) for t, a in calls)))

    return asyncio.run(run())


def mcp_raw(
    url: str,
    user: str,
    body: bytes | str,
    content_type: str = "application/json",
    extra: dict[str, str] | None = None,
) -> httpx.Response:
    headers = {
        "Content-Type": content_type,
        "Accept": "application/json, text/event-stream",
        **auth(user, "mcp"),
        **(extra or {}),
    }
    return httpx.post(url + "/mcp", content=body, headers=headers, timeout=60)


# ---------------------------------------------------------------- PostgreSQL


def pg_database(action: str, name: str) -> None:
    async def run() -> None:
        admin = create_async_engine(PG_BASE, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            if action == "create":
                await conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            else:
                await conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()

    asyncio.run(run())


def pg_url(name: str) -> str:
    return PG_BASE.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session")
def pg_name() -> Iterator[Callable[[str], str]]:
    made: list[str] = []

    def make(purpose: str) -> str:
        name = f"coworker_attack_{purpose}_{uuid.uuid4().hex[:8]}"
        pg_database("create", name)
        made.append(name)
        return name

    yield make
    for name in made:
        try:
            pg_database("drop", name)
        except Exception:  # best effort: never hide a test's own outcome
            pass


# ---------------------------------------------------------------- the shared servers


@pytest.fixture(scope="session")
def mock_slack() -> Iterator[tuple[MockSlack, str]]:
    mock = MockSlack()
    with run_asgi_server(mock.app) as url:
        yield mock, url


@pytest.fixture(scope="session")
def server(mock_slack: tuple[MockSlack, str]) -> Iterator[Server]:
    """One `coworker serve` on SQLite with a web secret, Slack over HTTP and MCP."""
    _, slack_url = mock_slack
    running = (
        Server(
            {
                "SLACK_BOT_TOKEN": "xoxb-attack",
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_BASE_URL": slack_url + "/api/",
                "COWORKER_RATE_LIMIT": "100000",
            }
        )
        .start()
        .wait_ready()
    )
    yield running
    running.stop()


@pytest.fixture(scope="session")
def slack(server: Server, mock_slack: tuple[MockSlack, str]) -> Slack:
    return Slack(server.url, mock_slack[0])


@pytest.fixture(scope="session")
def pg_replicas(pg_name: Callable[[str], str]) -> Iterator[list[Server]]:
    """Two `coworker serve` replicas on one PostgreSQL database, a shared CRM process."""
    name = pg_name("replicas")
    crm_port = free_port()
    crm_data = Path(tempfile.mkdtemp(prefix="attack-crm-"))
    crm = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from coworker.cli import main; main()",
            "sandbox",
            "--port",
            str(crm_port),
        ],
        env=clean_env({"COWORKER_DATA_DIR": str(crm_data)}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    crm_url = f"http://127.0.0.1:{crm_port}"
    wait_until(lambda: _answers(crm_url + "/api/v1/tags"), timeout=START_TIMEOUT_S, what="the CRM")
    key = Fernet.generate_key().decode()
    env = {
        "DATABASE_URL": pg_url(name),
        "DIALSHEET_BASE_URL": crm_url,
        "DIALSHEET_API_KEY": ALEX_KEY,
    }
    servers = [Server(env, sandbox_port=0, secret_key=key) for _ in range(2)]
    for s in servers:
        s.crm = crm_url
        s.start()
    try:
        for s in servers:
            s.wait_ready()
        yield servers
    finally:
        for s in servers:
            s.stop()
        crm.terminate()
        crm.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code < 500
    except httpx.HTTPError:
        return False
