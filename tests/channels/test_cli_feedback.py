"""`coworker feedback export [--since DATE] [--rating up|down] [--json]` on SQLite and
PostgreSQL: every person's presses newest first, with the turn each rates; bad options
are refused with a message and exit 2."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from typer.testing import CliRunner

from coworker.agent.feedback import FeedbackInput, record_feedback
from coworker.cli import app
from coworker.config import Settings, get_settings
from coworker.store.engine import database_url, normalize_url
from coworker.store.facade import Store

PG_ENV = "COWORKER_TEST_DATABASE_URL"


async def _admin(base: str, sql: str) -> None:
    admin = create_async_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.exec_driver_sql(sql)
    finally:
        await admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The coworker's database for the command: a SQLite file in the data dir, or a fresh
    PostgreSQL database on the server of COWORKER_TEST_DATABASE_URL (dropped after)."""
    if request.param == "sqlite":
        yield database_url(Settings(data_dir=tmp_path, database_url=None))
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set: PostgreSQL CLI test skipped")
    name = f"coworker_feedback_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(base, f'CREATE DATABASE "{name}"'))
    try:
        yield normalize_url(base).rsplit("/", 1)[0] + f"/{name}"
    finally:
        asyncio.run(_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def invoke(args: list[str], data_dir: Path, url: str) -> tuple[int, str, str]:
    get_settings.cache_clear()
    env = {
        "COWORKER_DATA_DIR": str(data_dir),
        "DATABASE_URL": url,
        "COWORKER_SCHEDULER": "0",
        "COLUMNS": "200",
    }
    result = CliRunner().invoke(app, ["feedback", *args], env=env, catch_exceptions=False)
    get_settings.cache_clear()
    return result.exit_code, result.stdout, result.stderr


async def _seed(url: str) -> list[str]:
    """Alice rates a reply that searched leads down; then the local user rates one up."""
    store = await Store.open(url)
    try:
        ids = []
        for external_id, rating, reply in (
            ("web:alice", "down", "Jane is at [bold]Acme[/bold]."),
            ("local", "up", "Done."),
        ):
            user = await store.ensure_user(external_id)
            conversation = await store.get_or_create_conversation(user.id, "web", external_id)
            use = {"type": "tool_use", "id": "t1", "name": "search_leads", "input": {}}
            seqs = await store.append_messages(
                conversation.id,
                [
                    {"role": "user", "content": [{"type": "text", "text": "who is jane?"}]},
                    {"role": "assistant", "content": [use]},
                    {
                        "role": "user",
                        "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "[]"}],
                    },
                    {"role": "assistant", "content": [{"type": "text", "text": reply}]},
                ],
            )
            entry = FeedbackInput(conversation.id, str(seqs[-1]), rating, "web")  # type: ignore[arg-type]
            ids.append((await record_feedback(store, user, entry, model="claude:test")).id)
        return ids
    finally:
        await store.close()


def test_export_as_json_and_as_a_table(db_url: str, tmp_path: Path) -> None:
    code, out, _ = invoke(["export"], tmp_path, db_url)
    assert code == 0 and "No feedback yet." in out
    alice, local = asyncio.run(_seed(db_url))

    code, out, err = invoke(["export", "--json"], tmp_path, db_url)
    assert code == 0, err
    exported = json.loads(out)
    assert [row["id"] for row in exported] == [local, alice]  # newest first
    row = exported[1]
    assert set(row) == {
        "id",
        "user_id",
        "user",
        "conversation_id",
        "reply_id",
        "rating",
        "channel",
        "model",
        "tools",
        "reply",
        "created_at",
        "updated_at",
    }
    assert (row["user"], row["rating"], row["channel"], row["model"]) == (
        "web:alice",
        "down",
        "web",
        "claude:test",
    )
    assert row["tools"] == ["search_leads"] and row["reply_id"] == "4"
    assert row["reply"] == "Jane is at [bold]Acme[/bold]."

    code, out, err = invoke(["export", "--rating", "down", "--json"], tmp_path, db_url)
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)] == [alice]

    code, out, _ = invoke(["export"], tmp_path, db_url)
    assert code == 0
    assert "web:alice" in out and "search_leads" in out and "claude:test" in out
    assert "Jane is at [bold]Acme[/bold]." in out  # shown as written, not as markup
    assert "2 presses, 1 down." in out


def test_since_takes_iso_dates_and_refuses_anything_else(db_url: str, tmp_path: Path) -> None:
    asyncio.run(_seed(db_url))
    for since, count in (
        ("2000-01-01", 2),
        ("2000-01-01T09:30:00+01:00", 2),
        ("2000-01-01T09:30", 2),
        ("2999-12-31", 0),
    ):
        code, out, err = invoke(["export", "--since", since, "--json"], tmp_path, db_url)
        assert code == 0, err
        assert len(json.loads(out)) == count, since

    for bad in ("yesterday", "2026-13-01", "01/12/2026", ""):
        code, _, err = invoke(["export", "--since", bad], tmp_path, db_url)
        assert code == 2 and "is not an ISO date" in err, bad
    code, _, err = invoke(["export", "--rating", "meh"], tmp_path, db_url)
    assert code == 2 and "--rating 'meh' is not one of: up, down" in err
