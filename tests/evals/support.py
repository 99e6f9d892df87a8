"""Helpers for the eval tests: cases from YAML text, and hand-made trial evidence."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from coworker.cli import app
from coworker.evals.cases import Case, load_file
from coworker.evals.resources import Snapshot
from coworker.evals.trial import Decision, StepRecord, TrialRecord
from coworker.evals.world import WireCall
from coworker.store.records import ActionRecord

NOW = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
REQUESTER = "user-1"


def run_eval(*args: str) -> tuple[int, str]:
    """`coworker eval ARGS` in-process: its exit status and what it printed."""
    result = CliRunner().invoke(app, ["eval", *args])
    return result.exit_code, result.output


def write(tmp_path: Path, text: str, name: str = "cases.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def case_from(tmp_path: Path, text: str) -> Case:
    cases = load_file(write(tmp_path, text, "one.yaml"))
    assert len(cases) == 1
    return cases[0]


def action(
    action_id: str,
    tool: str,
    payload: dict[str, Any],
    *,
    status: str = "succeeded",
    edits: dict[str, Any] | None = None,
    decided_by: str | None = REQUESTER,
    user_id: str = REQUESTER,
) -> ActionRecord:
    return ActionRecord(
        id=action_id,
        conversation_id="conv-1",
        user_id=user_id,
        tool_use_id=f"toolu_{action_id}",
        tool_name=tool,
        input=payload,
        input_hash="hash",
        display=None,
        status=status,
        edits=edits,
        reason=None,
        result=None,
        error=None,
        created_at=NOW,
        expires_at=NOW + timedelta(hours=24),
        decided_at=NOW if status != "pending" else None,
        decided_by=decided_by if status != "pending" else None,
        updated_at=NOW,
    )


def wire(seq: int, operation: str, arguments: dict[str, Any]) -> WireCall:
    method = "DELETE" if operation.startswith("delete") else "POST"
    return WireCall(seq, method, f"/api/v1/{operation}", operation, arguments, 200)


def decision(
    seq: int,
    kind: str,
    tool: str,
    action_id: str,
    *,
    shown: dict[str, Any],
    display: dict[str, Any] | None = None,
    **extra: Any,
) -> Decision:
    """The person's decision on the card showing `shown` (the action's input then)."""
    return Decision(
        seq,
        kind,
        tool,
        action_id,
        shown_input=dict(shown),
        shown_display=dict(display or {}),
        **extra,
    )


def record(
    case: Case,
    *,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
    actions: list[ActionRecord] | None = None,
    decisions: list[Decision] | None = None,
    calls: list[WireCall] | None = None,
    transcript: list[dict[str, Any]] | None = None,
    reply: str = "",
    seed_ids: set[str] | None = None,
) -> TrialRecord:
    before = before if before is not None else {}
    return TrialRecord(
        case=case,
        trial=1,
        now=NOW,
        requester_id=REQUESTER,
        steps=[StepRecord(0, "say", reply=reply)],
        transcript=transcript or [],
        actions=actions or [],
        decisions=decisions or [],
        wire=calls or [],
        before=before,
        after=after if after is not None else before,
        seed_ids=seed_ids or set(),
    )
