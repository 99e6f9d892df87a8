"""One list of action statuses for the CLI, the API and the README (#19 item 3).

`coworker actions list --status all` and `GET /api/actions?status=all` both list every
action of the caller; an unknown status is refused by both, naming the same valid ones
(`agent/statuses.py`), a usage error (exit 2) in the terminal and a 422 over HTTP.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from coworker.agent.statuses import STATUS_CHOICES, status_help
from tests.channels.test_cli_paging import _seed, invoke
from tests.channels.test_web_api import EMAIL, S, serve  # noqa: F401 - the fixture

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_cli_lists_all_and_refuses_an_unknown_status_naming_the_valid_ones(
    tmp_path: Path,
) -> None:
    first, second = asyncio.run(_seed(tmp_path, 2))
    code, out, err = invoke(["actions", "reject", first, "--json"], tmp_path)
    assert code == 0, err

    code, out, err = invoke(["actions", "list", "--status", "all", "--json"], tmp_path)
    assert code == 0, err
    listed = {a["id"]: a["status"] for a in json.loads(out)["actions"]}
    assert listed == {first: "rejected", second: "pending"}
    code, out, _ = invoke(["actions", "list", "--status", "rejected", "--json"], tmp_path)
    assert [a["id"] for a in json.loads(out)["actions"]] == [first]

    code, _, err = invoke(["actions", "list", "--status", "done"], tmp_path)
    assert code == 2
    assert " ".join(status_help().split()) in " ".join(err.replace("│", " ").split())

    code, out, _ = invoke(["actions", "list", "--help"], tmp_path)
    flat = " ".join(out.replace("│", " ").split())
    assert all(status in flat for status in STATUS_CHOICES)


def test_the_api_lists_all_and_answers_422_naming_the_same_statuses(serve: Any) -> None:  # noqa: F811
    server = serve([S.tool_calls(("send_email", EMAIL))])
    action = server.http.post("/api/chat", json={"message": "email Jane"}).json()["actions"][0]

    for status in ("all", None):
        params = {"status": status} if status else {}
        listed = server.http.get("/api/actions", params=params).json()["actions"]
        assert [a["id"] for a in listed] == [action["id"]], status
    assert server.http.get("/api/actions", params={"status": "superseded"}).json()["actions"] == []

    answer = server.http.get("/api/actions", params={"status": "done"})
    assert answer.status_code == 422
    assert answer.json()["error"] == f"status 'done' is not one of: {status_help()}"

    described = json.dumps(server.http.get("/openapi.json").json()["paths"]["/api/actions"])
    assert status_help() in described


def test_the_readme_names_the_same_statuses() -> None:
    assert status_help() in " ".join(README.read_text().split())
