"""Failures that bad input causes deep inside parsing or encoding, as the 4xx they are.

The body checks (`body.py`) stop deep JSON and lone surrogates at the door, but input also
arrives by other ways (a form field, a query string, a header, a CRM answer), and a parser
or encoder deep inside a library raises RecursionError or UnicodeError, which nothing
expects. The apps' last-resort handlers ask `refusal_for` before answering 500, so the
same inputs are refused wherever they get in.
"""

from __future__ import annotations

from coworker.guards.jsontext import MAX_JSON_DEPTH, JsonTooDeep

_CHAIN_LIMIT = 8  # causes followed; a library wraps a UnicodeEncodeError once or twice


def refusal_for(error: BaseException) -> tuple[int, str] | None:
    """(status, message) if `error`, or what caused it, is bad input; else None (a 500)."""
    seen: BaseException | None = error
    for _ in range(_CHAIN_LIMIT):
        if seen is None:
            return None
        if isinstance(seen, (RecursionError, JsonTooDeep)):
            return 400, f"input nested too deeply (the limit is {MAX_JSON_DEPTH} levels)"
        if isinstance(seen, UnicodeError):
            return 422, "text that cannot be encoded as UTF-8 (a lone surrogate?) is refused"
        seen = seen.__cause__ or seen.__context__
    return None
