"""What an MCP caller gets back: a tool's compacted result, an error that says how to fix
the call, or a pending action with its exact payload and how the person approves it."""

from __future__ import annotations

from typing import Protocol

import mcp.types as types

from coworker.agent.direct import DirectOutcome
from coworker.agent.events import ActionView
from coworker.tools.executor import ToolOutcome

LABELS = {"subject": "Subject", "body_text": "Body", "message": "Text", "to_email": "To"}


class ApprovalHelp(Protocol):
    """How the person decides, in the words of the transport they came through."""

    def __call__(self, action: ActionView) -> list[str]: ...


def web_api_help(action: ActionView) -> list[str]:
    """For HTTP callers: the web API, with the same bearer token (so the same person)."""
    return [
        f"approve: POST /api/actions/{action.id}/approve with the same bearer token "
        '(optional body {"edits": {"subject": ..., "body": ..., "message": ...}})',
        f'cancel: POST /api/actions/{action.id}/reject (optional body {{"reason": "..."}})',
        "list what waits: GET /api/actions?status=pending",
    ]


def terminal_help(action: ActionView) -> list[str]:
    """For stdio callers, who run as the local user: the `coworker` command."""
    return [
        f"approve: coworker actions approve {action.id} (edit first with --set body=...)",
        f'cancel: coworker actions reject {action.id} --reason "..."',
        "list what waits: coworker actions list",
    ]


def payload_lines(action: ActionView) -> list[str]:
    """The exact payload in names a person recognises; ids only where there is no name."""
    lines = [f"{label.capitalize()}: {value}" for label, value in action.display.items()]
    for key, value in action.input.items():
        shown_by_name = key.removesuffix("_id") in action.display or key == "email_account_id"
        if shown_by_name or (key == "to_email" and "to" in action.display):
            continue
        lines.append(f"{LABELS.get(key, key)}: {value}")
    return lines


def pending_result(action: ActionView, decide: ApprovalHelp) -> types.CallToolResult:
    """Not an error: the call did what it should, which is to wait for the person."""
    expires = action.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join(
        [
            f"Waiting for approval: {action.tool} has NOT run. Nothing was sent or changed.",
            f"Action {action.id} ({action.risk}):",
            *(f"  {line}" for line in payload_lines(action)),
            f"Only the person who asked can decide, until {expires}:",
            *(f"- {line}" for line in decide(action)),
            "Tell the person; do not call the tool again to retry.",
        ]
    )
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)],
        structured_content={
            "status": "pending_approval",
            "action": action.as_dict(),
            "how_to_decide": decide(action),
        },
    )


def outcome_result(outcome: ToolOutcome) -> types.CallToolResult:
    """The result exactly as our own model would read it (compacted JSON, or the fix)."""
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=outcome.content)],
        is_error=outcome.is_error,
    )


def result_of(outcome: DirectOutcome, decide: ApprovalHelp) -> types.CallToolResult:
    if outcome.action is not None:
        return pending_result(outcome.action, decide)
    assert outcome.result is not None
    return outcome_result(outcome.result)
