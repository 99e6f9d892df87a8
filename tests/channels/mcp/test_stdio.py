"""`coworker mcp` over stdio, as a desktop client starts it: a real process, the real client."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mcp import Client, StdioServerParameters

from tests.channels.mcp.conftest import EMAIL, assert_names_no_way_to_decide

COWORKER = str(Path(sys.executable).with_name("coworker"))


def _env(data_dir: Path) -> dict[str, str]:
    """This process's environment (the suite's guard already removed real keys), with the
    coworker's data in a fresh directory: embedded sandbox, SQLite, offline model."""
    return {**os.environ, "COWORKER_DATA_DIR": str(data_dir), "COWORKER_SCHEDULER": "0"}


def _coworker(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COWORKER, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


async def test_stdio_lists_tools_reads_and_leaves_sends_to_the_terminal(tmp_path: Path) -> None:
    env = _env(tmp_path)
    params = StdioServerParameters(command=COWORKER, args=["mcp"], env=env)
    async with Client(params) as client:
        tools = (await client.list_tools()).tools
        found = await client.call_tool("search_leads", {"search": "acme"})
        pending = await client.call_tool("send_email", EMAIL)
    assert len(tools) == 28  # 24 operations and 4 derived tools
    assert {"search_leads", "send_email", "prep_brief"} <= {t.name for t in tools}
    assert found.is_error is False
    leads = json.loads(found.content[0].text)["leads"]  # type: ignore[union-attr]
    assert leads and all(lead["company"] == "Acme Corp" for lead in leads)
    assert pending.is_error is False and pending.structured_content is not None
    action_id = pending.structured_content["action"]["id"]
    text = pending.content[0].text  # type: ignore[union-attr]
    # The client's model is told who decides, never a command it could run itself.
    assert f"Action {action_id}" in text and "approval in the coworker" in text
    assert_names_no_way_to_decide(text)
    assert_names_no_way_to_decide(json.dumps(pending.structured_content))

    listed = _coworker(env, "actions", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [a["id"] for a in json.loads(listed.stdout)["actions"]] == [action_id]
    approved = _coworker(env, "actions", "approve", action_id, "--json")
    assert approved.returncode == 0, approved.stderr
    (decided,) = json.loads(approved.stdout)["decided"]
    assert decided["status"] == "succeeded" and decided["result"]["email"]["to_email"] == (
        "jane@acme.com"
    )
