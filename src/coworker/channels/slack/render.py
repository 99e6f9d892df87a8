"""Events and actions as Slack messages: Markdown to mrkdwn, splitting, approval cards."""

from __future__ import annotations

import re
from typing import Any

from coworker.agent.events import ActionView

# A section block's text is capped at 3000 characters; a message's text at 40k, but Slack
# advises staying under 4000. Chunks stay under both.
MAX_CHUNK = 2900
PLACEHOLDER = "_Working on it…_"

_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)
_STRIKE = re.compile(r"~~(.+?)~~")
_BULLET = re.compile(r"^(\s*)[-*]\s+", re.MULTILINE)

TOOL_LABELS = {
    "send_email": "Send email",
    "send_sms": "Send text message",
    "enroll_in_sequence": "Enroll in sequence",
}

OUTCOMES = {
    "succeeded": ":white_check_mark: Done",
    "failed": ":x: Failed",
    "unknown": ":warning: Outcome unknown (it may have gone out; check the CRM's history)",
    "stale": ":arrows_counterclockwise: Not run: it changed since you saw this card",
    "rejected": ":no_entry_sign: Cancelled",
    "expired": ":hourglass: Expired",
    "superseded": ":fast_forward: Superseded by a newer message",
    "executing": ":hourglass_flowing_sand: Running",
    "pending": ":hourglass_flowing_sand: Waiting for approval",
}


def escape(text: str) -> str:
    """Slack's three control characters; everything else is literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(markdown: str) -> str:
    """Markdown from the model as Slack mrkdwn: bold, links, headings, strikes, bullets."""
    text = escape(markdown)
    text = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", text)
    text = _HEADING.sub(lambda m: f"*{m.group(1).strip()}*", text)
    text = _BOLD.sub(lambda m: f"*{m.group(1) or m.group(2)}*", text)
    text = _STRIKE.sub(lambda m: f"~{m.group(1)}~", text)
    return _BULLET.sub(lambda m: f"{m.group(1)}• ", text)


def split_text(text: str, limit: int = MAX_CHUNK) -> list[str]:
    """`text` in chunks under `limit`, cut at paragraph, then line, then word boundaries."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or window.rfind(" ")
        if cut <= limit // 4:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks or [""]


def tool_line(names: list[str]) -> str | None:
    """Tool activity in one context line: `Used search_leads ×2, get_lead`."""
    if not names:
        return None
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    parts = [f"`{n}`" + (f" ×{c}" if c > 1 else "") for n, c in counts.items()]
    return "Used " + ", ".join(parts)


def reply_messages(text: str, tools: list[str]) -> list[dict[str, Any]]:
    """The final reply as one or more messages (text + blocks), the tool line on the last."""
    chunks = split_text(to_mrkdwn(text)) if text.strip() else ["(no reply)"]
    messages: list[dict[str, Any]] = [
        {
            "text": chunk,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}}],
        }
        for chunk in chunks
    ]
    line = tool_line(tools)
    if line:
        messages[-1]["blocks"].append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": line}]}
        )
    return messages


def _payload_lines(action: ActionView) -> list[str]:
    lines = [
        f"*{label}:* {escape(str(action.display[key]))}"
        for key, label in (
            ("from", "From"),
            ("to", "To"),
            ("lead", "Lead"),
            ("sequence", "Sequence"),
            ("task", "Task"),
        )
        if action.display.get(key)
    ]
    data = {**action.input, **(action.edits or {})}
    if action.tool == "send_email":
        lines.append(f"*Subject:* {escape(str(data.get('subject', '')))}")
        lines.append(_quote(str(data.get("body_text") or data.get("body") or "")))
    elif action.tool == "send_sms":
        lines.append(_quote(str(data.get("message", ""))))
    elif action.risk == "destructive":
        what = (
            action.display.get("lead")
            or action.display.get("task")
            or ", ".join(f"{k}={v}" for k, v in data.items())
        )
        lines.append(f"*This deletes:* {escape(str(what))}")
    else:
        lines.extend(f"*{escape(k)}:* {escape(str(v))}" for k, v in data.items())
    return lines


def _quote(text: str) -> str:
    body = escape(text)[: MAX_CHUNK - 200]
    return "\n".join("> " + line for line in body.splitlines()) or "> "


def action_title(action: ActionView) -> str:
    label = TOOL_LABELS.get(action.tool, action.tool.replace("_", " ").capitalize())
    return f"*{label}?*" if action.status == "pending" else f"*{label}*"


def approval_blocks(action: ActionView, requester: str) -> list[dict[str, Any]]:
    """The card for a pending action: the exact payload and Approve / Edit / Cancel."""
    body = "\n".join([action_title(action), *_payload_lines(action)])
    buttons: list[dict[str, Any]] = [
        _button("Approve", "approve", action.id, style="primary"),
    ]
    if action.editable:
        buttons.append(_button("Edit", "edit", action.id))
    buttons.append(_button("Cancel", "cancel", action.id, style="danger"))
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"Only <@{requester}> can decide this."}],
        },
        {"type": "actions", "block_id": f"action:{action.id}", "elements": buttons},
    ]


def outcome_blocks(action: ActionView, decider: str | None) -> list[dict[str, Any]]:
    """The card after a decision: the payload as it ran and the outcome, no buttons."""
    outcome = OUTCOMES.get(action.status, action.status)
    if decider and action.status in {"succeeded", "failed", "unknown", "rejected"}:
        outcome += f" by <@{decider}>"
    if action.status == "rejected" and action.reason:
        outcome += f": {escape(action.reason)}"
    if action.status in {"failed", "stale"} and action.error:
        outcome += f": {escape(action.error)}"
    body = "\n".join([action_title(action), *_payload_lines(action)])
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": outcome}]},
    ]


def outcome_text(action: ActionView) -> str:
    return f"{TOOL_LABELS.get(action.tool, action.tool)}: {OUTCOMES.get(action.status, '')}"


def _button(text: str, verb: str, action_id: str, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": f"coworker_{verb}",
        "value": action_id,
    }
    if style:
        button["style"] = style
    return button
