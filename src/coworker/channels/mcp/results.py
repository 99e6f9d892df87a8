"""What an MCP caller gets back: a tool's compacted result, an error that says how to fix
the call, or a pending action with its exact payload.

A pending action names no way to decide it: no endpoint, no command. The client's model
must not approve its own sends, so it is told that the person approves or cancels in the
coworker itself (its web chat, whose widget shows actions waiting from elsewhere, or their
own terminal; never Slack, which shows no MCP actions), and to tell them so.
"""

from __future__ import annotations

import mcp.types as types

from coworker.agent.direct import DirectOutcome
from coworker.agent.events import ActionView
from coworker.tools.executor import ToolOutcome

WHERE_DECIDED = (
    "in the coworker: its web chat (which shows actions waiting from elsewhere) or their own "
    "terminal"
)


def payload_lines(action: ActionView) -> list[str]:
    """The exact payload as the server's card reads it: names a person recognises."""
    return [f"{field.label}: {field.value}" for field in action.card]


def pending_result(action: ActionView) -> types.CallToolResult:
    """Not an error: the call did what it should, which is to wait for the person."""
    expires = action.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join(
        [
            f"Waiting for approval: {action.tool} has NOT run. Nothing was sent or changed.",
            f"Action {action.id}, {action.label} ({action.risk}):",
            *(f"  {line}" for line in payload_lines(action)),
            f"It waits for the person's approval {WHERE_DECIDED}, until {expires}. Only they "
            "can approve or cancel it; you cannot.",
            "Tell the person it is waiting for them; do not call the tool again to retry.",
        ]
    )
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)],
        structured_content={
            "status": "pending_approval",
            "action": action.as_dict(),
            "waits_for": f"the person's approval, {WHERE_DECIDED}",
        },
    )


def outcome_result(outcome: ToolOutcome) -> types.CallToolResult:
    """The result exactly as our own model would read it (compacted JSON, or the fix)."""
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=outcome.content)],
        is_error=outcome.is_error,
    )


def rate_limited_result(per_minute: int, retry_after: int) -> types.CallToolResult:
    """Over the person's tool calls per minute: an error the client's model can act on."""
    text = (
        f"Too many tool calls: at most {per_minute} a minute for each person. Nothing ran. "
        f"Try again in {retry_after} s."
    )
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)],
        structured_content={"status": "rate_limited", "retry_after_seconds": retry_after},
        is_error=True,
    )


def result_of(outcome: DirectOutcome) -> types.CallToolResult:
    if outcome.action is not None:
        return pending_result(outcome.action)
    assert outcome.result is not None
    return outcome_result(outcome.result)
