"""The pipeline and activity answers as Block Kit tables in Slack (#18 item 3).

The real bolt handlers behind signed requests, the offline model, the embedded sandbox CRM
and the mock Web API, which checks the `table` block against Slack's documented shape and
limits (`table_shape.py`): "how's my pipeline?" posts one table in the thread whose rows
are the CRM's deals by stage, read here straight from the sandbox; a workspace that
refuses the block gets the same numbers as lines.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from coworker.dialsheet.words import word
from coworker.llm.offline import OfflineModel
from coworker.sandbox.seed import DEMO_USERS
from coworker.tools.derived.figures import KIND_WORDS, money
from tests.channels.slack.conftest import SlackClient
from tests.channels.slack.mock_slack import MockSlack
from tests.channels.slack.slack_shapes import problem


def crm(client: SlackClient, path: str, **params: Any) -> Any:
    answer = client.http.get(
        f"/sandbox/api/v1{path}",
        params=params,
        headers={"Authorization": f"Bearer {DEMO_USERS[0].key}"},
    )
    answer.raise_for_status()
    return answer.json()


def expected_pipeline(client: SlackClient) -> list[list[str]]:
    deals: list[dict[str, Any]] = []
    page = 1
    while batch := crm(client, "/opportunities", page=page, limit=100)["opportunities"]:
        deals += batch
        page += 1
    me = crm(client, "/tasks", page=1, limit=1)["tasks"][0]["owner_id"]
    mine: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    team: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for deal in deals:
        for side in [team, mine] if deal["owner_id"] == me else [team]:
            side[deal["stage"]][0] += 1
            side[deal["stage"]][1] += float(deal["value"] or 0)
    rows = []
    for stage, (count, value) in team.items():
        yours = mine.get(stage, [0, 0.0])
        rows.append(
            [word(stage), str(int(yours[0])), money(yours[1], "USD")]
            + [str(int(count)), money(value, "USD")]
        )
    return sorted(rows)


def table_message(slack: MockSlack) -> dict[str, Any]:
    def find(s: MockSlack) -> Any:
        for call in s.of("chat.postMessage"):
            if call["_ok"] and any(b.get("type") == "table" for b in call.get("blocks") or []):
                return call
        return None

    found: dict[str, Any] = slack.wait_for(find, what="a table in the thread")
    return found


def cells(table: dict[str, Any]) -> list[list[str]]:
    return [[cell["text"] for cell in row] for row in table["rows"]]


def test_my_pipeline_is_a_table_with_the_crms_numbers(serve: Any) -> None:
    client = serve([], model=OfflineModel())
    assert client.dm("how's my pipeline?").status_code == 200
    message = table_message(client.slack)
    assert message["channel"] == "D1" and message["thread_ts"] == "1699999999.000100"
    (title, table) = [b for b in message["blocks"] if b["type"] in ("section", "table")]
    assert title["text"]["text"] == "*Pipeline by stage: yours and the team's*"
    header, *rows = cells(table)
    assert header == ["Stage", "Yours: deals", "Yours: value", "Team: deals", "Team: value"]
    assert sorted(rows) == expected_pipeline(client)
    assert table["column_settings"][1:] == [{"align": "right"}] * 4
    assert "Prospecting: Yours: deals" in message["text"]  # the notification's words
    # The reply streamed first, then the table under it.
    calls = [name for name, _ in client.slack.calls]
    assert calls.index("chat.stopStream") < calls.index("chat.postMessage")


def test_yesterdays_activity_is_a_table_of_each_kind(serve: Any) -> None:
    client = serve([], model=OfflineModel())
    assert client.dm("what did I do yesterday?").status_code == 200
    message = table_message(client.slack)
    table = next(b for b in message["blocks"] if b["type"] == "table")
    header, *rows = cells(table)
    assert header == ["Activity", "Yours"]
    assert [row[0] for row in rows] == list(KIND_WORDS.values())
    said = "".join(client.slack.streams().values())  # the reply's words agree with the table
    calls = dict(rows)["Calls"]
    assert f"{calls} calls" in said


def test_a_workspace_that_refuses_tables_gets_the_numbers_as_lines(serve: Any) -> None:
    client = serve([], model=OfflineModel())
    client.slack.refused_blocks.add("table")
    assert client.dm("how's my pipeline?").status_code == 200

    def lines(s: MockSlack) -> Any:
        return [
            c for c in s.of("chat.postMessage") if c["_ok"] and "Pipeline by stage" in c["text"]
        ]

    (message,) = client.slack.wait_for(lines, what="the table as lines")
    (block,) = message["blocks"]
    assert block["type"] == "section"
    for row in expected_pipeline(client):
        assert f"{row[0]}: Yours: deals {row[1]}, Yours: value {row[2]}" in block["text"]["text"]


def test_the_mock_holds_tables_to_slacks_limits() -> None:
    cell = {"type": "raw_text", "text": "1"}
    fine = {"type": "table", "rows": [[cell] * 20] * 100, "column_settings": [{"align": "right"}]}
    post = {"channel": "D1", "text": "t"}
    assert problem("chat.postMessage", {**post, "blocks": [fine]}) is None
    for wrong in (
        {**fine, "rows": [[cell]] * 101},
        {**fine, "rows": [[cell] * 21]},
        {**fine, "rows": [[{"type": "mrkdwn", "text": "1"}]]},
        {**fine, "column_settings": [{"align": "middle"}]},
    ):
        assert problem("chat.postMessage", {**post, "blocks": [wrong]}), wrong
    assert problem("chat.postMessage", {**post, "blocks": [fine, fine]})  # one per message
