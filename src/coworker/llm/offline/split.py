"""Several requests in one message ("mark Luis as contacted and tag him as hot"), in order.

A message is cut where a connector ("and", "then", ";", ", also") is followed by the verb
that opens a new request, but only before the first text the person dictates (after a
colon or a quote everything is payload: "email her: hi, and thanks"). A task being
described keeps its own "and" ("remind me to call Jane and send the deck" is one task).
A pronoun in a later request ("tag him") means the lead the first request named, so it is
replaced by that name before the request is read, as a person would read it.
"""

from __future__ import annotations

import re

_VERBS = (
    r"remind|tag|untag|mark|email|e-mail|text|sms|log|create|add|move|send|update|set|"
    r"schedule|put|change|enroll|open|close|delete|remove|complete|show|list|find|tell|let|"
    r"ping|make|bump|push"
)
_CUT = re.compile(
    rf"(?:,?\s+and\s+(?:then\s+|also\s+)?|,\s*(?:then|also)\s+|;\s*|\.\s+(?:then\s+|also\s+)?|"
    rf"\s+then\s+)"
    rf"(?=(?:please\s+)?(?:{_VERBS})\b)",
    re.I,
)
_TASKISH = re.compile(r"^(?:remind|add (?:a )?task|create (?:a )?task|task)\b", re.I)
_STARTS = re.compile(r"^(?:remind|log|mark|tag|create|add|update|move|set)\b", re.I)
# "Jane's new address is x - update it and ...": "update it" repeats the first sentence.
_RESTATED = re.compile(r"\s+-\s+(?:please\s+)?(?:update|change|fix|set)\s+(?:it|that|this)\b", re.I)
_PAYLOAD = re.compile(r"[:\"“]")


def split_requests(text: str) -> list[str]:
    """The requests in `text`, in order; one item when it holds one request."""
    text = _RESTATED.sub("", text)
    payload = _PAYLOAD.search(text)
    head_end = payload.start() if payload else len(text)
    parts: list[str] = []
    start = 0
    for cut in _CUT.finditer(text, 0, head_end):
        before = text[start : cut.start()].strip()
        after = text[cut.end() :]
        if not before:
            continue
        if _TASKISH.match(before) and not _STARTS.match(after):
            continue
        parts.append(before)
        start = cut.end()
    parts.append(text[start:].strip())
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return [text]
    return _with_names(parts)


_NAME = re.compile(
    r"(?:^|\b(?:mark|tag|log that|that|email|text|call|update|on|for|with|to)\s+)"
    r"(?P<n>[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)"
)
_OBJECT = re.compile(
    r"\b(?:him|her|them)\b(?=\s*(?:$|[,.;:]|\s(?:as|the|a|an|to|about|that|on|"
    r"with|there|back|in|at|tomorrow|today|next)\b))",
    re.I,
)
_SUBJECT = re.compile(r"^(?:she|he|they)\b", re.I)


def _with_names(parts: list[str]) -> list[str]:
    """Later requests' "him"/"her" replaced by the person the first request named."""
    found = _NAME.search(parts[0])
    if found is None:
        return parts
    name = found["n"]
    if name.split()[0].lower() in ("i", "the", "my", "jane's") or name.endswith("'s"):
        name = name.removesuffix("'s")
    out = [parts[0]]
    for part in parts[1:]:
        part = _OBJECT.sub(name, part, count=1)
        part = _SUBJECT.sub(name, part, count=1)
        part = re.sub(rf"^(\w+\s+{re.escape(name)})\s+there\b", r"\1", part)
        out.append(part)
    return out
