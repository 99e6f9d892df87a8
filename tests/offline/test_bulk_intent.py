"""The offline model's bulk request (#18 item 4): the verb, the group in words and what to
say, read from a person's everyday words; anything that names no group is not bulk."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from coworker.llm.offline.intents import classify
from coworker.llm.offline.intents.bulk import bulk_request
from coworker.llm.offline.text import Utterance

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))  # a Monday


@pytest.mark.parametrize(
    ("said", "slots"),
    [
        (
            "email all new leads at Acme a quick hello",
            {
                "channel": "email",
                "group": "leads",
                "status": "new",
                "company": "Acme",
                "message": "a quick hello",
                "greeting": True,
            },
        ),
        (
            "text everyone I meet tomorrow that I'm running late",
            {
                "channel": "sms",
                "group": "meetings",
                "day": "2026-12-08",
                "message": "I'm running late",
                "greeting": False,
            },
        ),
        (
            "text everyone I'm meeting today: running 10 min late, sorry!",
            {
                "channel": "sms",
                "group": "meetings",
                "day": "2026-12-07",
                "message": "running 10 min late, sorry!",
            },
        ),
        (
            "email every lead at Initech saying the new pricing is live",
            {
                "channel": "email",
                "group": "leads",
                "status": None,
                "company": "Initech",
                "message": "the new pricing is live",
            },
        ),
        (
            "send email all qualified leads a short note",
            {
                "channel": "email",
                "group": "leads",
                "status": "qualified",
                "company": None,
                "message": "a short note",
            },
        ),
        (
            "email all new leads at Acme",  # no message yet: the plan asks for it
            {"channel": "email", "company": "Acme", "message": None},
        ),
    ],
)
def test_reads_the_group_and_the_words(said: str, slots: dict[str, object]) -> None:
    intent = bulk_request(said, NOW)
    assert intent is not None and intent.kind == "bulk_send"
    for key, value in slots.items():
        assert intent.slots.get(key) == value, (key, intent.slots)
    assert classify(Utterance.of(said), NOW).kind == "bulk_send"


@pytest.mark.parametrize(
    "said",
    [
        "email Jane Smith a quick hello",  # one person
        "email everyone",  # no group named: the ordinary rules ask who
        "text all of them",
        "show me all new leads at Acme",  # not a send
    ],
)
def test_is_not_bulk_without_a_group_to_send_to(said: str) -> None:
    assert bulk_request(said, NOW) is None
    assert classify(Utterance.of(said), NOW).kind != "bulk_send"
