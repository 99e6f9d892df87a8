"""Phone numbers in a message, as E.164, through `phonenumbers` (Google's libphonenumber).

People type numbers every way ("(212) 555-0199", "415 555 0132", "+44 20 7946 0958",
"555-0100 x12"); the CRM stores E.164 and the search needs digits. The matcher runs at the
POSSIBLE leniency because the CRM's own demo numbers (+1-555-…) are not assigned numbers;
`confident` says whether the number is a valid one for its region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers


@dataclass(frozen=True)
class Phone:
    """One phone number: E.164, the text as written and where it sits."""

    e164: str  # "+12125550199"
    text: str  # "(212) 555-0199 x12", as written
    start: int
    end: int
    extension: str | None
    confident: bool  # a valid number for its region (not only the right length)


def find_phones(text: str, default_region: str = "US") -> list[Phone]:
    """Every phone number in `text`, in order; a number without +country uses the region."""
    if sum(ch.isdigit() for ch in text) < 7:
        return []
    found: list[Phone] = []
    matcher = phonenumbers.PhoneNumberMatcher(
        text, default_region, leniency=phonenumbers.Leniency.POSSIBLE
    )
    for match in matcher:
        number = match.number
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        valid = phonenumbers.is_valid_number(number)
        found.append(
            Phone(e164, match.raw_string, match.start, match.end, number.extension or None, valid)
        )
    return found


def storable(written: str) -> str:
    """A number as the person wrote it, when the CRM takes it that way (a digit or "+"
    first); "(312) 555-0190", which it refuses, as the digits grouped the way its own
    numbers are ("312-555-0190"), so the person still reads the number they gave."""
    written = written.strip()
    if re.match(r"\+?\d", written):
        return written
    digits = re.sub(r"\D", "", written)
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return re.sub(r"[()]", "", written).strip()


def with_last_digits(phone: str, end: str) -> str | None:
    """`phone` with its last digits replaced by `end` ("typo, should end in 8862"), its own
    punctuation kept: "+1-555-031-8826" -> "+1-555-031-8862". None when `end` is not shorter
    than the number's digits (that is a whole number, said as one)."""
    if len(end) >= len(re.sub(r"\D", "", phone)):
        return None
    chars = list(phone)
    left = list(end)
    for index in range(len(chars) - 1, -1, -1):
        if not left:
            break
        if chars[index].isdigit():
            chars[index] = left.pop()
    return "".join(chars)
