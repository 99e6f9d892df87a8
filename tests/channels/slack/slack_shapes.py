"""The request shapes Slack documents for the agent methods, as the mock Web API checks them.

Each method lists its required and optional arguments; an unknown argument, a missing one
or a malformed value is refused with `invalid_arguments`, as Slack refuses it. Sources:
docs.slack.dev (agent sessions: `agents.sessions.setStatus` and `.rename`, statuses
processing / active / suspended / closed; `chat.startStream` / `appendStream` /
`stopStream` with `markdown_text` or `chunks`, `task_display_mode` timeline | plan,
`task_update` and `plan_update` chunks of at most 256 characters of text, task statuses
pending / in_progress / complete / error, `session_status` on stop; a request never
carries both `markdown_text` and `chunks`, and a stream keeps the mode it started in,
the errors the mock answers for each (`cannot_provide_both_markdown_text_and_chunks`,
`streaming_mode_mismatch`) being those Slack answers; suggested prompts of
a title and a message, at most four, `thread_ts` optional for agent apps; the
`context_actions` block with up to five `feedback_buttons` or `icon_button` elements, a
feedback button's text at most 75 characters and its value at most 2,000), and the
slack-sdk 3.48 client, which sends exactly these names.
"""

from __future__ import annotations

from typing import Any

from tests.channels.slack.table_shape import tables_problem

SESSION_STATUSES = {"processing", "active", "suspended", "closed"}
TASK_STATUSES = {"pending", "in_progress", "complete", "error"}
CHUNK_TEXT = 256
CUSTOMIZE = {"icon_emoji", "icon_url", "username"}

# method -> (required, optional)
METHODS: dict[str, tuple[set[str], set[str]]] = {
    "agents.sessions.setStatus": (
        {"channel_id", "status"},
        {"thread_ts", "title", "initiator_user_id"} | CUSTOMIZE,
    ),
    "agents.sessions.rename": ({"channel_id", "title"}, {"thread_ts"}),
    "assistant.threads.setStatus": (
        {"channel_id", "thread_ts", "status"},
        {"loading_messages"} | CUSTOMIZE,
    ),
    "assistant.threads.setSuggestedPrompts": ({"channel_id", "prompts"}, {"thread_ts", "title"}),
    "assistant.threads.setTitle": ({"channel_id", "thread_ts", "title"}, set()),
    "chat.startStream": (
        {"channel", "thread_ts"},
        {
            "markdown_text",
            "recipient_team_id",
            "recipient_user_id",
            "chunks",
            "task_display_mode",
        }
        | CUSTOMIZE,
    ),
    "chat.appendStream": ({"channel", "ts"}, {"markdown_text", "chunks"}),
    "chat.stopStream": (
        {"channel", "ts"},
        {"markdown_text", "blocks", "metadata", "chunks", "session_status"},
    ),
}


def problem(method: str, args: dict[str, Any]) -> str | None:
    """Why Slack would refuse this call's arguments, or None."""
    shape = METHODS.get(method)
    if shape is not None:
        required, optional = shape
        # `team_id` goes with every call bolt's client makes (org-wide installs need it).
        given = {k for k in args if not k.startswith("_") and k not in ("token", "team_id")}
        if missing := required - given:
            return f"missing {sorted(missing)}"
        if unknown := given - required - optional:
            return f"unknown {sorted(unknown)}"
    check = _CHECKS.get(method)
    if check is not None and (why := check(args)):
        return why
    return _blocks_problem(args.get("blocks"))


def _session(args: dict[str, Any]) -> str | None:
    if args["status"] not in SESSION_STATUSES:
        return f"status {args['status']!r}"
    return None


def _prompts(args: dict[str, Any]) -> str | None:
    prompts = args["prompts"]
    if not isinstance(prompts, list) or not 1 <= len(prompts) <= 4:
        return "prompts: one to four"
    for prompt in prompts:
        if not isinstance(prompt, dict) or set(prompt) != {"title", "message"}:
            return "a prompt is a title and a message"
        if not all(isinstance(v, str) and v for v in prompt.values()):
            return "a prompt's title and message are text"
    return None


def _stream(args: dict[str, Any]) -> str | None:
    mode = args.get("task_display_mode")
    if mode is not None and mode not in ("timeline", "plan"):
        return f"task_display_mode {mode!r}"
    status = args.get("session_status")
    if status is not None and status not in SESSION_STATUSES:
        return f"session_status {status!r}"
    return _chunks_problem(args.get("chunks"))


