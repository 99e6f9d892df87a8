"""What a signed /slack/events body may look like before bolt sees it.

Bolt parses a body as Slack sends it (a JSON object, a form whose `payload` is a JSON
object, or a plain form for slash commands) and then reads it without checking: an array,
a string, a `payload` that is `[]`, a `user` that is a list, an `event` that is a string
all make its middleware raise, which bolt answers with a 500. A signed body comes from
someone who holds the signing secret, so such a body is a misbehaving client, not Slack:
`parse` and `fields_error` say what is wrong and the endpoint answers 400 in the error shape.

It mirrors `slack_bolt.request.internals.parse_body` (how bolt decides JSON or form) and
checks, at the top level and in the nested `event` / `message` objects bolt descends into,
every field bolt's extractors read: ids are strings, containers are objects, lists hold
objects.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from coworker.guards import jsontext

# Fields bolt reads as an id string or as an object carrying an `id`.
_ID_OR_OBJECT = ("team", "user", "channel", "enterprise")
# Fields bolt reads as objects (and descends into).
_OBJECTS = ("event", "view", "message", "previous_message", "container", "state", "item")
# Fields bolt reads as lists of objects.
_LISTS_OF_OBJECTS = ("authorizations", "actions")
# Fields bolt reads as plain strings.
_STRINGS = (
    "type",
    "subtype",
    "team_id",
    "user_id",
    "channel_id",
    "enterprise_id",
    "api_app_id",
    "bot_id",
    "callback_id",
    "trigger_id",
    "command",
    "token",
)
_NESTED = ("event", "message", "previous_message")  # objects checked like the top level
_MAX_NESTING = 4


def parse(body: bytes, content_type: str | None) -> dict[str, Any] | str:
    """The payload bolt would read from `body`, or what is wrong with it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "a Slack request body is UTF-8"
    if not text.strip():
        return "an empty Slack request body"
    media = (content_type or "").split(";")[0].strip().lower()
    if media == "application/json" or text.startswith("{"):
        return _typed(_json_object(text, "the body"), "the body")
    form = parse_qs(text, keep_blank_values=True)
    payloads = form.get("payload")
    if payloads is not None:
        if len(payloads) != 1:
            return "a Slack form carries one `payload` field"
        return _typed(_json_object(payloads[0], "`payload`"), "`payload`")
    if not ("command" in form or "ssl_check" in form):
        return "a Slack request is a JSON object, a form with a `payload`, or a slash command"
    return {key: values[-1] for key, values in form.items()}


def fields_error(payload: dict[str, Any], where: str = "the payload", depth: int = 0) -> str | None:
    """What in a parsed payload bolt could not read, or None."""
    if depth > _MAX_NESTING:
        return None
    for name in _STRINGS:
        value = payload.get(name)
        if value is not None and not isinstance(value, str):
            return f"`{name}` in {where} is a string"
    for name in _ID_OR_OBJECT:
        value = payload.get(name)
        if value is not None and not isinstance(value, str | dict):
            return f"`{name}` in {where} is an id or an object"
        if isinstance(value, dict):
            for key in ("id", "team_id", "enterprise_id"):
                if value.get(key) is not None and not isinstance(value[key], str):
                    return f"`{name}.{key}` in {where} is a string"
    for name in _OBJECTS:
        value = payload.get(name)
        if value is not None and not isinstance(value, dict):
            return f"`{name}` in {where} is an object"
    for name in _LISTS_OF_OBJECTS:
        value = payload.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            return f"`{name}` in {where} is a list of objects"
        for item in value:
            problem = fields_error(item, f"`{name}`", depth + 1)
            if problem:
                return problem
    if payload.get("type") == "event_callback" and not isinstance(payload.get("event"), dict):
        return "an event_callback carries an `event` object"
    for name in _NESTED:
        value = payload.get(name)
        if isinstance(value, dict):
            problem = fields_error(value, f"`{name}`", depth + 1)
            if problem:
                return problem
    return None


def _typed(value: dict[str, Any] | str, what: str) -> dict[str, Any] | str:
    """Every JSON body and `payload` Slack sends names its `type`."""
    if isinstance(value, dict) and not isinstance(value.get("type"), str):
        return f"{what} of a Slack request names its `type`"
    return value


def _json_object(text: str, what: str) -> dict[str, Any] | str:
    try:
        value = jsontext.loads(text)
    except jsontext.JsonTooDeep:
        return f"{what} is JSON nested too deep"
    except ValueError:
        return f"{what} is not valid JSON"
    if not isinstance(value, dict):
        return f"{what} of a Slack request is a JSON object"
    return value
