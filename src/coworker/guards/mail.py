"""Email fields that become message headers must be one line of printable text.

A line break in a subject or an address lets whoever wrote it (a person, or the model
steered by text in the CRM) add headers of their own to the mail that goes out, such as a
Bcc (header injection). CR and LF are not the only line breaks: Python's `str.splitlines()`
(and so the `email` package when it folds and parses headers) also breaks at \\v, \\f,
\\x1c-\\x1e, U+0085 (NEL), U+2028 and U+2029. A header holds no control character at all
(RFC 5322: visible characters and white space), so every C0 and C1 control except a tab,
DEL, and the Unicode line and paragraph separators are refused. Both the coworker's tool
validation and the sandbox CRM refuse them, saying why.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

HEADER_FIELDS = ("subject", "to_email", "from_email")
_ALLOWED_CONTROLS = frozenset("\t")
_SEPARATORS = frozenset(("Zl", "Zp"))  # U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR


def breaks_header(ch: str) -> bool:
    """Would this character end a header line, or has it no place in one?"""
    if ch in _ALLOWED_CONTROLS:
        return False
    return unicodedata.category(ch) == "Cc" or unicodedata.category(ch) in _SEPARATORS


def header_injection(fields: Mapping[str, Any]) -> str | None:
    """What is wrong, if a header-bound field holds a line break or control; else None."""
    for name in HEADER_FIELDS:
        value = fields.get(name)
        if not isinstance(value, str) or value.isprintable():
            continue  # printable text (spaces included) cannot hold any of them
        found = next((ch for ch in value if breaks_header(ch)), None)
        if found is not None:
            return (
                f"{name} must be a single line: it holds a line break or control character "
                f"(U+{ord(found):04X}), which in an email header could add headers of its "
                "own. Remove it and try again."
            )
    return None
