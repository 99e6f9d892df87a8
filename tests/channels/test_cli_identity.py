"""`coworker token` and `coworker user set-key`."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from coworker.channels.web.identity import TokenClaims, read_token, verify_token
from coworker.cli import app
from coworker.config import get_settings
from coworker.sandbox.seed import DEMO_USERS


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[int, str]:
    get_settings.cache_clear()
    result = CliRunner().invoke(app, args, env=env, input=stdin)
    return result.exit_code, result.output


def test_token_is_verifiable_and_needs_the_secret(tmp_path: Path) -> None:
    code, out = run(["token", "--user", "alice"], {"COWORKER_WEB_SECRET": "s3cret"})
    assert code == 0 and verify_token("s3cret", out.strip()) == "alice"
    code, out = run(["token", "--user", "alice"], {"COWORKER_DATA_DIR": str(tmp_path)})
    assert code == 1 and "COWORKER_WEB_SECRET is not set" in out


def test_token_for_an_mcp_client_carries_the_mcp_audience() -> None:
    env = {"COWORKER_WEB_SECRET": "s3cret"}
    code, out = run(["token", "--user", "alice", "--audience", "mcp"], env)
    assert code == 0 and read_token("s3cret", out.strip()) == TokenClaims("alice", "mcp")
    code, out = run(["token", "--user", "alice"], env)
    assert code == 0 and read_token("s3cret", out.strip()).audience == "coworker"
    code, out = run(["token", "--user", "alice", "--audience", "admin"], env)
    assert code == 1 and "unknown audience 'admin'" in out


def test_set_key_checks_the_key_and_never_stores_it_in_clear(tmp_path: Path) -> None:
    env = {"COWORKER_DATA_DIR": str(tmp_path), "ANTHROPIC_API_KEY": "k"}
    code, out = run(["user", "set-key", "sam"], env, stdin="ds_not_a_real_key\n")
    assert code == 1 and "rejected" in out
    key = DEMO_USERS[1].key
    code, out = run(["user", "set-key", "sam"], env, stdin=f"{key}\n")
    assert code == 0 and "stored encrypted" in out and key not in out
    stored = b"".join(f.read_bytes() for f in tmp_path.glob("coworker.db*"))  # WAL too
    assert stored
    assert key.encode() not in stored
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