def _chunks_problem(chunks: Any) -> str | None:
    if chunks is None:
        return None
    if not isinstance(chunks, list) or not chunks:
        return "chunks: a non-empty array"
    for chunk in chunks:
        kind = chunk.get("type") if isinstance(chunk, dict) else None
        fields = {
            "markdown_text": ({"type", "text"}, set()),
            "plan_update": ({"type", "title"}, set()),
            "task_update": ({"type", "id", "title", "status"}, {"details", "output", "sources"}),
            "blocks": ({"type", "blocks"}, set()),
        }.get(str(kind))
        if fields is None:
            return f"chunk type {kind!r}"
        required, optional = fields
        if missing := required - set(chunk):
            return f"{kind} chunk: missing {sorted(missing)}"
        if unknown := set(chunk) - required - optional:
            return f"{kind} chunk: unknown {sorted(unknown)}"
        if kind == "task_update" and chunk["status"] not in TASK_STATUSES:
            return f"task status {chunk['status']!r}"
        for name in ("title", "details", "output"):
            if kind != "markdown_text" and len(str(chunk.get(name) or "")) > CHUNK_TEXT:
                return f"{kind} chunk: {name} over {CHUNK_TEXT} characters"
    return None


MAX_BLOCKS = 50  # per message
SECTION_TEXT = 3000
BUTTON_VALUE = 2000
OPTION_VALUE = 150
BLOCK_ID = 255


def _layout_problem(blocks: list[Any]) -> str | None:
    """Block Kit's documented limits on messages: 50 blocks, unique block ids of at most
    255 characters, section text of at most 3000, a button's value of at most 2000, an
    overflow menu of two to five options whose values are at most 150, an actions block of
    at most 25 elements."""
    if len(blocks) > MAX_BLOCKS:
        return f"{len(blocks)} blocks, over {MAX_BLOCKS}"
    ids = [b["block_id"] for b in blocks if isinstance(b, dict) and "block_id" in b]
    if len(ids) != len(set(ids)) or any(len(str(i)) > BLOCK_ID for i in ids):
        return "block_id: duplicated or too long"
    for block in blocks:
        if not isinstance(block, dict):
            return "a block is an object"
        text = (block.get("text") or {}).get("text", "") if block["type"] == "section" else ""
        if len(str(text)) > SECTION_TEXT:
            return f"section text over {SECTION_TEXT}"
        elements = list(block.get("elements") or []) if block["type"] == "actions" else []
        if len(elements) > 25:
            return "actions: over 25 elements"
        for element in [*elements, *([block["accessory"]] if "accessory" in block else [])]:
            if element.get("type") == "button" and len(str(element.get("value", ""))) > (
                BUTTON_VALUE
            ):
                return f"button value over {BUTTON_VALUE}"
            if element.get("type") == "overflow":
                options = element.get("options") or []
                if not 2 <= len(options) <= 5:
                    return "overflow: two to five options"
                if any(len(str(o.get("value", ""))) > OPTION_VALUE for o in options):
                    return f"overflow option value over {OPTION_VALUE}"
    return None


def _blocks_problem(blocks: Any) -> str | None:
    if not isinstance(blocks, list):
        return None
    if why := _layout_problem(blocks) or tables_problem(blocks):
        return why
    for block in blocks:
        if not isinstance(block, dict) or block.get("type") != "context_actions":
            continue
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= 5:
            return "context_actions: one to five elements"
        for element in elements:
            if element.get("type") not in ("feedback_buttons", "icon_button"):
                return f"context_actions element {element.get('type')!r}"
            if element["type"] == "feedback_buttons" and (why := _feedback(element)):
                return why
    return None


def _feedback(element: dict[str, Any]) -> str | None:
    if set(element) - {"type", "action_id", "positive_button", "negative_button"}:
        return "feedback_buttons: unknown field"
    for side in ("positive_button", "negative_button"):
        button = element.get(side)
        if not isinstance(button, dict) or set(button) - {"text", "value", "accessibility_label"}:
            return f"feedback_buttons.{side}"
        text = button.get("text") or {}
        if text.get("type") != "plain_text" or not 0 < len(str(text.get("text", ""))) <= 75:
            return f"feedback_buttons.{side}.text"
        if not 0 < len(str(button.get("value", ""))) <= 2000:
            return f"feedback_buttons.{side}.value"
    return None


_CHECKS = {
    "agents.sessions.setStatus": _session,
    "assistant.threads.setSuggestedPrompts": _prompts,
    "chat.startStream": _stream,
    "chat.appendStream": _stream,
    "chat.stopStream": _stream,
}
