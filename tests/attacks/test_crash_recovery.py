"""Nothing stuck after a crash: kill -9 a real server mid-send; it must leave `executing`."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.attacks.conftest import (
    ALEX_KEY,
    Server,
    auth,
    clean_env,
    new_user,
    pg_url,
    recovery_settings,
    wait_until,
)
from tests.support.processes import free_port

# Seeded in every fresh sandbox, never enrolled and with a phone: no POST is needed to set
# up a card, so the CRM can hang every POST (the send) from the start.
SEEDED_LEAD = "Jane Smith"
FAULTS = {
    "COWORKER_SANDBOX_FAULT_METHODS": "POST",
    "COWORKER_SANDBOX_TIMEOUT_RATE": "1",
    "COWORKER_SANDBOX_TIMEOUT_SECONDS": "60",
    "COWORKER_DIALSHEET_TIMEOUT": "30",
}
AFTER = {**recovery_settings(3), "COWORKER_DIALSHEET_TIMEOUT": "2"}


def _approve_in_background(server: Server, user: str, action_id: str) -> threading.Thread:
    def run() -> None:
        try:
            httpx.post(
                f"{server.url}/api/actions/{action_id}/approve",
                json={},
                headers=auth(user),
                timeout=120,
            )
        except httpx.HTTPError:
            pass  # the server dies under it

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _status(server: Server, user: str, action_id: str) -> str:
    return str(server.action(user, action_id)["status"])


def _kill_mid_send(server: Server, user: str, action_id: str) -> None:
    _approve_in_background(server, user, action_id)
    try:
        wait_until(
            lambda: _status(server, user, action_id) == "executing",
            timeout=40,
            what="the approved action to be claimed",
        )
    finally:
        server.kill9()


def _executing_gauge(server: Server) -> float:
    text = httpx.get(server.url + "/metrics", timeout=30).text
    found = re.search(r'coworker_pending_actions\{status="executing"\}\s+([0-9.e+-]+)', text)
    return float(found.group(1)) if found else 0.0


def test_kill_9_mid_send_on_sqlite_recovers_the_action() -> None:
    """SIGKILL while an enrollment hangs at the CRM: after restart the action leaves `executing`.

    One SQLite kill is enough here: tests/replicas/test_crash_recovery.py kills a server
    mid-SMS on SQLite and PostgreSQL and checks every status, audit entry and transcript
    block; this one covers another kind of send (an enrollment) from outside, through
    whatever lease setting the fix added. Only POSTs hang, so the card is proposed on the
    faulty server itself (one start fewer).
    """
    user = new_user("crash")
    faulty = Server(FAULTS).start().wait_ready()
    try:
        card = faulty.propose(user, f"enroll {SEEDED_LEAD} in New lead nurture")
        assert card["tool"] == "enroll_in_sequence", card
        _kill_mid_send(faulty, user, card["id"])
    finally:
        faulty.kill9()
    same = {"data_dir": faulty.data_dir, "secret_key": faulty.secret_key}
    after = Server(AFTER, **same).start().wait_ready()  # type: ignore[arg-type]
    try:
        final = wait_until(
            lambda: (s := _status(after, user, card["id"])) != "executing" and s,
            timeout=45,
            what="recovery out of `executing`",
        )
        assert final in {"unknown", "succeeded", "failed", "stale"}, final
        again = httpx.post(
            f"{after.url}/api/actions/{card['id']}/approve", json={}, headers=auth(user), timeout=30
        )
        assert again.status_code == 409 and again.json().get("status") != "executing"
        wait_until(lambda: _executing_gauge(after) == 0, timeout=30, what="/metrics executing 0")
    finally:
        after.stop()


def _crm(port: int, db: Path, faults: bool) -> subprocess.Popen[bytes]:
    env = {"COWORKER_SANDBOX_DATABASE_URL": f"sqlite+aiosqlite:///{db}"}
    if faults:
        env.update(FAULTS)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from coworker.cli import main; main()",
            "sandbox",
            "--port",
            str(port),
        ],
        env=clean_env(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def up() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up, timeout=40, what="the CRM process")
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_kill_9_mid_send_on_postgres_two_replicas_recovers_once(
    pg_name: Callable[[str], str],
) -> None:
    """PostgreSQL, two replicas: one is killed mid-send; the other (or its restart) recovers it."""
    name = pg_name("crash")
    port = free_port()
    db = Path(tempfile.mkdtemp(prefix="attack-crm-")) / "crm.db"
    crm_url = f"http://127.0.0.1:{port}"
    env = {
        "DATABASE_URL": pg_url(name),
        "DIALSHEET_BASE_URL": crm_url,
        "DIALSHEET_API_KEY": ALEX_KEY,
    }
    user = new_user("pgcrash")
    crm = _crm(port, db, faults=True)  # only POSTs hang: the card needs none
    key = __import__("cryptography.fernet").fernet.Fernet.generate_key().decode()
    victim = Server({**env, **FAULTS}, sandbox_port=0, secret_key=key)
    survivor = Server({**env, **AFTER}, sandbox_port=0, secret_key=key)
    victim.crm = survivor.crm = crm_url
    try:
        victim.start()
        survivor.start()
        victim.wait_ready()
        survivor.wait_ready()
        card = survivor.propose(user, f"text {SEEDED_LEAD}: replica crash")
        assert card["tool"] == "send_sms", card
        lead = {"id": card["input"]["lead_id"]}
        _kill_mid_send(victim, user, card["id"])
        final = wait_until(
            lambda: (s := _status(survivor, user, card["id"])) != "executing" and s,
            timeout=60,
            what="the surviving replica to recover the action",
        )
        assert final in {"unknown", "succeeded", "failed", "stale"}, final
        assert len(survivor.sms_to(lead["id"])) <= 1
        wait_until(lambda: _executing_gauge(survivor) == 0, timeout=30, what="/metrics")
    finally:
        victim.kill9()
        survivor.stop()
        _stop(crm)
