"""Money as salespeople type it, and the numbers that are not money (issue #16)."""

from __future__ import annotations

import pytest

from coworker.llm.offline.amounts import find_amounts, is_rate

# (text, amount as written, value, currency, confident)
AMOUNTS = [
    ("deal worth 18.5k", "18.5k", 18500.0, None, True),
    ("$1.2m opp w/ acme", "$1.2m", 1_200_000.0, "USD", True),
    ("set the value to 1,200,000", "1,200,000", 1_200_000.0, None, True),
    ("value $18,500", "$18,500", 18500.0, "USD", True),
    ("18500 usd", "18500 usd", 18500.0, "USD", True),
    ("they'll pay 20 grand", "20 grand", 20000.0, None, True),
    ("budget 25000", "25000", 25000.0, None, True),
    ("acme 12000", "12000", 12000.0, None, False),  # no money cue
    ("create a deal for initech 7500", "7500", 7500.0, None, False),
    ("£5.5k", "£5.5k", 5500.0, "GBP", True),
    ("€40 000 for the pilot", "€40 000", 40000.0, "EUR", True),
    ("40 000 eur", "40 000 eur", 40000.0, "EUR", True),
    ("1.5 mil", "1.5 mil", 1_500_000.0, None, True),
    ("deal for 7,500 bucks", "7,500 bucks", 7500.0, "USD", True),
    ("arr of 120k", "120k", 120_000.0, None, True),
    ("100 seats at $40", "$40", 40.0, "USD", True),
    ("$12.50 per seat", "$12.50", 12.5, "USD", True),
    ("call 415 555 0132 re the 40k deal", "40k", 40000.0, None, True),
    ("send the 12k proposal at 3pm on 12/3", "12k", 12000.0, None, True),
    ("update the opp to 95K", "95K", 95000.0, None, True),
    ("priced at 2.4M", "2.4M", 2_400_000.0, None, True),
    ("worth about 3 million dollars", "3 million dollars", 3_000_000.0, "USD", True),
    ("close date 2 wks out, value 18.5k", "18.5k", 18500.0, None, True),
    ("quote them 15,000 cad", "15,000 cad", 15000.0, "CAD", True),
    ("1bn pipeline", "1bn", 1_000_000_000.0, None, True),
    ("¥300000", "¥300000", 300_000.0, "JPY", True),
    ("deal worth $ 9,999.99", "$ 9,999.99", 9999.99, "USD", True),
    ("amount 2026 dollars", "2026 dollars", 2026.0, "USD", True),
    ("USD 18,500 for the pilot", "USD 18,500", 18500.0, "USD", True),
    ("eur 40k", "eur 40k", 40000.0, "EUR", True),
]


@pytest.mark.parametrize(("text", "written", "value", "currency", "confident"), AMOUNTS)
def test_amounts(
    text: str, written: str, value: float, currency: str | None, confident: bool
) -> None:
    found = find_amounts(text)
    assert len(found) == 1, found
    (amount,) = found
    assert (amount.text, amount.value, amount.currency, amount.confident) == (
        written,
        value,
        currency,
        confident,
    )
    assert text[amount.start : amount.end] == written


@pytest.mark.parametrize(
    "text",
    [
        "close date 2 wks out",  # the bug in #16: a deal worth $2
        "create 3 tasks",
        "call in 20 min",
        "stage 2",
        "q3 2026 renewal",
        "in 2026",
        "version 2.5",
        "meeting at 10:30 tmrw",
        "the 15th",
        "call +1-555-000-1234",
        "call (212) 555-0199 tomorrow",
        "5m users",
        "move it to 12/24",
        "top 5 leads",
        "running 10 minutes late",
        "40 seats",
        "the 3 of them",
        "step 4 of the sequence",
        "reach 30% of the quota",
        "2nd call",
        "in 3 days",
        "jane2 at acme",
        "call at 3",
        "on 2026-12-03",
        "acme 12 000",  # spaces group thousands only with a currency
        "tmrw 2pm",
    ],
)
def test_numbers_that_are_not_money(text: str) -> None:
    assert find_amounts(text) == []


def test_several_amounts_in_order() -> None:
    found = find_amounts("split it: $10k now and 8.5k in march, not 3 tasks")
    assert [(a.text, a.value) for a in found] == [("$10k", 10000.0), ("8.5k", 8500.0)]


def test_no_digits_is_fast_and_empty() -> None:
    assert find_amounts("follow up with jane about pricing") == []


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("hooli renewal is 2k/mo now", True),
        ("$40 per seat", True),
        ("5k a month", True),
        ("40k a year", False),  # a year's value is the deal's
        ("bump it to 45.5k", False),
        ("30k opp for her", False),
    ],
)
def test_a_rate_is_not_a_deals_whole_value(text: str, rate: bool) -> None:
    amount = find_amounts(text)[0]
    assert is_rate(text, amount) is rate
