"""The guards' pieces on their own: depth without recursion, surrogates, what a column may
hold, URLs as shown, header injection, and which failures are bad input."""

from __future__ import annotations

import json

import pytest

from coworker.guards.errors import refusal_for
from coworker.guards.jsontext import (
    JsonTooDeep,
    dumps_storable,
    json_body_has_lone_surrogate,
    loads,
    loads_storable,
    nesting_exceeds,
    storable,
)
from coworker.guards.mail import header_injection
from coworker.guards.urls import display_url


@pytest.mark.parametrize(
    ("body", "deeper_than_3"),
    [
        (b"[[[]]]", False),
        (b"[[[[]]]]", True),
        (b'{"a": {"b": {"c": 1}}}', False),
        (b'{"a": {"b": {"c": {"d": 1}}}}', True),
        (b'["[[[[", "{{{{"]', False),  # brackets inside strings
        (b'["\\"[[[[[", 1]', False),  # an escaped quote does not end the string
        (b'["\\\\", [[[1]]]]', True),  # an escaped backslash does
        (b"[][][][][][][][]", False),
        (b"{{{{", True),  # unclosed
    ],
)
def test_nesting_is_measured_without_parsing(body: bytes, deeper_than_3: bool) -> None:
    assert nesting_exceeds(body, 3) is deeper_than_3


def test_loads_refuses_what_would_overflow_the_stack() -> None:
    with pytest.raises(JsonTooDeep):
        loads(b"[" * 100_000 + b"]" * 100_000)
    assert loads('{"a": [1, 2]}') == {"a": [1, 2]}


@pytest.mark.parametrize(
    ("body", "lone"),
    [
        (b'"\\ud800"', True),
        (b'{"\\udc00": 1}', True),
        (b'"\\ud83c\\udf89"', False),  # a pair: one emoji
        (b'"\\\\ud800"', False),  # an escaped backslash, then text
        (b'"\xed\xa0\x80"', True),  # the raw bytes json.loads decodes with surrogatepass
        (b'"plain"', False),
        (b"not json \\ud800", False),  # the parser behind says what is wrong
    ],
)
def test_lone_surrogates_are_found_in_json_bodies(body: bytes, lone: bool) -> None:
    assert json_body_has_lone_surrogate(body) is lone


def test_storable_text_replaces_only_what_cannot_be_stored() -> None:
    value = {"k\ud800": ["a\udfff", ("b\x00",), 1, None, "🎉 ok"]}
    assert storable(value) == {"k\ufffd": ["a\ufffd", ["b\ufffd"], 1, None, "🎉 ok"]}
    assert storable("fine") == "fine"
    stored = dumps_storable({"t": "x\ud800", "e": "🎉"})
    assert json.loads(stored) == {"t": "x\ufffd", "e": "🎉"}
    assert loads_storable('{"t": "old row \\ud800"}') == {"t": "old row \ufffd"}


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://user:pass@crm.example:8080/v1", "http://crm.example:8080/v1"),
        ("https://token@crm.example", "https://crm.example"),
        (
            "postgresql+asyncpg://app:s3cret@db:5432/coworker",
            "postgresql+asyncpg://db:5432/coworker",
        ),
        ("https://crm.example/x?api_key=k&page=2", "https://crm.example/x?api_key=***&page=2"),
        ("sqlite+aiosqlite:////var/lib/c.db", "sqlite+aiosqlite:////var/lib/c.db"),
        ("https://crm.example", "https://crm.example"),
        ("http://u:p@[::1", "http://[::1"),  # unparseable: the user-info still goes
    ],
)
def test_urls_are_shown_without_credentials(url: str, shown: str) -> None:
    assert display_url(url) == shown


@pytest.mark.parametrize("subject", ["a\r\nBcc: x@y.z", "a\nb", "a\rb", "a\x00b"])
def test_a_line_break_in_a_header_field_is_refused(subject: str) -> None:
    problem = header_injection({"subject": subject, "body_text": "line\nbreaks\r\nfine here"})
    assert problem is not None and "single line" in problem
    assert header_injection({"subject": "one line", "body_text": "a\r\nb"}) is None


def test_failures_that_bad_input_causes_are_refusals() -> None:
    try:
        json.loads("[" * 100_000)
    except RecursionError as error:
        assert refusal_for(error) == (400, refusal_for(RecursionError())[1])  # type: ignore[index]
    try:
        "\ud800".encode()
    except UnicodeEncodeError as error:
        wrapped = ValueError("serializing failed")
        wrapped.__cause__ = error
        assert refusal_for(wrapped) is not None and refusal_for(wrapped)[0] == 422  # type: ignore[index]
    assert refusal_for(KeyError("a bug")) is None
