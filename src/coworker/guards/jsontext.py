"""JSON and text that the service can always parse, store and read back.

Two kinds of input crash Python code that is otherwise careful:

* JSON nested thousands deep: `json.loads` raises RecursionError (not ValueError), which
  error handlers written for bad JSON do not catch. `nesting_exceeds` measures the depth
  on the raw bytes, without recursion, before any parser sees them.
* A lone UTF-16 surrogate (`"\\ud800"` in JSON, or the bytes ED A0 80, which `json.loads`
  decodes with "surrogatepass"): a valid Python str that cannot be encoded as UTF-8, so it
  is stored fine and then breaks every later read that encodes it (a JSON answer, a
  PostgreSQL parameter). `lone_surrogate` finds one; `storable` replaces them with U+FFFD.

`install_storable` puts the second defence into a database engine: whatever a person, the
CRM or the model wrote, no row can hold text that a later read cannot encode.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

MAX_JSON_DEPTH = 64  # Slack's and MCP's deepest real payloads nest ~12; Python recurses ~1000

_SURROGATE = re.compile("[\ud800-\udfff]")
# What a column may not hold: lone surrogates (no UTF-8 for them) and NUL (PostgreSQL text
# refuses it, so the write itself fails).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# A string token (skipped whole, escapes and all) or a bracket.
_JSON_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
# What may become a lone surrogate once parsed: an escape for one, or its raw UTF-8-ish bytes.
_SURROGATE_HINT = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_OPENERS = frozenset(b"[{")
_QUOTE = ord('"')


class JsonTooDeep(ValueError):
    """JSON nested beyond `MAX_JSON_DEPTH` (a ValueError: it is bad input, like bad JSON)."""


def nesting_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Does this JSON text nest arrays/objects deeper than `limit`? A scan, not a parse.

    Brackets inside strings do not count. Malformed text is measured as far as it goes
    (the parser that comes after reports what is wrong with it).
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # cannot nest deeper than it has brackets: the usual, cheap answer
    depth = 0
    for token in _JSON_TOKENS.finditer(body):
        first = body[token.start()]
        if first == _QUOTE:
            continue
        if first in _OPENERS:
            depth += 1
            if depth > limit:
                return True
        else:
            depth = max(0, depth - 1)
    return False


def loads(raw: bytes | str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """`json.loads` that never recurses out of the stack: too deep raises JsonTooDeep."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if nesting_exceeds(data, max_depth):
        raise JsonTooDeep(f"JSON nested deeper than {max_depth} levels")
    return json.loads(raw)


def _any_text(value: Any, test: Callable[[str], bool]) -> bool:
    """Does `test` hold for this str, or any key or str inside these lists and dicts?"""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if test(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


def _has_surrogate(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def lone_surrogate(value: Any) -> bool:
    """Does this str, or any key or str inside these lists and dicts, hold a surrogate?

    Only lone ones exist in a Python str: a valid pair is decoded into one code point.
    """
    return _any_text(value, _has_surrogate)


def json_body_has_lone_surrogate(body: bytes) -> bool:
    """Would this JSON body, once parsed, hold a lone surrogate? Parses only when the bytes
    hint at one (an escape in the D800-DFFF range, or the bytes of one), so an emoji's
    escaped pair costs one parse and plain text none. Call after the depth check."""
    if not _SURROGATE_HINT.search(body):
        return False
    try:
        return lone_surrogate(json.loads(body))
    except ValueError:
        return False  # not JSON at all: the parser behind us says so


def _unstorable(text: str) -> bool:
    return "\x00" in text or _has_surrogate(text)


def needs_storable(value: Any) -> bool:
    """Does `value` (a str, or lists, tuples and dicts of them) hold a lone surrogate or NUL?"""
    return _any_text(value, _unstorable)


def storable(value: Any) -> Any:
    """`value` with every lone surrogate and NUL replaced by U+FFFD, in strs, keys and nested
    lists and dicts (tuples become lists, as JSON would make them); otherwise unchanged.
    """
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value) if _unstorable(value) else value
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [storable(v) for v in value]
    return value


def dumps_storable(value: Any) -> str:
    """The JSON a database column gets: `json.dumps`, with lone surrogates replaced.

    Escaped (ASCII) output hides a surrogate from the driver, but not from the next reader.
    """
    text = json.dumps(value)
    if _SURROGATE_ESCAPE.search(text) and lone_surrogate(value):
        text = json.dumps(storable(value))
    return text


def loads_storable(text: str | bytes) -> Any:
    """JSON read from a database column; a row written before this defence, holding a lone
    surrogate, is read with U+FFFD in its place rather than breaking the answer."""
    value = json.loads(text)
    hint = text if isinstance(text, str) else text.decode("utf-8", "replace")
    return storable(value) if _SURROGATE_ESCAPE.search(hint) else value


# What `create_engine`/`create_async_engine` take so that JSON columns go through the above.
STORABLE_JSON = {"json_serializer": dumps_storable, "json_deserializer": loads_storable}


def _same_shape(value: Any) -> Any:
    """`storable` for DB-API parameters: tuples stay tuples (drivers take either, but why
    change what works)."""
    if isinstance(value, tuple):
        return tuple(_same_shape(v) for v in value)
    if isinstance(value, list):
        return [_same_shape(v) for v in value]
    if isinstance(value, dict):
        return {k: _same_shape(v) for k, v in value.items()}
    return storable(value)


def _storable_parameters(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> tuple[str, Any]:
    return statement, _same_shape(parameters) if needs_storable(parameters) else parameters


def install_storable(engine: Engine | AsyncEngine) -> None:
    """Every text parameter this engine sends has its lone surrogates and NULs replaced: a
    title, an error text or a reason can no more break a write or a later read than a JSON
    column can."""
    sync = engine.sync_engine if isinstance(engine, AsyncEngine) else engine
    event.listen(sync, "before_cursor_execute", _storable_parameters, retval=True)
