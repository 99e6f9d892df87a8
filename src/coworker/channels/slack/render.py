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

# The card's words are the server's (`ActionView.label`, `card`, `outcome`); Slack adds its icons.
ICONS = {
    "succeeded": ":white_check_mark:",
    "failed": ":x:",
    "unknown": ":warning:",
    "stale": ":arrows_counterclockwise:",
    "rejected": ":no_entry_sign:",
    "expired": ":hourglass:",
    "superseded": ":fast_forward:",
    "executing": ":hourglass_flowing_sand:",
    "pending": ":hourglass_flowing_sand:",
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
    """The card's fields in order; a multiline one (a body, a message) as a quote."""
    return [
        _quote(field.value)
        if field.multiline
        else f"*{escape(field.label)}:* {escape(field.value)}"
        for field in action.card
    ]


def _quote(text: str) -> str:
    body = escape(text)[: MAX_CHUNK - 200]
    return "\n".join("> " + line for line in body.splitlines()) or "> "


def action_title(action: ActionView) -> str:
    label = escape(action.label or action.tool)
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
    outcome = f"{ICONS.get(action.status, '')} {escape(action.outcome or action.status)}".strip()
    if decider and action.status in {"succeeded", "failed", "unknown", "rejected"}:
        outcome += f" (decided by <@{decider}>)"
    body = "\n".join([action_title(action), *_payload_lines(action)])
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": outcome}]},
    ]


def outcome_text(action: ActionView) -> str:
    said = action.outcome or "waiting for approval"
    return f"{action.label or action.tool}: {said}"


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


FEEDBACK_ACTION = "coworker_feedback"
FEEDBACK_VALUE_LIMIT = 2000  # Slack's limit on a feedback button's value


def feedback_blocks(conversation_id: str, reply_id: str | None) -> list[dict[str, Any]]:
    """Slack's feedback control under one final reply (`feedback.py` records a press);
    none when the turn stored no reply to rate. A value names the rating and the reply,
    `up:<conversation>:<reply>`, so a press needs no lookup."""
    if not reply_id or not conversation_id:
        return []
    values = {rating: f"{rating}:{conversation_id}:{reply_id}" for rating in ("up", "down")}
    if any(len(v) > FEEDBACK_VALUE_LIMIT for v in values.values()):
        return []
    return [
        {
            "type": "context_actions",
            "elements": [
                {
                    "type": "feedback_buttons",
                    "action_id": FEEDBACK_ACTION,
                    "positive_button": {
                        "text": {"type": "plain_text", "text": "Good reply"},
                        "accessibility_label": "This reply was helpful",
                        "value": values["up"],
                    },
                    "negative_button": {
                        "text": {"type": "plain_text", "text": "Bad reply"},
                        "accessibility_label": "This reply was not helpful",
                        "value": values["down"],
                    },
                }
            ],
        }
    ]
