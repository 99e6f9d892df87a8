"""Values typed verbatim (emails, URLs, phones, quotes) survive every normaliser unchanged.

A heldout run wrote "cj.work@initech-email.example" for "cj.work@initech-mail.example": the
keyword fixer read "mail" inside the address as a slip for "email". Shorthand words inside
an address are just as much part of the value.
"""

from __future__ import annotations

import pytest

from coworker.llm.offline.shorthand import normalise
from coworker.llm.offline.text import Utterance

_VALUES = [
    "cj.work@initech-mail.example",
    "pls.reply@acme.example",
    "u@hooli.example",
    "jane@w-corp.example",
    "fu@tmrw.example",
    "tmrw.team@re-mail.example",
    "sales@re.example",
    "mial.fu@u-pls.example",
    "https://initech-mail.example/fu/pls?u=tmrw&re=w",
    "www.tmrw-mail.example/re",
]


@pytest.mark.parametrize("value", _VALUES)
def test_addresses_are_never_rewritten(value: str) -> None:
    message = f"pls update jane's email to {value} tmrw, fu re pricing w u"
    for text in (normalise(message).text, Utterance.of(message).text):
        assert value in text, text
    # the words around the value are still read as shorthand
    assert "please" in normalise(message).text


@pytest.mark.parametrize("quote", ["'pls call u tmrw re the mial'", '"fu w me re pricing pls"'])
def test_quoted_text_is_never_rewritten(quote: str) -> None:
    message = f"send jane this: {quote}"
    assert quote in normalise(message).text
    assert quote in Utterance.of(message).text


def test_phone_extension_kept() -> None:
    message = "new cell for jane is 415 555 0199 x12 pls"
    assert "415 555 0199 x12" in normalise(message).text
    assert "415 555 0199 x12" in Utterance.of(message).text
