"""Bulk with one decision in the terminal (#18 item 4), in real processes: `coworker chat`
with piped input shows the emails one model response proposed as one numbered list; the
person unticks one, edits another, declines the final look once, then approves; exactly
the ticked emails are in the sandbox's outbox (its SQLite file), the edited one as edited.
`coworker actions approve --batch ID --except ID` does the same from a script. The model
is Claude's SDK against the local Anthropic stub."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from coworker.sandbox.seed import demo_id
from tests.channels.test_cli_terminal import COMMAND, env_for
from tests.support.anthropic_stub import AnthropicStub, StubReply

SUBJECT = "Quick hello (terminal batch)"
SLUGS = ("jane-smith", "priya-shah", "luis-ortega", "marcus-reed")
LEADS = [demo_id("lead", f"northwind:{slug}") for slug in SLUGS]
ASK = "email all new leads at Acme a quick hello"


@pytest.fixture
def stub() -> Iterator[tuple[AnthropicStub, str]]:
    stub = AnthropicStub(echo=False)
    with stub.run() as url:
        yield stub, url


def hellos() -> StubReply:
    """One response proposing four emails: one batch."""
    uses: list[Any] = [
        {
            "type": "tool_use",
            "name": "send_email",
            "input": {"lead_id": lead, "subject": SUBJECT, "body_text": "Hi! Quick hello."},
        }
        for lead in LEADS
    ]
    return StubReply(content=[{"type": "text", "text": "Four hellos:"}, *uses])


def run(args: list[str], env: dict[str, str], lines: Sequence[str] = ()) -> str:
    done = subprocess.run(
        [*COMMAND, *args],
        input="".join(line + "\n" for line in lines),
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


def outbox(tmp_path: Path) -> dict[str, str]:
    """Body of each email with the batch's subject, by lead."""
    with sqlite3.connect(tmp_path / "sandbox.db") as db:
        rows = db.execute("SELECT lead_id, body_text FROM emails WHERE subject = ?", (SUBJECT,))
        return {str(lead): str(body) for lead, body in rows.fetchall()}


def actions(env: dict[str, str]) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(
        run(["actions", "list", "--status", "all", "--json"], env)
    )["actions"]
    return listed


def test_untick_one_edit_one_decline_once_then_approve_sends_exactly_three(
    tmp_path: Path, stub: tuple[AnthropicStub, str]
) -> None:
    model, url = stub
    env = env_for(tmp_path, ANTHROPIC_API_KEY="k", ANTHROPIC_BASE_URL=url)
    model.plan(hellos(), StubReply.text("Three hellos are out; Marcus was left out."))
    out = run(
        ["chat"],
        env,
        [
            ASK,
            "t 4",  # leave Marcus out
            "t 9",  # no such item
            "e 2",
            "body",
            "Hi Priya,",
            "a quick hello from Alex.",
            ".",
            "",  # done editing
            "a",
            "n",  # the final look, declined: nothing runs
            "a",
            "y",
            "exit",
        ],
    )
    assert "4 actions wait for your approval (one decision):" in out
    assert "[ ] 4. Send an email" in out and "[x] 2. Send an email (edited)" in out
    assert "No item 9: 1 to 4." in out
    looks = out.split("These 3 will run, exactly as shown:")
    assert len(looks) == 3, "the final look, shown twice (declined once)"
    assert "Not sent; the list still waits." in looks[1]
    assert "        Hi Priya,\n        a quick hello from Alex." in looks[2]
    assert "Left out (cancelled): 4" in looks[2]
    assert "Three hellos are out" in out
    assert outbox(tmp_path) == {
        LEADS[0]: "Hi! Quick hello.",
        LEADS[1]: "Hi Priya,\na quick hello from Alex.",
        LEADS[2]: "Hi! Quick hello.",
    }
    statuses = {a["input"]["lead_id"]: (a["status"], a["reason"]) for a in actions(env)}
    assert statuses[LEADS[3]] == ("rejected", "Left out of the batch")
    assert [s for s, _ in statuses.values()].count("succeeded") == 3
    assert len(model.requests) == 2, "the model's turn went on once, after the last item"


def test_later_then_approve_the_batch_from_a_script_but_one(
    tmp_path: Path, stub: tuple[AnthropicStub, str]
) -> None:
    model, url = stub
    env = env_for(tmp_path, ANTHROPIC_API_KEY="k", ANTHROPIC_BASE_URL=url)
    model.plan(hellos(), StubReply.text("Done: three sent."))
    out = run(["chat"], env, [ASK, "l", "exit"])
    waiting = [a for a in actions(env) if a["status"] == "pending"]
    assert len(waiting) == 4 and len({a["batch_id"] for a in waiting}) == 1
    batch_id = waiting[0]["batch_id"]
    assert f"coworker actions approve --batch {batch_id}" in out
    marcus = next(a["id"] for a in waiting if a["input"]["lead_id"] == LEADS[3])

    refused = subprocess.run(
        [*COMMAND, "actions", "approve", "--batch", batch_id, "--except", "nope"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "not a pending action of batch" in refused.stderr
    assert outbox(tmp_path) == {}

    answer = json.loads(
        run(["actions", "approve", "--batch", batch_id, "--except", marcus, "--json"], env)
    )
    assert sorted(a["status"] for a in answer["decided"]) == ["rejected", *["succeeded"] * 3]
    assert answer["reply"] == "Done: three sent."
    assert set(outbox(tmp_path)) == set(LEADS[:3])

    again = subprocess.run(
        [*COMMAND, "actions", "approve", "--batch", batch_id],
        env=env,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 2 and "waits for a decision" in again.stderr
    assert set(outbox(tmp_path)) == set(LEADS[:3]), "a second approve sends nothing"
