"""`coworker chat` as a person uses it, in real processes (#19 item 3).

Piped input and a fake `$EDITOR` (a real program) edit a card's body over several lines;
the final card shows exactly what will be sent and is approved once more; the email in
the sandbox's outbox (its SQLite file) then has real line breaks and exists once. Nothing
is sent when the final card is declined. Each command is a child process over a data
directory of its own, with the offline model, as on a newcomer's machine.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

SUBJECT = "Pricing for Q3 (terminal test)"
COMMAND = [sys.executable, "-c", "from coworker.cli import main; main()"]
ASK = "email Jane Smith about pricing: Hi Jane, our pricing."


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"ANTHROPIC_API_KEY", "EDITOR", "VISUAL", "DIALSHEET_BASE_URL"}
    }
    return {**env, "COWORKER_DATA_DIR": str(tmp_path), "COLUMNS": "100", **extra}


def chat(lines: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [*COMMAND, "chat"],
        input="".join(line + "\n" for line in lines),
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def outbox(tmp_path: Path, subject: str = SUBJECT) -> list[tuple[str, str]]:
    with sqlite3.connect(tmp_path / "sandbox.db") as db:
        rows = db.execute(
            "SELECT subject, body_text FROM emails WHERE subject LIKE ?", (f"%{subject}%",)
        ).fetchall()
    return [(str(s), str(b)) for s, b in rows]


def pending(env: dict[str, str]) -> list[dict[str, object]]:
    done = subprocess.run(
        [*COMMAND, "actions", "list", "--json"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    actions: list[dict[str, object]] = json.loads(done.stdout)["actions"]
    return actions


def test_piped_multiline_edit_shows_the_final_card_and_sends_once(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    out = chat(
        [
            ASK,
            "e",
            "subject",
            SUBJECT,
            "body",
            "Hi Jane,",
            r"here is our pricing.\nThree tiers, all monthly.",
            "",
            "Best, Alex",
            ".",
            "",  # done editing
            "y",  # the final card, once more
            "exit",
        ],
        env,
    )
    body = "Hi Jane,\nhere is our pricing.\nThree tiers, all monthly.\n\nBest, Alex"
    assert outbox(tmp_path) == [(SUBJECT, body)], out
    final = out[out.index("exactly what will run") :]
    assert f"Subject: {SUBJECT}" in final
    assert "    here is our pricing.\n    Three tiers, all monthly." in final
    assert "\\n" not in final.split("exactly as shown?")[0], "a typed \\n is never shown raw"
    assert "Sent." in final
    assert pending(env) == []


def test_declining_the_final_card_sends_nothing_and_the_card_still_waits(
    tmp_path: Path,
) -> None:
    env = env_for(tmp_path)
    out = chat(
        [ASK, "e", "subject", SUBJECT, "", "n", "l", "exit"],
        env,
    )
    assert "exactly what will run" in out and "Not sent; the card still waits." in out
    assert outbox(tmp_path) == []
    (action,) = pending(env)
    assert action["status"] == "pending" and action["tool"] == "send_email"


def test_the_persons_editor_edits_the_body(tmp_path: Path) -> None:
    seen = tmp_path / "editor-saw.txt"
    editor = tmp_path / "fake-editor"
    editor.write_text(
        "#!/bin/sh\n"
        f'cp "$1" "{seen}"\n'
        f"printf 'Hi Jane,\\n\\nWritten in my editor.\\nTwo lines.\\n' > \"$1\"\n"
    )
    editor.chmod(0o755)
    env = env_for(tmp_path, EDITOR=str(editor))
    out = chat([ASK, "e", "subject", SUBJECT, "body", "", "y", "exit"], env)
    assert seen.read_text().strip() == "Hi Jane, our pricing.", "it opens the current body"
    body = "Hi Jane,\n\nWritten in my editor.\nTwo lines."
    assert outbox(tmp_path) == [(SUBJECT, body)], out
    assert "    Written in my editor.\n    Two lines." in out


def test_an_editor_that_fails_keeps_the_body(tmp_path: Path) -> None:
    editor = tmp_path / "broken-editor"
    editor.write_text("#!/bin/sh\nexit 3\n")
    editor.chmod(0o755)
    env = env_for(tmp_path, EDITOR=str(editor))
    out = chat([ASK, "e", "subject", SUBJECT, "body", "", "y", "exit"], env)
    assert outbox(tmp_path) == [(SUBJECT, "Hi Jane, our pricing.")], out


def test_a_typed_backslash_n_in_set_is_a_line_break(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    asked = subprocess.run(
        [*COMMAND, "chat", "-m", ASK, "--json"], env=env, capture_output=True, text=True
    )
    (action,) = json.loads(asked.stdout)["actions"]
    approved = subprocess.run(
        [*COMMAND, "actions", "approve", str(action["id"]), "--set", f"subject={SUBJECT}"]
        + ["--set", r"body=Hi Jane,\nTwo lines."],
        env=env,
        capture_output=True,
        text=True,
    )
    assert approved.returncode == 0, approved.stderr[-2000:]
    assert outbox(tmp_path) == [(SUBJECT, "Hi Jane,\nTwo lines.")]
