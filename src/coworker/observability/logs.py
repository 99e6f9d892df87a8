"""Structured logs: one JSON object per line (or readable text at a terminal), with the ids
of the work in hand and none of its content.

Every line carries `time`, `level`, `logger`, `message` and, where known, `request_id`,
`conversation_id`, `user` (a hash, never the raw id) and `channel`, plus the structured
fields the call passed with `extra=log_fields(...)`. CRM data is personal data: unless
COWORKER_LOG_CONTENT=1, call sites leave message text, tool inputs and results out, an
exception's message is withheld (its type and stack stay), and the HTTP clients' request
lines, whose URLs carry search terms, are not logged at INFO.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TextIO

from coworker.config import Settings
from coworker.observability import context

# Loggers that print whole URLs (query strings hold search terms) at INFO.
URL_LOGGERS = ("httpx", "httpx2", "httpcore", "httpcore2")
_HANDLER_MARK = "_coworker_log_handler"
_WITHHELD = "message withheld; COWORKER_LOG_CONTENT=1 shows it"

_content_default = False


def content_enabled() -> bool:
    """May this line carry message text, tool payloads and results? Off unless configured."""
    bound = context.log_content.get()
    return _content_default if bound is None else bound


def log_fields(**fields: Any) -> dict[str, Any]:
    """`extra=` for a log call: structured fields, kept apart from the message text."""
    return {"fields": fields}


def _context_fields() -> dict[str, str]:
    values = {
        "request_id": context.request_id.get(),
        "conversation_id": context.conversation_id.get(),
        "user": context.user.get(),
        "channel": context.channel.get(),
    }
    return {key: value for key, value in values.items() if value is not None}


_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _exception_text(exc_info: _ExcInfo) -> str:
    """The traceback; without content, exception messages (which may quote inputs) left out."""
    kind, error, tb = exc_info
    if content_enabled():
        return "".join(traceback.format_exception(kind, error, tb)).rstrip()
    lines = ["Traceback (most recent call last):"]
    for frame in traceback.extract_tb(tb):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
    lines.append(f"{kind.__module__}.{kind.__qualname__} ({_WITHHELD})")
    cause = error.__cause__ or error.__context__
    while cause is not None:
        lines.append(f"  caused by {type(cause).__module__}.{type(cause).__qualname__}")
        cause = cause.__cause__ or cause.__context__
    return "\n".join(lines)


def _exc_info(record: logging.LogRecord) -> _ExcInfo | None:
    info = record.exc_info
    if not info or info[0] is None or info[1] is None:
        return None
    return (info[0], info[1], info[2])


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        created = datetime.fromtimestamp(record.created, UTC)
        entry: dict[str, Any] = {
            "time": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_context_fields(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            for key, value in fields.items():
                entry.setdefault(key, value)
        exc_info = _exc_info(record)
        if exc_info is not None:
            entry["error_type"] = exc_info[0].__name__
            entry["exception"] = _exception_text(exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The classic one-line format for a person at a terminal, the same fields appended."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = f"{self.formatTime(record)} {record.levelname} {record.name}: {record.getMessage()}"
        extra = dict(_context_fields())
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            extra.update(fields)
        if extra:
            line += " " + " ".join(f"{key}={_text_value(value)}" for key, value in extra.items())
        exc_info = _exc_info(record)
        if exc_info is not None:
            line += "\n" + _exception_text(exc_info)
        return line


def _text_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return json.dumps(text, ensure_ascii=False) if (" " in text or not text) else text


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def configure(
    settings: Settings,
    *,
    level: int = logging.INFO,
    stream: TextIO | None = None,
    force: bool = False,
) -> logging.Handler | None:
    """Send the process's logs to stderr (or `stream`) in the configured format.

    Like `logging.basicConfig`, it leaves a root logger that something else already set up
    (a host application, pytest) alone unless `force`; calling it again replaces its own
    handler. Either way the content setting becomes the process default (an app still binds
    its own per request) and the URL-printing HTTP loggers are quietened without it.
    """
    global _content_default
    _content_default = settings.log_content
    url_level = logging.NOTSET if settings.log_content else logging.WARNING
    for name in URL_LOGGERS:
        logging.getLogger(name).setLevel(url_level)
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]
    if len(ours) < len(root.handlers) and not force:
        return None
    target = stream if stream is not None else sys.stderr
    form = settings.log_format
    if form == "auto":
        form = "text" if _is_terminal(target) else "json"
    handler = logging.StreamHandler(target)
    handler.setFormatter(JsonFormatter() if form == "json" else TextFormatter())
    setattr(handler, _HANDLER_MARK, True)
    for old in ours:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler
