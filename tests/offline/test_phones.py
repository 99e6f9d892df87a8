"""Phone numbers as people type them, to E.164 through phonenumbers (issue #16)."""

from __future__ import annotations

import pytest

from coworker.llm.offline.phones import find_phones

# (text, region, as written, E.164, extension, valid)
PHONES = [
    ("call +1-555-000-1234 now", "US", "+1-555-000-1234", "+15550001234", None, False),
    ("ring 415 555 0132", "US", "415 555 0132", "+14155550132", None, True),
    ("my cell is (212) 555-0199 x12", "US", "(212) 555-0199 x12", "+12125550199", "12", True),
    ("text 212.555.0199 re demo", "US", "212.555.0199", "+12125550199", None, True),
    ("her number: 2125550199", "US", "2125550199", "+12125550199", None, True),
    ("+49 30 901820 is the office", "US", "+49 30 901820", "+4930901820", None, True),
    ("call 030 901820", "DE", "030 901820", "+4930901820", None, True),
    ("london office 020 7946 0958", "GB", "020 7946 0958", "+442079460958", None, True),
    ("+44 20 7946 0958", "US", "+44 20 7946 0958", "+442079460958", None, True),
    ("mobile 98765 43210", "IN", "98765 43210", "+919876543210", None, True),
    ("+91 98765 43210 pls", "US", "+91 98765 43210", "+919876543210", None, True),
    ("1-800-555-0199", "US", "1-800-555-0199", "+18005550199", None, True),
    ("update jane's phone to 646-555-0101", "US", "646-555-0101", "+16465550101", None, True),
]


@pytest.mark.parametrize(("text", "region", "written", "e164", "ext", "valid"), PHONES)
def test_phones(
    text: str, region: str, written: str, e164: str, ext: str | None, valid: bool
) -> None:
    (phone,) = find_phones(text, default_region=region)
    assert (phone.text, phone.e164, phone.extension, phone.confident) == (
        written,
        e164,
        ext,
        valid,
    )
    assert text[phone.start : phone.end] == written


@pytest.mark.parametrize(
    "text",
    [
        "deal worth 18500",
        "close 2026-12-03",
        "the 18.5k opp",
        "call at 3pm tmrw",
        "move it to 12/24/2026",
        "1,200,000",
        "no number here",
    ],
)
def test_not_phones(text: str) -> None:
    assert find_phones(text) == []


def test_two_numbers_in_order() -> None:
    found = find_phones("office 212-555-0199, cell +1 (646) 555-0101")
    assert [p.e164 for p in found] == ["+12125550199", "+16465550101"]
