"""The words a person reads for the CRM's codes: "closed_won" is "Closed won".

Stages, call outcomes, lead statuses, priorities and lead sources are codes in the API. A
person should never read one: summaries, cards, the offline model's replies, Slack and the
terminal all say the word from here. The codes are read from the contract, so a value the
contract gains tomorrow gets a sensible word (its underscores as spaces, the first letter
capitalised) without a change here; `SAID` holds only the codes that default reads badly.
Lead sources are free text in the contract, so any code gets the same default.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from coworker.dialsheet.contract import Contract, load_contract

# Where the default reading of a code is not how people say it.
SAID: Mapping[str, str] = {
    "callback": "Call back",
    "linkedin": "LinkedIn",
    "smtp": "SMTP",
    "sms": "SMS",
}


def default_word(code: str) -> str:
    """A code as a word: `cold_call` → "Cold call"; text already in words keeps its case."""
    text = " ".join(code.replace("_", " ").replace("-", " ").split())
    if not text:
        return code
    return text[0].upper() + text[1:] if text == text.lower() else text


def _enum_codes(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        values = node.get("enum")
        if isinstance(values, list) and node.get("type") in ("string", None):
            found.update(v for v in values if isinstance(v, str))
        for child in node.values():
            _enum_codes(child, found)
    elif isinstance(node, list):
        for child in node:
            _enum_codes(child, found)


def words_of(contract: Contract) -> dict[str, str]:
    """Every string code the contract declares, with its word."""
    codes: set[str] = set()
    _enum_codes(contract.document.get("components", {}).get("schemas", {}), codes)
    return {code: SAID.get(code) or default_word(code) for code in sorted(codes)}


def enum_codes(schema: str) -> tuple[str, ...]:
    """The codes of one of the packaged contract's enums (`OpportunityStage`), in order."""
    values = load_contract().document["components"]["schemas"][schema].get("enum", [])
    return tuple(v for v in values if isinstance(v, str))


@cache
def _packaged() -> dict[str, str]:
    return words_of(load_contract())


@cache
def coded_fields() -> frozenset[str]:
    """Input and record fields whose value is a code (`stage`, `outcome`, `status`, ...), as
    the contract declares them, and `source`, a code by convention though free text."""
    contract = load_contract()
    fields = {"source"}
    for schema in contract.document.get("components", {}).get("schemas", {}).values():
        for name, prop in (contract.resolve(schema).get("properties") or {}).items():
            if isinstance(prop, dict) and isinstance(prop.get("enum"), list):
                fields.add(name)
    return frozenset(fields)


def word(code: object) -> str:
    """The word for a code, as a label or at the start of a sentence ("Closed won")."""
    text = "" if code is None else str(code)
    return _packaged().get(text) or SAID.get(text.lower()) or default_word(text)


def inline(code: object) -> str:
    """The word inside a sentence ("moved to closed won"); names like "LinkedIn" keep case."""
    said = word(code)
    return said[0].lower() + said[1:] if said[1:] == said[1:].lower() else said
