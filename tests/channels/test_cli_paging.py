"""`coworker actions list --limit N --cursor C`: the CLI pages like the web API, and refuses
a bad cursor or an unknown status with a message instead of a traceback."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from coworker.cli import app
from coworker.config import Settings, get_settings
from coworker.store.engine import database_url
from coworker.store.facade import Store


def invoke(args: list[str], data_dir: Path) -> tuple[int, str, str]:
    get_settings.cache_clear()
    env = {"COWORKER_DATA_DIR": str(data_dir), "COWORKER_SCHEDULER": "0"}
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


async def _seed(data_dir: Path, count: int) -> list[str]:
    """`count` pending SMS actions for the local user, oldest first."""
    store = await Store.open(database_url(Settings(data_dir=data_dir)))
    try:
        user = await store.ensure_user("local")
        conversation = await store.get_or_create_conversation(user.id, "cli", "c1")
        expires = datetime.now(UTC) + timedelta(hours=1)
        made = []
        for n in range(count):
            action = await store.create_action(
                conversation.id, user.id, f"toolu_{n}", "send_sms", {"message": f"m{n}"}, expires
            )
            made.append(action.id)
        return made
    finally:
        await store.close()


def test_actions_list_pages_with_limit_and_cursor(tmp_path: Path) -> None:
    made = asyncio.run(_seed(tmp_path, 5))
    seen: list[str] = []
    args = ["actions", "list", "--status", "all", "--limit", "2", "--json"]
    cursor: str | None = None
    pages = 0
    while True:
        code, out, err = invoke([*args, *(["--cursor", cursor] if cursor else [])], tmp_path)
        assert code == 0, err
        page = json.loads(out)
        seen += [a["id"] for a in page["actions"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and seen == list(reversed(made))

    code, out, _ = invoke(["actions", "list", "--limit", "2"], tmp_path)
    assert code == 0 and "More: coworker actions list --status pending --limit 2 --cursor" in out


def test_actions_list_refuses_bad_paging_and_unknown_statuses(tmp_path: Path) -> None:
    asyncio.run(_seed(tmp_path, 1))
    code, _, err = invoke(["actions", "list", "--cursor", "nonsense"], tmp_path)
    assert code == 1 and "cursor is not valid" in err
    code, _, err = invoke(["actions", "list", "--status", "done"], tmp_path)
    assert code == 2 and "'done' is not one of: pending" in err  # a usage error, as --limit
    code, _, err = invoke(["actions", "list", "--limit", "500"], tmp_path)
    assert code == 2 and "200" in err  # typer's own range check: "less than or equal to 200"
